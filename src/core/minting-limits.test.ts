import { describe, expect, it } from 'vitest';
import { mintingLimit, type ActorToken } from './minting-limits.js';

const EXPIRES = Date.parse('2030-06-01T00:00:00Z');
const token: ActorToken = { id: 't', kind: 'personal', scopes: ['read', 'directus'], origins: [], expiresAt: EXPIRES, secret: 'current' };
const before = new Date(EXPIRES - 1000);
const after = new Date(EXPIRES + 1000);

describe('mintingLimit', () => {
	it('leaves sessions and Directus tokens alone', () => {
		expect(mintingLimit(null, { scopes: ['write'], origins: [], expiresAt: null })).toEqual({ ok: true, expiresAt: null, capped: false });
	});

	it('lets app tokens make nothing', () => {
		expect(mintingLimit({ ...token, kind: 'app' }, { scopes: [], origins: [], expiresAt: before })).toMatchObject({ ok: false, message: 'App tokens cannot create or change tokens.' });
	});

	it('keeps scopes within the token', () => {
		expect(mintingLimit(token, { scopes: ['read'], origins: [], expiresAt: before })).toEqual({ ok: true, expiresAt: before, capped: false });
		expect(mintingLimit(token, { scopes: ['read', 'write'], origins: [], expiresAt: before })).toMatchObject({ ok: false, field: 'scopes' });
	});

	it('keeps origins within a bound token', () => {
		const bound = { ...token, origins: ['https://www.example.com', 'https://*.example.org'] };
		expect(mintingLimit(bound, { scopes: [], origins: ['https://www.example.com'], expiresAt: before }).ok).toBe(true);
		expect(mintingLimit(bound, { scopes: [], origins: ['https://a.example.org', 'https://*.example.org'], expiresAt: before }).ok).toBe(true);
		expect(mintingLimit(bound, { scopes: [], origins: [], expiresAt: before })).toMatchObject({ ok: false, field: 'origins' });
		expect(mintingLimit(bound, { scopes: [], origins: ['https://evil.example.net'], expiresAt: before })).toMatchObject({ ok: false, field: 'origins' });
		expect(mintingLimit(bound, { scopes: [], origins: ['https://*.www.example.com'], expiresAt: before })).toMatchObject({ ok: false, field: 'origins' });
		// An unbound token may make bound ones.
		expect(mintingLimit(token, { scopes: [], origins: ['https://evil.example.net'], expiresAt: before }).ok).toBe(true);
	});

	it('shortens what would outlive the token, or refuses to reveal it', () => {
		expect(mintingLimit(token, { scopes: [], origins: [], expiresAt: after })).toEqual({ ok: true, expiresAt: new Date(EXPIRES), capped: true });
		expect(mintingLimit(token, { scopes: [], origins: [], expiresAt: null })).toEqual({ ok: true, expiresAt: new Date(EXPIRES), capped: true });
		expect(mintingLimit(token, { scopes: [], origins: [], expiresAt: after }, { shorten: false })).toMatchObject({ ok: false });
		expect(mintingLimit({ ...token, expiresAt: null }, { scopes: [], origins: [], expiresAt: null })).toEqual({ ok: true, expiresAt: null, capped: false });
	});
});
