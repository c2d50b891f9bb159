import type { Response } from 'express';
import type { Failure } from '../../core/token-service.js';

/** Directus's error shape, so the app and the SDK show our messages like Directus's own. */
export function sendError(res: Response, status: number, code: string, message: string, field: string | null = null): void {
	res.status(status).json({ errors: [{ message, extensions: { code: code.toUpperCase(), ...(field ? { field } : {}) } }] });
}

export function sendFailure(res: Response, failure: Failure): void {
	sendError(res, failure.status, failure.code, failure.message, failure.field ?? null);
}
