/**
 * The admin routes for front-end apps (`/api-tokens/apps`) through the app's own axios instance
 * (`useApi()`), which carries the Directus session. Every call throws on failure (Directus's error
 * shape; `apiError` reads it). The server refuses non-admins: this only saves a useless request.
 * Disabling an app (`update(id, { enabled: false })`) or deleting it revokes every token it issued.
 */
import { useApi } from '@directus/extensions-sdk';
import type { AppInfo, AppRequest } from '../types.js';
import { restResource, type HttpClient } from './rest-resource.js';
import { useTokenApi } from './use-token-api.js';

/** The app's axios instance as the module uses it (the name older callers import). */
export type AppHttpClient = HttpClient;

/**
 * @example
 * ```ts
 * const apps = useAppApi();
 * const web = await apps.create({ name: 'globalping-web', origins: ['https://www.example.com'], scopes: ['read'] });
 * await apps.update(web.id, { enabled: false }); // revokes every token it issued
 * ```
 */
export function useAppApi(http: AppHttpClient = useApi() as unknown as AppHttpClient) {
	const { list, create, update, remove } = restResource<AppInfo, AppRequest>(http, 'apps', 'apps');
	const tokens = useTokenApi(http);

	/**
	 * How many of `appId`'s tokens still work (not revoked, not expired): what disabling or deleting
	 * it stops. Read from the admin token list, which leaves revoked tokens out.
	 */
	async function activeTokens(appId: string, now: Date = new Date()): Promise<number> {
		const appTokens = await tokens.list({ user: 'all', kind: 'app', includeHidden: true });
		return appTokens.filter((token) => token.app === appId && !token.revoked && (token.expiration === null || Date.parse(token.expiration) > now.getTime())).length;
	}

	return { list, create, update, remove, activeTokens };
}

export type AppApi = ReturnType<typeof useAppApi>;
