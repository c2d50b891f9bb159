import type { Request } from 'express';

const LIMIT = 16 * 1024;

/**
 * The `token` parameter of an RFC 7662/7009 request: form-encoded as the RFCs say (Directus only
 * parses JSON, so the form body is read here), or JSON for convenience. `null` when absent.
 */
export async function readTokenParam(req: Request): Promise<string | null> {
	const fromJson = (req.body as { token?: unknown } | undefined)?.token;
	if (typeof fromJson === 'string') return fromJson;
	if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || req.readableEnded) return null;
	let size = 0;
	const chunks: Buffer[] = [];
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > LIMIT) return null;
		chunks.push(chunk);
	}
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token');
}
