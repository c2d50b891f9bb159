import type { NextFunction, Request, Response } from 'express';
import { schemaProblem } from '../../directus/schema-gate.js';
import { sendError } from './http-errors.js';

/** Every route of ours answers 503 with the start-up line while the schema is not installed. */
export function schemaGuard(_req: Request, res: Response, next: NextFunction): void {
	const problem = schemaProblem();
	if (problem) return sendError(res, 503, 'service_unavailable', problem);
	next();
}
