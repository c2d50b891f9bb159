import type { NextFunction, Request, Response } from 'express';
import { TOKENS_TABLE } from '../../shared/constants.js';
import { restrictMetaQuery } from './items-guard.js';
import { routePath } from './item-references.js';
import type { RegisterInit } from './register-app-cors.js';

interface DirectusRequest extends Request {
	accountability?: { user?: string | null; admin?: boolean } | null;
	sanitizedQuery?: Record<string, unknown>;
}

/** As Express routes it: any case, percent-decoded (see `routePath`). */
const LIST_PATH = new RegExp(`^/items/${TOKENS_TABLE}/?$`, 'i');

/**
 * `meta=filter_count|total_count` on `/items/api_tokens` is counted by Directus's MetaService, which
 * no item event reaches (see {@link restrictMetaQuery}). After authentication and query sanitizing,
 * before the routes, a non-admin's query (and a `SEARCH` body's, sanitized later) gets its counts
 * narrowed to their own visible tokens.
 */
export function registerMetaGuard(init: RegisterInit): void {
	init('routes.before', ({ app }) => {
		app.use((req: Request, _res: Response, next: NextFunction) => {
			const request = req as DirectusRequest;
			if (!LIST_PATH.test(routePath(request.path)) || request.accountability?.admin) return next();
			const user = request.accountability?.user;
			if (request.sanitizedQuery) request.sanitizedQuery = restrictMetaQuery(request.sanitizedQuery, user);
			const body = request.body as { query?: unknown } | undefined;
			if (body && typeof body.query === 'object' && body.query !== null) body.query = restrictMetaQuery(body.query as Record<string, unknown>, user);
			next();
		});
	});
}
