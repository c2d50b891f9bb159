/**
 * `POST /api-tokens/app {app}`: a page on an allowed origin gets a hidden, short-lived app token for
 * the user signed in to the dashboard. The Directus session cookie is the only credential taken
 * (a bearer is not: this route exists for cookies), so the `Origin` check is the CSRF defence; a
 * JSON body is required, so a cross-origin request cannot skip the CORS preflight either.
 * CORS headers and the sign-in URL on 401 come from `app-cors.ts`.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import type { Runtime } from '../../directus/runtime.js';
import { sendError, sendFailure } from './http-errors.js';
import { revealOnce } from './reveal-once.js';

interface SessionRequest extends Request {
	accountability?: { user?: string | null } | null;
	/** Set by Directus's extract-token middleware: `cookie`, `header` or `query`. */
	tokenSource?: string | null;
}

export function registerAppTokenRoute(router: Router, getRuntime: () => Runtime): void {
	router.post('/app', (req: Request, res: Response, next: NextFunction) => {
		issue(req as SessionRequest, res, getRuntime()).catch(next);
	});
}

async function issue(req: SessionRequest, res: Response, runtime: Runtime): Promise<void> {
	const origin = await runtime.appIssuer.admitOrigin(req.headers.origin);
	if (!origin.ok) return sendFailure(res, origin);
	if (!req.is('application/json')) {
		return sendError(res, 415, 'unsupported_media_type', 'Send the request as JSON (Content-Type: application/json).');
	}
	const resolved = await runtime.appIssuer.resolveApp(req.body, origin.value);
	if (!resolved.ok) return sendFailure(res, resolved);
	const user = req.accountability?.user;
	if (!user || req.tokenSource !== 'cookie') {
		const message = user
			? 'App tokens are issued to the dashboard session cookie only, not to a bearer token.'
			: 'Sign in to the dashboard to get a token.';
		return sendError(res, 401, 'unauthenticated', message);
	}
	const limit = await runtime.appIssueLimiter.consume(user);
	if (!limit.allowed) {
		res.set('retry-after', String(limit.retryAfterSeconds));
		return sendError(res, 429, 'rate_limited', `Too many app tokens for this user; try again in ${limit.retryAfterSeconds} s.`);
	}
	const { app, origin: bound } = resolved.value;
	await revealOnce(res, runtime, 201, (tx) => tx.appIssuer.issue(user, app, bound));
}
