import type { NextFunction, Request, Response } from 'express';
import { sendError } from './http-errors.js';

/**
 * Express fails to decode a path parameter with broken percent-encoding (`/api-tokens/%zz`) with a
 * `URIError`, which Directus's error handler answers as a 500. It is the client's mistake: a 400
 * naming it. Any other error goes on to Directus unchanged.
 */
export function answerMalformedPath(error: unknown, _req: Request, res: Response, next: NextFunction): void {
	if (!(error instanceof URIError) || res.headersSent) return next(error);
	sendError(res, 400, 'invalid_request', 'The path is not valid percent-encoded UTF-8.');
}
