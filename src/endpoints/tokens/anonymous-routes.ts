/**
 * `POST /api-tokens/anonymous`: an anonymous token, on one of two paths.
 * - With no credentials (the open path): anyone; each client IP (IPv6: each /64) gets a few per
 *   window (`API_TOKENS_ANONYMOUS_ISSUE_LIMIT`), then 429 with `Retry-After`.
 * - With `Authorization: Bearer <service token holding anonymous:issue>` (the trusted path): for the
 *   `subject` and `tier` the body names.
 * `POST /api-tokens/anonymous/refresh`: the holder of a live refreshable anonymous token, sent as
 * the bearer, gets a new one in its place.
 *
 * Both authenticate the bearer themselves (our `authenticate` hook leaves them public to Directus).
 * The client IP is the one Directus records: behind a proxy, set Directus's `IP_TRUST_PROXY` (off by
 * default: then every client behind the proxy shares the proxy's address and its limit).
 */
import type { NextFunction, Request, Response, Router } from 'express';
import { ANONYMOUS_ISSUE_SCOPE } from '../../shared/constants.js';
import type { Runtime } from '../../directus/runtime.js';
import { clientKey } from '../../validator/client-key.js';
import { sendError } from './http-errors.js';
import { clientIp } from './client-ip.js';
import { revealOnce } from './reveal-once.js';

const wrap = (handler: (req: Request, res: Response, runtime: Runtime) => Promise<void>, getRuntime: () => Runtime) => (req: Request, res: Response, next: NextFunction) => {
	handler(req, res, getRuntime()).catch(next);
};

function bearerOf(req: Request): string | null {
	const header = req.headers.authorization;
	if (typeof header !== 'string' || header.trim() === '') return null;
	return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
}

/** A body is JSON or absent: anything else is refused before it is read. */
function refuseNonJson(req: Request, res: Response): boolean {
	const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
	if (!hasBody || req.is('application/json')) return false;
	sendError(res, 415, 'unsupported_media_type', 'Send the request as JSON (Content-Type: application/json), or with no body.');
	return true;
}

function refuseCaller(res: Response, status: 401 | 403, message: string): void {
	if (status === 401) res.set('www-authenticate', 'Bearer realm="api-tokens", error="invalid_token"');
	sendError(res, status, status === 401 ? 'unauthenticated' : 'forbidden', message);
}

async function issue(req: Request, res: Response, runtime: Runtime): Promise<void> {
	if (refuseNonJson(req, res)) return;
	const bearer = bearerOf(req);
	if (bearer === null) {
		if (!runtime.config.anonymous.open) {
			return sendError(res, 403, 'feature_disabled', 'This server issues anonymous tokens to trusted issuers only; send a service token with the anonymous:issue scope.');
		}
		const limit = await runtime.anonymousIssueLimiter.consume(clientKey(clientIp(req)));
		if (!limit.allowed) {
			res.set('retry-after', String(limit.retryAfterSeconds));
			return sendError(res, 429, 'rate_limited', `Too many anonymous tokens for this network; try again in ${limit.retryAfterSeconds} s.`);
		}
		return revealOnce(res, runtime, 201, (tx) => tx.anonymous.issueOpen(req.body));
	}
	const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
	const caller = await runtime.authenticator.verify(bearer, { scopes: [ANONYMOUS_ISSUE_SCOPE], origin });
	if (caller.kind === 'refused' && caller.reason === 'insufficient_scope') {
		return refuseCaller(res, 403, `Only a service token with the "${ANONYMOUS_ISSUE_SCOPE}" scope issues anonymous tokens for a subject; send no Authorization header for an open one.`);
	}
	if (caller.kind !== 'live' || caller.token.kind !== 'service') {
		return refuseCaller(res, 401, `The trusted path needs a live service token with the "${ANONYMOUS_ISSUE_SCOPE}" scope.`);
	}
	const issuer = { tokenId: caller.token.id };
	await revealOnce(res, runtime, 201, (tx) => tx.anonymous.issueTrusted(issuer, req.body));
}

async function refresh(req: Request, res: Response, runtime: Runtime): Promise<void> {
	const bearer = bearerOf(req);
	const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
	const caller = bearer ? await runtime.authenticator.verify(bearer, { origin }) : null;
	if (!caller || caller.kind !== 'live' || caller.token.kind !== 'anonymous' || caller.token.secret !== 'current') {
		return refuseCaller(res, 401, 'Send the live anonymous token to refresh as the bearer.');
	}
	const tokenId = caller.token.id;
	await revealOnce(res, runtime, 201, (tx) => tx.anonymous.refresh(tokenId));
}

export function registerAnonymousTokenRoutes(router: Router, getRuntime: () => Runtime): void {
	router.post('/anonymous', wrap(issue, getRuntime));
	router.post('/anonymous/refresh', wrap(refresh, getRuntime));
}
