/**
 * CORS for `POST /api-tokens/app` and `POST /api-tokens/anonymous`, owned by us whatever Directus's
 * own `CORS_*` settings say: only origins some enabled app allows get `Access-Control-Allow-Origin:
 * <origin>` (with credentials for app tokens, which the session cookie authenticates; without for
 * anonymous ones, which need none); everyone else gets no CORS header at all (Directus's `cors` middleware, when enabled, is kept from
 * adding its own), so their page can neither send the JSON request nor read an answer. Mounted before
 * Directus's middlewares (`init('middlewares.before')`), because its `cors` would otherwise answer
 * preflights first.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Runtime } from '../../directus/runtime.js';
import { sendError } from './http-errors.js';
import { schemaProblem } from '../../directus/schema-gate.js';

/** Where the app-token route lives, from the server root. */
export const APP_TOKEN_ROUTE = '/api-tokens/app';
/** Where the anonymous-token route lives, from the server root. */
export const ANONYMOUS_TOKEN_ROUTE = '/api-tokens/anonymous';

/** Makes later `Access-Control-*` writes no-ops for this response; returns the real setter for ours. */
function lockCorsHeaders(res: Response): (name: string, value: string) => void {
	const setHeader = res.setHeader.bind(res);
	res.setHeader = ((name: string, value: number | string | readonly string[]) =>
		/^access-control-/i.test(name) ? res : setHeader(name, value)) as Response['setHeader'];
	return (name, value) => void setHeader(name, value);
}

/** Every 401 on this route (ours, or Directus's for an expired session) tells the page where to sign in. */
function addSignInUrlTo401(res: Response, signInUrl: string): void {
	const json = res.json.bind(res);
	res.json = ((body: unknown) =>
		json(res.statusCode === 401 && body && typeof body === 'object' && !Array.isArray(body) ? { ...body, sign_in_url: signInUrl } : body)) as Response['json'];
}

/**
 * @example
 * ```ts
 * app.use(APP_TOKEN_ROUTE, tokenRouteCors(runtime, { credentials: true }));
 * ```
 */
export function tokenRouteCors(getRuntime: () => Runtime, { credentials }: { credentials: boolean }): RequestHandler {
	async function handle(req: Request, res: Response): Promise<boolean> {
		const runtime = getRuntime();
		const origin = req.headers.origin;
		const allowed = typeof origin === 'string' && origin !== 'null' && (await runtime.apps.anyAllows(origin));
		const setOwn = lockCorsHeaders(res);
		res.vary('Origin');
		if (allowed) {
			setOwn('Access-Control-Allow-Origin', origin);
			if (credentials) setOwn('Access-Control-Allow-Credentials', 'true');
			setOwn('Access-Control-Expose-Headers', 'Retry-After');
		}
		if (req.method === 'OPTIONS') {
			if (!allowed) {
				sendError(res, 403, 'origin_not_allowed', 'This origin may not ask for tokens.');
				return true;
			}
			setOwn('Access-Control-Allow-Methods', 'POST');
			setOwn('Access-Control-Allow-Headers', 'Content-Type');
			setOwn('Access-Control-Max-Age', '600');
			res.status(204).end();
			return true;
		}
		if (credentials) addSignInUrlTo401(res, runtime.signInUrl);
		return false;
	}

	return (req: Request, res: Response, next: NextFunction) => {
		// Mounted at the route: `req.path` is what follows it.
		// Without the schema, the token routes answer 503 themselves (and no origin is allowed).
		if ((req.path !== '/' && req.path !== '') || schemaProblem()) return next();
		handle(req, res).then((answered) => answered || next(), next);
	};
}
