/**
 * An HTTP/1.1 client over a bare TCP socket, for requests fetch refuses to send: repeated headers,
 * non-ASCII or 10 KB header values, raw percent-encoding garbage in paths, any body with any
 * content type. One request per connection (`Connection: close`); the answer is read to the end.
 */
import { connect } from 'node:net';

export interface RawRequest {
	method: string;
	/** Sent as is: no normalisation, no percent-encoding. */
	path: string;
	/** In order; a name may repeat. Values are sent as UTF-8 bytes. */
	headers?: Array<[string, string]>;
	body?: string | Buffer;
}

export interface RawResponse {
	status: number;
	headers: Record<string, string>;
	text: string;
	/** The body parsed as JSON, or `undefined` when it is not JSON. */
	json: unknown;
}

function decodeChunked(body: Buffer): Buffer {
	const parts: Buffer[] = [];
	let at = 0;
	while (at < body.length) {
		const lineEnd = body.indexOf('\r\n', at);
		if (lineEnd < 0) break;
		const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
		if (!Number.isFinite(size) || size === 0) break;
		parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
		at = lineEnd + 2 + size + 2;
	}
	return Buffer.concat(parts);
}

function parseResponse(raw: Buffer): RawResponse {
	const headEnd = raw.indexOf('\r\n\r\n');
	if (headEnd < 0) throw new Error(`incomplete HTTP answer: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
	const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	let body = raw.subarray(headEnd + 4);
	if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = decodeChunked(body);
	else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
	const text = body.toString('utf8');
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status, headers, text, json };
}

/** Sends `request` to `baseUrl` (http only) and resolves with the whole answer. */
export function rawRequest(baseUrl: string, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
	const url = new URL(baseUrl);
	const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
	const head = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
	for (const [name, value] of request.headers ?? []) head.push(`${name}: ${value}`);
	if (body !== undefined) head.push(`Content-Length: ${body.length}`);
	const bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), body ?? Buffer.alloc(0)]);

	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		const socket = connect(Number(url.port), url.hostname);
		const finish = (error?: Error) => {
			clearTimeout(timer);
			socket.destroy();
			const received = Buffer.concat(chunks);
			// The server may answer (e.g. 413) and close before it read the whole body: that answer counts.
			if (received.includes('\r\n\r\n')) {
				try {
					resolve(parseResponse(received));
				} catch (parseError) {
					reject(parseError as Error);
				}
			} else reject(error ?? new Error(`connection closed without an answer to ${request.method} ${request.path.slice(0, 200)}`));
		};
		const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms to ${request.method} ${request.path.slice(0, 200)}`)), timeoutMs);
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('end', () => finish());
		socket.on('error', (error) => finish(error));
		socket.write(bytes);
	});
}
