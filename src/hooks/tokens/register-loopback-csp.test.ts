import { describe, expect, it } from 'vitest';
import { allowLoopbackConnect, loopbackCspMiddleware } from './register-loopback-csp.js';

const DIRECTUS = "default-src 'self';base-uri 'self';connect-src 'self' https://* wss://*;form-action 'self';script-src 'self' 'unsafe-eval'";

describe('allowLoopbackConnect', () => {
	it('adds loopback http sources to connect-src and changes nothing else', () => {
		expect(allowLoopbackConnect(DIRECTUS)).toBe(
			"default-src 'self';base-uri 'self';connect-src 'self' https://* wss://* http://127.0.0.1:* http://localhost:*;form-action 'self';script-src 'self' 'unsafe-eval'",
		);
		expect(allowLoopbackConnect(allowLoopbackConnect(DIRECTUS))).toBe(allowLoopbackConnect(DIRECTUS));
	});

	it('copies default-src when there is no connect-src, and leaves none, * and unrestricted policies alone', () => {
		expect(allowLoopbackConnect("default-src 'self' https://cdn.example; img-src *")).toBe(
			"default-src 'self' https://cdn.example; img-src *;connect-src 'self' https://cdn.example http://127.0.0.1:* http://localhost:*",
		);
		expect(allowLoopbackConnect("default-src 'self';")).toBe("default-src 'self';connect-src 'self' http://127.0.0.1:* http://localhost:*;");
		expect(allowLoopbackConnect("connect-src 'none'")).toBe("connect-src 'none'");
		expect(allowLoopbackConnect('connect-src *')).toBe('connect-src *');
		expect(allowLoopbackConnect("img-src 'self'")).toBe("img-src 'self'");
	});

	it('rewrites only the Data Studio’s responses', () => {
		const run = (path: string) => {
			const headers: Record<string, unknown> = { 'content-security-policy': DIRECTUS };
			const res = { getHeader: (name: string) => headers[name], setHeader: (name: string, value: unknown) => (headers[name] = value) };
			let called = false;
			loopbackCspMiddleware({ path } as never, res as never, () => (called = true));
			expect(called).toBe(true);
			return String(headers['content-security-policy']);
		};
		expect(run('/admin/tokens/new')).toContain('http://127.0.0.1:*');
		expect(run('/admin')).toContain('http://localhost:*');
		expect(run('/items/x')).toBe(DIRECTUS);
		expect(run('/administrator')).toBe(DIRECTUS);
	});
});
