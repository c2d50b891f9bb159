import type { Request } from 'express';

/** Largest form body read for a `token` parameter (a token is under 100 bytes). */
export const TOKEN_PARAM_LIMIT = 16 * 1024;

/** Answered instead of a token when the form body exceeds {@link TOKEN_PARAM_LIMIT} (a symbol: no token string can equal it). */
export const TOO_LARGE: unique symbol = Symbol('too large');

/** The `token` parameter with the form it came in (`null`: JSON), `null` when absent, or {@link TOO_LARGE}. */
export type TokenParam = { token: string; form: URLSearchParams | null } | null | typeof TOO_LARGE;

/**
 * Reads a form body up to `limit` bytes; `null` when it is larger. The request stream is never
 * destroyed: a body over the limit is drained and discarded, as Node does with a body nobody reads.
 * (Leaving a `for await` loop early destroys the stream, and Directus's request metrics then read
 * `req.socket` of a detached request when the answer finishes: an uncaught TypeError that stopped
 * the whole process.)
 */
export function readFormBody(req: Request, limit: number): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const cleanup = () => {
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('error', onError);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) return void chunks.push(chunk);
			cleanup();
			req.on('error', () => {}); // a client that goes away while we drain is no error of ours
			req.resume();
			resolve(null);
		};
		const onEnd = () => {
			cleanup();
			resolve(Buffer.concat(chunks));
		};
		const onError = (error: Error) => {
			cleanup();
			reject(error);
		};
		req.on('data', onData);
		req.on('end', onEnd);
		req.on('error', onError);
	});
}

/**
 * The `token` parameter of an RFC 7662/7009 request: form-encoded as the RFCs say (Directus only
 * parses JSON, so the form body is read here), or JSON for convenience. `null` when absent.
 */
export async function readTokenParam(req: Request): Promise<TokenParam> {
	const fromJson = (req.body as { token?: unknown } | undefined)?.token;
	if (typeof fromJson === 'string') return { token: fromJson, form: null };
	if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || req.readableEnded) return null;
	const body = await readFormBody(req, TOKEN_PARAM_LIMIT);
	if (body === null) return TOO_LARGE;
	const form = new URLSearchParams(body.toString('utf8'));
	const token = form.get('token');
	return token === null ? null : { token, form };
}
