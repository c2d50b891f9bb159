import type { NextFunction, Request, Response } from 'express';
import { findFollowIntoTokens } from './items-guard.js';
import { FollowIntoTokensError } from './errors.js';
import type { RegisterInit } from './register-app-cors.js';

interface DirectusRequest extends Request {
	accountability?: { admin?: boolean } | null;
	sanitizedQuery?: Record<string, unknown>;
}

/**
 * After authentication and query sanitizing, before the routes: a non-admin's query on any route
 * (URL query, or a `query` in the body: `SEARCH`, batch writes, `/utils/export`) that filters through
 * a reverse relation into our collections (see {@link findFollowIntoTokens}) is refused with 403,
 * the same whatever the filter names. GraphQL cannot express `$FOLLOW`.
 */
export function registerFollowGuard(init: RegisterInit): void {
	init('routes.before', ({ app }) => {
		app.use((req: Request, _res: Response, next: NextFunction) => {
			const request = req as DirectusRequest;
			if (request.accountability?.admin) return next();
			const body = request.body as { query?: unknown } | undefined;
			const queries = [request.sanitizedQuery, body && typeof body === 'object' ? body.query : undefined];
			for (const query of queries) {
				if (!query || typeof query !== 'object') continue;
				const collection = findFollowIntoTokens(query as Record<string, unknown>);
				if (collection) return next(new FollowIntoTokensError({ collection }));
			}
			next();
		});
	});
}
