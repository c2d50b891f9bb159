import type { Runtime } from '../../directus/runtime.js';
import { parseToken } from '../../core/token-format.js';
import { SchemaUnavailableError, TokenRefusedError } from './errors.js';
import { schemaProblem } from '../../directus/schema-gate.js';
import type { RegisterFilter } from './hook-types.js';
import type { PresentedToken } from '../../directus/token-authenticator.js';
import type { LivenessFailure } from '../../core/token-liveness.js';
import { ENDPOINT_ID } from '../../shared/constants.js';

/** Routes that authenticate the bearer they are sent themselves, each for its own purpose. */
const SELF_AUTHENTICATING = new Set(['/introspect', '/revoke', '/anonymous', '/anonymous/refresh', '/oauth/device_authorization', '/oauth/token'].map((path) => `/${ENDPOINT_ID}${path}`));

interface AuthRequest {
	headers: Record<string, string | string[] | undefined>;
	path?: string;
	/** Set by Directus's extract-token middleware. */
	token?: string | null;
	query?: Record<string, unknown>;
	/** The token the request came with, for the token API's rules (a token mints no more than it holds). */
	apiToken?: PresentedToken;
}

const REASONS: Record<LivenessFailure | 'unknown', string> = {
	unknown: 'unknown token',
	expired: 'expired',
	revoked: 'revoked',
	owner_inactive: 'its owner is not an active user',
	origin_not_allowed: 'it may not be used from this origin',
	insufficient_scope: 'the token lacks the scope for the Directus API',
};

/**
 * Directus's `authenticate` filter runs before its own JWT/static-token handling. A bearer with one
 * of our prefixes and a valid checksum is ours: live for this request (`judgeToken`, with the
 * request's `Origin` and the Directus scope) it authenticates as its owner, else it is refused with
 * 401. Anything else returns the accountability unchanged, so Directus carries on as usual.
 */
export function registerAuthenticate(filter: RegisterFilter, runtime: () => Runtime): void {
	filter('authenticate', async (accountability: Record<string, unknown>, meta) => {
		const req = meta.req as AuthRequest;
		// Introspection, revocation (RFC 7662/7009), anonymous tokens and device clients (RFC 8628) authenticate themselves:
		// Directus must not try the bearer as one of its own tokens, so it sees the request as public.
		if (req.path && SELF_AUTHENTICATING.has(req.path)) {
			req.token = null;
			return accountability;
		}
		const header = req.headers.authorization;
		const bearer = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : null;
		if (!bearer) {
			// Our tokens never travel in URLs (logs, referrers): refuse them in ?access_token=.
			const fromQuery = req.query?.access_token;
			if (typeof fromQuery === 'string' && parseToken(fromQuery, runtime().config.prefixes).ok) {
				throw new TokenRefusedError({ reason: 'send it in the Authorization header, not in the URL' });
			}
			return accountability;
		}
		const problem = schemaProblem();
		if (problem && parseToken(bearer, runtime().config.prefixes).ok) throw new SchemaUnavailableError({ problem });
		const origin = req.headers.origin;
		const outcome = await runtime().authenticator.authenticate(bearer, typeof origin === 'string' ? origin : null);
		if (outcome.kind === 'not_ours') return accountability;
		if (outcome.kind === 'refused') throw new TokenRefusedError({ reason: REASONS[outcome.reason] });
		req.apiToken = outcome.token;
		const { user, role, roles, admin, app } = outcome.access;
		return { ...accountability, user, role, roles, admin, app };
	});
}
