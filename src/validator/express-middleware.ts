import type { ValidToken } from './types.js';
import { authenticate, type AuthenticateOptions, type Validator } from './http-auth.js';

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
 *
 * @example
 * ```ts
 * app.use('/v1/purge', requireToken(validator, { scopes: ['purge'] }));
 * app.post('/v1/purge', (req, res) => res.json({ by: req.apiToken.userId }));
 * ```
 */
export function requireToken(validator: Validator, options: Omit<AuthenticateOptions, 'origin' | 'url'> & { checkOrigin?: boolean } = {}) {
	const { checkOrigin = true, ...rest } = options;
	return (req: Req, res: Res, next: (error?: unknown) => void) => {
		const origin = req.headers.origin;
		authenticate(validator, req.headers, {
			...rest,
			url: req.originalUrl ?? req.url ?? '',
			// Browsers send Origin on cross-site requests; servers and CLIs send none.
			...(checkOrigin ? { origin: typeof origin === 'string' ? origin : null } : {}),
		})
			.then((outcome) => {
				if (outcome.ok) {
					req.apiToken = outcome.token;
					next();
				} else {
					res.status(outcome.status).set(outcome.headers).json(outcome.body);
				}
			})
			.catch(next);
	};
}
