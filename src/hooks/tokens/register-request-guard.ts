import type { NextFunction, Request, Response } from 'express';
import { InvalidQueryError } from '@directus/errors';
import { GUARDED_PATH, malformedPath, malformedQuery } from './request-guard.js';
import type { RegisterInit } from './register-app-cors.js';
import { routePath } from './item-references.js';

/** Answers malformed requests to our paths with a 400 (Directus's shape) before Directus parses them. */
export function registerRequestGuard(init: RegisterInit): void {
	init('middlewares.before', ({ app }) => {
		app.use((req: Request, _res: Response, next: NextFunction) => {
			// Express routes `/items/api%5Ftokens` to the same place: match the decoded path too.
			if (!GUARDED_PATH.test(req.path) && !GUARDED_PATH.test(routePath(req.path))) return next();
			const problem = malformedPath(req.path) ?? malformedQuery(req.query as Record<string, unknown>);
			next(problem ? new InvalidQueryError({ reason: problem }) : undefined);
		});
	});
}
