/**
 * RFC 7662 introspection and RFC 7009 revocation, for CLIs, bots and services without database
 * access. Both authenticate on their own terms, so our `authenticate` hook lets them through.
 */
import type { Request, Response, Router, NextFunction } from 'express';
import { parseToken } from '../../core/token-format.js';
import { hashToken } from '../../core/token-hash.js';
import type { Runtime } from '../../directus/runtime.js';
import { readTokenParam, TOKEN_PARAM_LIMIT, TOO_LARGE } from './read-token-param.js';
import { sendError } from './http-errors.js';

export const INTROSPECTION_SCOPE = 'introspect';
export const OAUTH_PATHS = ['/introspect', '/revoke'];

const wrap = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
	handler(req, res).catch(next);
};

/** A missing `token` parameter, or a form body far larger than any token (RFC 6749 §5.2 `invalid_request`). */
function refuseTokenParam(res: Response, token: null | typeof TOO_LARGE): void {
	if (token === TOO_LARGE) sendError(res, 413, 'invalid_request', `The request body is larger than ${TOKEN_PARAM_LIMIT / 1024} KB; send only the "token" parameter.`, 'token');
	else sendError(res, 400, 'invalid_request', 'The "token" parameter is required.', 'token');
}

export function registerOAuthRoutes(router: Router, getRuntime: () => Runtime): void {
	router.post(
		'/introspect',
		wrap(async (req, res) => {
			const runtime = getRuntime();
			const header = req.headers.authorization ?? '';
			const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
			const caller = await runtime.authenticator.verify(bearer, INTROSPECTION_SCOPE);
			if (caller.kind !== 'live') {
				res.set('www-authenticate', 'Bearer realm="api-tokens", error="invalid_token"');
				sendError(res, 401, 'unauthenticated', `Introspection needs a token with the "${INTROSPECTION_SCOPE}" scope.`);
				return;
			}
			res.set('cache-control', 'no-store');
			const token = await readTokenParam(req);
			if (token === null || token === TOO_LARGE) return refuseTokenParam(res, token);
			const parsed = parseToken(token, runtime.config.prefixes);
			const match = parsed.ok ? await runtime.store.findByHash(hashToken(token)) : null;
			const now = Date.now();
			const record = match?.record;
			const live =
				record &&
				!record.revoked_at &&
				(record.expires_at === null || record.expires_at.getTime() > now) &&
				(match.matched === 'current' || (record.grace_until?.getTime() ?? 0) > now);
			if (!live) {
				res.json({ active: false }); // RFC 7662: nothing else about inactive tokens
				return;
			}
			const exp = match.matched === 'previous' ? record.grace_until : record.expires_at;
			res.json({
				active: true,
				scope: record.scopes.join(' '),
				token_type: 'Bearer',
				sub: record.user,
				jti: record.id,
				iat: Math.floor(record.date_created.getTime() / 1000),
				...(exp ? { exp: Math.floor(exp.getTime() / 1000) } : {}),
				kind: record.kind,
				origins: record.origins,
			});
		}),
	);

	router.post(
		'/revoke',
		wrap(async (req, res) => {
			const runtime = getRuntime();
			const token = await readTokenParam(req);
			if (token === null || token === TOO_LARGE) return refuseTokenParam(res, token);
			// Holding the token is the authority to revoke it. Unknown tokens get 200 too (RFC 7009 §2.2).
			if (parseToken(token, runtime.config.prefixes).ok) {
				const match = await runtime.store.findByHash(hashToken(token));
				if (match?.matched === 'current' && !match.record.revoked_at) {
					await runtime.service.revoke({ userId: match.record.user ?? 'system', admin: true }, match.record.id);
				}
			}
			res.status(200).end();
		}),
	);
}
