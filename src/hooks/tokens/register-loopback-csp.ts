/**
 * Lets the token pages hand a new token to a CLI on the user's computer (`callback=http://127.0.0.1:PORT/…`).
 * Directus's Content-Security-Policy (helmet, set before any hook runs) allows `connect-src 'self'
 * https://* wss://*`, which blocks the page's `fetch` to a plain-http loopback address. This hook adds
 * loopback sources to `connect-src` of the Data Studio's responses, and changes nothing else.
 *
 * `[::1]`: CSP's host grammar has no IPv6 literals (Chromium drops `http://[::1]:*` as an invalid
 * source and then blocks the request), so the page sends a `[::1]` callback to `localhost` on the same
 * port and path, which `http://localhost:*` allows and browsers resolve to ::1 as well as 127.0.0.1.
 */
import type { Request, Response, NextFunction } from 'express';

/** Sources added to `connect-src`: any port on the IPv4 loopback address and on `localhost`, over http. */
export const LOOPBACK_CONNECT_SOURCES = ['http://127.0.0.1:*', 'http://localhost:*'] as const;

/**
 * Adds the loopback sources to a policy's `connect-src`. With no `connect-src`, the sources of
 * `default-src` are copied first (that is what the browser would apply); a policy that restricts
 * neither, or that says `'none'` (an explicit choice), or already allows any host, is left alone.
 *
 * @example
 * ```ts
 * allowLoopbackConnect("default-src 'self';connect-src 'self' https://* wss://*");
 * // "default-src 'self';connect-src 'self' https://* wss://* http://127.0.0.1:* http://localhost:*"
 * ```
 */
export function allowLoopbackConnect(policy: string): string {
	const directives = policy.split(';');
	const find = (name: string) => directives.findIndex((d) => d.trim().toLowerCase().split(/\s+/)[0] === name);
	const withSources = (sources: string[]) => {
		const lower = sources.map((s) => s.toLowerCase());
		if (lower.includes("'none'") || lower.includes('*') || lower.includes('http:')) return null;
		return [...sources, ...LOOPBACK_CONNECT_SOURCES.filter((s) => !lower.includes(s))];
	};
	const connect = find('connect-src');
	if (connect !== -1) {
		const sources = directives[connect]!.trim().split(/\s+/).slice(1);
		const next = withSources(sources);
		if (!next) return policy;
		directives[connect] = ['connect-src', ...next].join(' ');
		return directives.join(';');
	}
	const fallback = find('default-src');
	if (fallback === -1) return policy;
	const next = withSources(directives[fallback]!.trim().split(/\s+/).slice(1));
	if (!next) return policy;
	const trailing = directives.length > 0 && directives[directives.length - 1]!.trim() === '';
	const added = ['connect-src', ...next].join(' ');
	if (trailing) directives.splice(directives.length - 1, 0, added);
	else directives.push(added);
	return directives.join(';');
}

/** Express middleware: rewrites the CSP that helmet already set on `/admin` responses. */
export function loopbackCspMiddleware(req: Request, res: Response, next: NextFunction): void {
	if (req.path === '/admin' || req.path.startsWith('/admin/')) {
		const header = res.getHeader('content-security-policy');
		if (typeof header === 'string') res.setHeader('content-security-policy', allowLoopbackConnect(header));
		else if (Array.isArray(header)) res.setHeader('content-security-policy', header.map(allowLoopbackConnect));
	}
	next();
}

type RegisterInit = (event: string, handler: (meta: Record<string, unknown>) => void) => void;

/**
 * @example
 * ```ts
 * export default defineHook(({ init }) => registerLoopbackCsp(init));
 * ```
 */
export function registerLoopbackCsp(init: RegisterInit): void {
	init('app.before', ({ app }) => {
		(app as { use(handler: typeof loopbackCspMiddleware): void }).use(loopbackCspMiddleware);
	});
}
