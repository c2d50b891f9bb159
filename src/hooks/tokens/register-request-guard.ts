import type { NextFunction, Request, Response } from 'express';
import { InvalidQueryError } from '@directus/errors';
import { isGuardedPath, malformedPath, malformedQuery } from './request-guard.js';
import type { RegisterInit } from './hook-types.js';

/** Answers malformed requests to our path with a 400 (Directus's shape) before Directus parses them. */
export function registerRequestGuard(init: RegisterInit): void {
	init('middlewares.before', ({ app }) => {
		app.use((req: Request, _res: Response, next: NextFunction) => {
			if (!isGuardedPath(req.path)) return next();
			const problem = malformedPath(req.path) ?? malformedQuery(req.query as Record<string, unknown>);
			next(problem ? new InvalidQueryError({ reason: problem }) : undefined);
		});
	});
}
