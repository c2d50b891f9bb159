import { describe, expect, it } from 'vitest';
import { loadTokenConfig } from './config.js';
import { checkOrigins, checkScopes, hasScopes, resolveExpiry } from './policy.js';

const DAY = 86_400_000;
const now = new Date('2026-01-01T00:00:00Z');
const config = loadTokenConfig({});

describe('resolveExpiry', () => {
	it('uses the default lifetime, capped by the kind', () => {
		expect(resolveExpiry('personal', {}, config, now)).toEqual({ ok: true, expiresAt: new Date(now.getTime() + 90 * DAY), capped: false });
		expect(resolveExpiry('app', {}, config, now)).toEqual({ ok: true, expiresAt: new Date(now.getTime() + DAY), capped: false });
	});
	it('caps long requests and says so', () => {
		expect(resolveExpiry('personal', { durationMs: 10 * 365 * DAY }, config, now)).toEqual({
			ok: true,
			expiresAt: new Date(now.getTime() + 365 * DAY),
			capped: true,
		});
		expect(resolveExpiry('app', { expiresAt: new Date(now.getTime() + 7 * DAY) }, config, now)).toMatchObject({ capped: true });
		expect(resolveExpiry('personal', { durationMs: 30 * DAY }, config, now)).toEqual({ ok: true, expiresAt: new Date(now.getTime() + 30 * DAY), capped: false });
	});
	it('refuses past dates, nonsense and never where the kind must expire', () => {
		expect(resolveExpiry('personal', { expiresAt: new Date(now.getTime() - 1) }, config, now)).toMatchObject({ ok: false, code: 'expiry_in_past' });
		expect(resolveExpiry('personal', { expiresAt: now }, config, now)).toMatchObject({ ok: false, code: 'expiry_in_past' });
		expect(resolveExpiry('personal', { expiresAt: new Date('nope') }, config, now)).toMatchObject({ ok: false, code: 'invalid_expiry' });
		expect(resolveExpiry('personal', { durationMs: -5 }, config, now)).toMatchObject({ ok: false, code: 'invalid_expiry' });
		expect(resolveExpiry('personal', { durationMs: null }, config, now)).toMatchObject({ ok: false, code: 'never_not_allowed' });
		expect(resolveExpiry('app', { expiresAt: null }, config, now)).toMatchObject({ ok: false, code: 'never_not_allowed' });
		expect(resolveExpiry('service', { durationMs: null }, config, now)).toEqual({ ok: true, expiresAt: null, capped: false });
	});
});

describe('checkScopes', () => {
	it('normalises user scopes and keeps system scopes for service tokens', () => {
		expect(checkScopes('personal', ['write', 'read', 'read'], config)).toEqual({ ok: true, scopes: ['read', 'write'] });
		expect(checkScopes('personal', undefined, config)).toEqual({ ok: true, scopes: [] });
		expect(checkScopes('personal', ['introspect'], config)).toMatchObject({ ok: false, code: 'invalid_scopes' });
		expect(checkScopes('service', ['introspect'], config)).toEqual({ ok: true, scopes: ['introspect'] });
		expect(checkScopes('service', ['read'], config)).toMatchObject({ ok: false, code: 'invalid_scopes' });
		expect(checkScopes('personal', 'read', config)).toMatchObject({ ok: false, code: 'invalid_scopes' });
		expect(checkScopes('personal', [1], config)).toMatchObject({ ok: false, code: 'invalid_scopes' });
	});
	it('checks granted scopes', () => {
		expect(hasScopes(['read', 'write'], ['read'])).toBe(true);
		expect(hasScopes(['read'], ['read', 'write'])).toBe(false);
	});
});

describe('checkOrigins', () => {
	it('normalises and deduplicates', () => {
		expect(checkOrigins(['https://WWW.example.com/', 'https://www.example.com'])).toEqual({ ok: true, origins: ['https://www.example.com'] });
	});
	it('names the bad entry', () => {
		const result = checkOrigins(['https://ok.example', 'ftp://bad.example']);
		expect(result).toMatchObject({ ok: false, code: 'invalid_origins' });
		expect(!result.ok && result.message).toContain('ftp://bad.example');
		expect(checkOrigins(Array.from({ length: 51 }, (_, i) => `https://a${i}.example`))).toMatchObject({ ok: false });
		expect(checkOrigins('https://x.example')).toMatchObject({ ok: false });
	});
});
