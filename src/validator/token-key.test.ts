/**
 * The key memo against the plain computation it saves: whatever the sequence of tokens, `keyOf`
 * answers exactly the digest; it stays bounded, turns itself off when many tokens rotate through it,
 * and comes back when a few hot tokens return.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateToken } from '../core/token-format.js';
import { hashToken } from '../core/token-hash.js';
import { createKeyMemo, digestToken, hashOfKey, keyOfHash, plausibleTokenTest } from './token-key.js';

const pool = Array.from({ length: 64 }, () => generateToken('personal').token);

describe('token keys', () => {
	it('are the stored SHA-256 in 32 one-byte characters, both ways', () => {
		for (const token of pool.slice(0, 8)) {
			const key = digestToken(token);
			expect(key).toHaveLength(32);
			expect(key).toBe(createHash('sha256').update(token).digest().toString('latin1'));
			expect(hashOfKey(key)).toBe(hashToken(token));
			expect(keyOfHash(hashToken(token))).toBe(key);
		}
	});

	it('let through only strings of a token’s length with one of our prefixes', () => {
		const plausible = plausibleTokenTest({ personal: 'dtp', app: 'dta', service: 'dts' });
		const { token } = generateToken('personal');
		expect(plausible(token)).toBe(true);
		expect(plausible(token.slice(0, -1))).toBe(false);
		expect(plausible(`${token}x`)).toBe(false);
		expect(plausible(`ghp${token.slice(3)}`)).toBe(false);
		expect(plausible(42)).toBe(false);
		expect(plausible(null)).toBe(false);
	});
});

describe('the key memo against the plain digest', () => {
	it('answers the digest for every token of any sequence, and stays within its size', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 16 }), fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 3_000 }), (size, picks) => {
				const memo = createKeyMemo(size);
				for (const pick of picks) {
					const token = pool[pick]!;
					if (memo.keyOf(token) !== digestToken(token)) return false;
					if (memo.state().size > size) return false;
				}
				return true;
			}),
			{ numRuns: 50 },
		);
	});

	it('turns itself off when many tokens rotate through it, and on again for a few hot ones', () => {
		const memo = createKeyMemo(100);
		// 1,000 tokens round-robin through a memo of 100: it never hits, so it stops trying.
		const many = Array.from({ length: 1_000 }, () => generateToken('personal').token);
		for (let i = 0; i < 10_000; i++) memo.keyOf(many[i % many.length]!);
		expect(memo.state()).toEqual({ on: false, size: 0 });
		// Two hot tokens: after it has sat out its time, it comes back and keeps them.
		for (let i = 0; i < 100_000; i++) expect(memo.keyOf(pool[i % 2]!)).toBe(digestToken(pool[i % 2]!));
		expect(memo.state()).toEqual({ on: true, size: 2 });
	});

	it('keeps nothing when its size is 0', () => {
		const memo = createKeyMemo(0);
		for (const token of pool) memo.keyOf(token);
		expect(memo.state()).toEqual({ on: false, size: 0 });
	});
});
