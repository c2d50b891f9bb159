/** For unit tests of the module's forms: the server's config, as `GET /api-tokens/config` answers it. */
import type { TokenServerConfig } from '../types.js';

/**
 * A config offering `scopes` besides the system and Directus scopes; the rest is the server's
 * defaults (personal tokens up to a year, 90 days proposed; app tokens a day).
 *
 * @example
 * ```ts
 * const form = useDeviceClientForm(ref(fakeConfig(['measurements', 'credits'])));
 * ```
 */
export function fakeConfig(scopes: string[]): TokenServerConfig {
	return {
		scopes: [...scopes, 'directus'],
		systemScopes: ['introspect'],
		directusScope: 'directus',
		prefixes: { personal: 'dtp', app: 'dta', service: 'dts', anonymous: 'dtn' },
		maxTtlSeconds: { personal: 365 * 86_400, app: 86_400, service: null, anonymous: 30 * 86_400 },
		defaultTtlSeconds: 90 * 86_400,
		maxActivePerUser: 100,
		maxGraceSeconds: 86_400,
	};
}
