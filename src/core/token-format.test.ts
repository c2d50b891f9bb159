import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFIXES, TOKEN_KINDS } from '../shared/constants.js';
import { BASE62_ALPHABET } from './base62.js';
import { CHECKSUM_LENGTH, SECRET_LENGTH, generateToken, parseToken, tokenHint, validatePrefixes } from './token-format.js';
import { hashToken } from './token-hash.js';

function substitute(token: string, index: number): string {
	const current = token[index]!;
	const replacement = BASE62_ALPHABET[(BASE62_ALPHABET.indexOf(current) + 17) % 62]!;
	return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('token format v1', () => {
	it.each(TOKEN_KINDS)('round-trips a %s token', (kind) => {
		const { token, hash, hint } = generateToken(kind);
		expect(token.startsWith(`${DEFAULT_PREFIXES[kind]}_`)).toBe(true);
		expect(token).toHaveLength(DEFAULT_PREFIXES[kind].length + 1 + SECRET_LENGTH + CHECKSUM_LENGTH);
		expect(parseToken(token)).toEqual({ ok: true, kind, prefix: DEFAULT_PREFIXES[kind], secret: token.slice(4, 4 + SECRET_LENGTH) });
		expect(hash).toBe(hashToken(token));
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(hint).toBe(`${token.slice(0, 8)}…`);
	});

	it('rejects every one-character typo in the secret and the checksum', () => {
		for (let sample = 0; sample < 20; sample++) {
			const { token } = generateToken('personal');
			for (let index = 4; index < token.length; index++) {
				expect(parseToken(substitute(token, index))).toEqual({ ok: false, reason: 'bad_checksum' });
			}
		}
	});

	it('rejects swapped adjacent characters', () => {
		const { token } = generateToken('app');
		let rejected = 0;
		for (let i = 4; i < token.length - 1; i++) {
			if (token[i] === token[i + 1]) continue;
			const swapped = token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
			expect(parseToken(swapped).ok).toBe(false);
			rejected++;
		}
		expect(rejected).toBeGreaterThan(20);
	});

	it('rejects tokens whose prefix is not configured', () => {
		const { token } = generateToken('personal');
		const custom = { personal: 'gpp', app: 'gpa', service: 'gps', anonymous: 'gpn' };
		expect(parseToken(token, custom)).toEqual({ ok: false, reason: 'unknown_prefix' });
		const own = generateToken('service', custom);
		expect(own.token.startsWith('gps_')).toBe(true);
		expect(parseToken(own.token, custom)).toMatchObject({ ok: true, kind: 'service' });
		expect(parseToken(own.token)).toEqual({ ok: false, reason: 'unknown_prefix' });
	});

	it('rejects garbage cheaply and without throwing', () => {
		const { token } = generateToken('personal');
		const cases: unknown[] = [undefined, null, 42, {}, '', 'Bearer', token.slice(0, -1), `${token}x`, 'x'.repeat(10_000),
			token.replace('_', '-'), `dtp__${token.slice(4, -1)}`, token.toUpperCase(), `${token.slice(0, 10)}é${token.slice(11)}`];
		for (const input of cases) expect(parseToken(input).ok, String(input).slice(0, 40)).toBe(false);
		expect(parseToken(42)).toEqual({ ok: false, reason: 'not_a_string' });
		expect(parseToken('x'.repeat(10_000))).toEqual({ ok: false, reason: 'bad_shape' });
	});

	it('makes distinct tokens of base62 characters only', () => {
		const tokens = new Set(Array.from({ length: 1000 }, () => generateToken('personal').token));
		expect(tokens.size).toBe(1000);
		for (const token of tokens) expect(token.slice(4)).toMatch(/^[0-9A-Za-z]{36}$/);
		// Uniform: every base62 character shows up across 30,000 secret characters.
		const seen = new Set([...tokens].flatMap((t) => [...t.slice(4, 4 + SECRET_LENGTH)]));
		expect(seen.size).toBe(62);
	});

	it('keeps the hint to 4 secret characters, useless for finding the token', () => {
		const { token, hint, hash } = generateToken('personal');
		expect(tokenHint(token)).toBe(hint);
		const secret = token.slice(4, 4 + SECRET_LENGTH);
		const revealed = hint.replace(/^dtp_/, '').replace('…', '');
		expect(revealed).toBe(secret.slice(0, 4));
		expect(secret.length - revealed.length).toBeGreaterThanOrEqual(26); // ≥ 154 bits unknown
		expect(hint).not.toContain(token.slice(-CHECKSUM_LENGTH));
		expect(hash).not.toContain(revealed);
	});

	it('refuses ambiguous or malformed prefix sets', () => {
		expect(() => validatePrefixes({ personal: 'dtp', app: 'dtp', service: 'dts', anonymous: 'dtn' })).toThrow(/share the prefix/);
		expect(() => validatePrefixes({ personal: 'DT', app: 'dta', service: 'dts', anonymous: 'dtn' })).toThrow(/a-z 0-9/);
		expect(() => validatePrefixes({ personal: 'd_t', app: 'dta', service: 'dts', anonymous: 'dtn' })).toThrow();
		expect(() => validatePrefixes({ personal: 'gp', app: 'gpa', service: 'gps', anonymous: 'gpn' })).not.toThrow();
	});
});
