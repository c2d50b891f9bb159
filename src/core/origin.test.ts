import { describe, expect, it } from 'vitest';
import { normaliseOrigin, originMatches } from './origin.js';

describe('normaliseOrigin', () => {
	it.each([
		['https://WWW.Example.com', 'https://www.example.com'],
		['https://www.example.com:443/', 'https://www.example.com'],
		['http://localhost:80', 'http://localhost'],
		['http://127.0.0.1:5173/some/path?q=1#x', 'http://127.0.0.1:5173'],
		['https://[::1]:8443', 'https://[::1]:8443'],
		['https://bücher.example', 'https://xn--bcher-kva.example'],
		['https://*.Example.com/', 'https://*.example.com'],
	])('%s → %s', (input, expected) => {
		expect(normaliseOrigin(input)).toEqual({ ok: true, origin: expected });
	});

	it.each(['javascript:alert(1)', 'ftp://example.com', 'https://user:pw@example.com', 'not a url', '', 'https://*', 'https://a.*.example.com', '*.example.com', 'https://*.com'])(
		'rejects %s',
		(input) => {
			expect(normaliseOrigin(input).ok).toBe(false);
		},
	);
});

describe('originMatches', () => {
	const allowed = ['https://www.example.com', 'https://*.example.org'];
	it('matches exact origins after normalisation', () => {
		expect(originMatches(allowed, 'https://WWW.example.com:443')).toBe(true);
		expect(originMatches(allowed, 'http://www.example.com')).toBe(false);
		expect(originMatches(allowed, 'https://www.example.com:8443')).toBe(false);
	});
	it('matches strict subdomains of a pattern and nothing else', () => {
		expect(originMatches(allowed, 'https://a.example.org')).toBe(true);
		expect(originMatches(allowed, 'https://a.b.example.org')).toBe(true);
		expect(originMatches(allowed, 'https://example.org')).toBe(false);
		expect(originMatches(allowed, 'http://a.example.org')).toBe(false);
		expect(originMatches(allowed, 'https://a.example.org.evil.com')).toBe(false);
		expect(originMatches(allowed, 'https://evilexample.org')).toBe(false);
		expect(originMatches(allowed, 'https://a.example.org:8443')).toBe(false);
		expect(originMatches(allowed, 'null')).toBe(false);
	});
	it('allows any origin when the list is empty', () => {
		expect(originMatches([], 'https://anything.test')).toBe(true);
	});
});
