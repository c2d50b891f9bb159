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
import { factsOf, judgeSecret, judgeToken } from '../../core/token-liveness.js';

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

/** The `origin` parameter of an introspection request: the browser's `Origin` the resource server saw. */
function originParam(req: Request): string | null {
	const body = req.body as { origin?: unknown } | undefined;
	return typeof body?.origin === 'string' ? body.origin : null;
}

export function registerOAuthRoutes(router: Router, getRuntime: () => Runtime): void {
	router.post(
		'/introspect',
		wrap(async (req, res) => {
			const runtime = getRuntime();
			const header = req.headers.authorization ?? '';
			const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
			const origin = req.headers.origin;
			const caller = await runtime.authenticator.verify(bearer, { scopes: [INTROSPECTION_SCOPE], origin: typeof origin === 'string' ? origin : null });
			if (caller.kind !== 'live') {
				res.set('www-authenticate', 'Bearer realm="api-tokens", error="invalid_token"');
				sendError(res, 401, 'unauthenticated', `Introspection needs a token with the "${INTROSPECTION_SCOPE}" scope.`);
				return;
			}
			res.set('cache-control', 'no-store');
			const param = await readTokenParam(req);
			if (param === null || param === TOO_LARGE) return refuseTokenParam(res, param);
			const { token, form } = param;
			const match = parseToken(token, runtime.config.prefixes).ok ? await runtime.store.findByHash(hashToken(token)) : null;
			// Judged as if the token came with the request the resource server saw (its `origin`, if given).
			const facts = match ? factsOf(match.record, match.matched) : null;
			const requestOrigin = form?.get('origin') ?? originParam(req);
			if (!match || !facts || judgeToken(facts, Date.now(), { origin: requestOrigin })) {
				res.json({ active: false }); // RFC 7662: nothing else about inactive tokens
				return;
			}
			const { record } = match;
			const exp = match.matched === 'previous' ? record.grace_until : record.expires_at;
			res.json({
				active: true,
				scope: record.scopes.join(' '),
				token_type: 'Bearer',
				// Anonymous tokens have no user: their subject is who they stand for (absent on the open path).
				...(record.kind === 'anonymous' ? (record.subject !== null ? { sub: record.subject } : {}) : { sub: record.user }),
				jti: record.id,
				iat: Math.floor(record.date_created.getTime() / 1000),
				...(exp ? { exp: Math.floor(exp.getTime() / 1000) } : {}),
				kind: record.kind,
				origins: record.origins,
				...(record.kind === 'anonymous' ? { tier: record.tier } : {}),
			});
		}),
	);

	router.post(
		'/revoke',
		wrap(async (req, res) => {
			const runtime = getRuntime();
			const param = await readTokenParam(req);
			if (param === null || param === TOO_LARGE) return refuseTokenParam(res, param);
			const { token } = param;
			// Holding a secret that still opens its token is the authority to end it, from anywhere
			// (`judgeSecret`). The old secret of a regenerated token ends alone. Unknown tokens get 200
			// too (RFC 7009 §2.2).
			const match = parseToken(token, runtime.config.prefixes).ok ? await runtime.store.findByHash(hashToken(token)) : null;
			if (match && judgeSecret(factsOf(match.record, match.matched), Date.now()) === null) {
				const owner = { userId: match.record.user ?? 'system', admin: true };
				await runtime.inTransaction(
					(tx) => (match.matched === 'previous' ? tx.service.endGrace(owner, match.record.id) : tx.service.revoke(owner, match.record.id)),
					() => {},
				);
			}
			res.status(200).end();
		}),
	);
}
