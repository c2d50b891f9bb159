import type { ValidToken } from './types.js';
import { authenticate, authenticateNow, type AuthOutcome, type AuthenticateOptions, type Validator } from './http-auth.js';

interface Req {
	headers: Record<string, string | string[] | undefined>;
	originalUrl?: string;
	url?: string;
	apiToken?: ValidToken;
}
interface Res {
	status(code: number): Res;
	set(headers: Record<string, string>): Res;
	json(body: unknown): void;
}

/**
 * Express/connect middleware: sets `req.apiToken` or answers 400/401/403/503 with RFC 6750 headers.
 * The request's `Origin` header is always part of the judgement.
 *
 * @example
 * ```ts
 * app.use('/v1/purge', requireToken(validator, { scopes: ['purge'] }));
 * app.post('/v1/purge', (req, res) => res.json({ by: req.apiToken.userId }));
 * ```
 */
export function requireToken(validator: Validator, options: Omit<AuthenticateOptions, 'origin' | 'url'> = {}) {
	return (req: Req, res: Res, next: (error?: unknown) => void) => {
		const origin = req.headers.origin;
		const authOptions = {
			...options,
			url: req.originalUrl ?? req.url ?? '',
			// Browsers send Origin on cross-site requests; servers and CLIs send none. Origin-bound
			// tokens are judged by it (see `judgeToken`).
			origin: typeof origin === 'string' ? origin : null,
		};
		const finish = (outcome: AuthOutcome) => {
			if (outcome.ok) {
				req.apiToken = outcome.token;
				next();
			} else {
				res.status(outcome.status).set(outcome.headers).json(outcome.body);
			}
		};
		// A token answered from memory goes on synchronously: an asynchronous hop per request costs a
		// plain server up to a quarter of its throughput (`npm run bench`, section 6).
		const now = authenticateNow(validator, req.headers, authOptions);
		if (now) return finish(now);
		authenticate(validator, req.headers, authOptions).then(finish).catch(next);
	};
}
