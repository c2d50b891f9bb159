import { describe, expect, it } from 'vitest';
import { judgeToken, type TokenFacts } from './token-liveness.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const live: TokenFacts = { kind: 'personal', scopes: ['read', 'write'], origins: [], expiresAt: NOW + 1000, revoked: false, graceUntil: null, ownerActive: true };

describe('judgeToken', () => {
	it('finds a live token live', () => {
		expect(judgeToken(live, NOW, {})).toBeNull();
		expect(judgeToken({ ...live, expiresAt: null }, NOW, { scopes: ['read', 'write'] })).toBeNull();
		expect(judgeToken({ ...live, graceUntil: NOW + 1 }, NOW, {})).toBeNull();
	});

	it.each([
		['revoked', { revoked: true }],
		['revoked', { graceUntil: NOW }],
		['expired', { expiresAt: NOW }],
		['expired', { expiresAt: NOW - 1 }],
		['owner_inactive', { ownerActive: false }],
	] as const)('answers %s for %o', (failure, change) => {
		expect(judgeToken({ ...live, ...change }, NOW, {})).toBe(failure);
	});

	it('judges in order: revoked before expired before the owner before the origin before scopes', () => {
		const worst: TokenFacts = { ...live, revoked: true, expiresAt: NOW - 1, ownerActive: false, origins: ['https://a.example.com'] };
		expect(judgeToken(worst, NOW, { origin: 'https://b.example.com', scopes: ['admin'] })).toBe('revoked');
		expect(judgeToken({ ...worst, revoked: false }, NOW, { origin: 'https://b.example.com' })).toBe('expired');
		expect(judgeToken({ ...worst, revoked: false, expiresAt: null }, NOW, { origin: 'https://b.example.com' })).toBe('owner_inactive');
		expect(judgeToken({ ...worst, revoked: false, expiresAt: null, ownerActive: true }, NOW, { origin: 'https://b.example.com', scopes: ['admin'] })).toBe('origin_not_allowed');
	});

	it('binds origin-bound tokens: a foreign Origin never; no Origin only for personal and service tokens', () => {
		const bound = { ...live, origins: ['https://www.example.com', 'https://*.example.org'] };
		expect(judgeToken(bound, NOW, { origin: 'https://www.example.com' })).toBeNull();
		expect(judgeToken(bound, NOW, { origin: 'https://a.example.org' })).toBeNull();
		expect(judgeToken(bound, NOW, { origin: 'https://evil.example.net' })).toBe('origin_not_allowed');
		expect(judgeToken(bound, NOW, { origin: 'null' })).toBe('origin_not_allowed');
		for (const origin of [undefined, null, '']) {
			expect(judgeToken(bound, NOW, { origin })).toBeNull();
			expect(judgeToken({ ...bound, kind: 'service' }, NOW, { origin })).toBeNull();
			expect(judgeToken({ ...bound, kind: 'app' }, NOW, { origin })).toBe('origin_not_allowed');
		}
		// Not bound: any Origin or none.
		expect(judgeToken({ ...live, kind: 'app' }, NOW, { origin: 'https://evil.example.net' })).toBeNull();
	});

	it('needs every scope the request asks for', () => {
		expect(judgeToken(live, NOW, { scopes: ['read'] })).toBeNull();
		expect(judgeToken(live, NOW, { scopes: ['read', 'admin'] })).toBe('insufficient_scope');
		expect(judgeToken(live, NOW, { scopes: [] })).toBeNull();
	});
});
