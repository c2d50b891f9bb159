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
		const plausible = plausibleTokenTest({ personal: 'dtp', app: 'dta', service: 'dts', anonymous: 'dtn' });
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
	it('answers the digest for every token of any sequence, and stays within its slots', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 16 }), fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 3_000 }), (size, picks) => {
				const memo = createKeyMemo(size);
				for (const pick of picks) {
					const token = pool[pick]!;
					if (memo.keyOf(token) !== digestToken(token)) return false;
				}
				const { held, slots } = memo.state();
				return slots >= size && slots < 2 * size + 1 && held <= slots;
			}),
			{ numRuns: 50 },
		);
	});

	it('keeps a token seen twice in a row, and nothing of many tokens in rotation', () => {
		const memo = createKeyMemo(10_000);
		expect(memo.state().slots).toBe(16_384);
		const hot = pool[0]!;
		memo.keyOf(hot);
		expect(memo.state().held).toBe(0); // a first sighting leaves only a mark
		memo.keyOf(hot);
		expect(memo.state().held).toBe(1);
		memo.clear();
		// 100,000 tokens in turn, twice: each slot's mark is replaced before its token comes back.
		const many = Array.from({ length: 100_000 }, () => generateToken('personal').token);
		for (let round = 0; round < 2; round++) for (const token of many) expect(memo.keyOf(token)).toBe(digestToken(token));
		expect(memo.state().held).toBeLessThan(1_000); // of 16,384 slots: only where no other token came between
	});

	it('sits out while few lookups hit, and comes back for a few hot tokens', () => {
		const memo = createKeyMemo(10_000);
		const many = Array.from({ length: 20_000 }, () => generateToken('personal').token);
		for (const token of many) memo.keyOf(token);
		expect(memo.state().on).toBe(false);
		for (let i = 0; i < 100_000; i++) expect(memo.keyOf(pool[i % 2]!)).toBe(digestToken(pool[i % 2]!));
		expect(memo.state()).toMatchObject({ on: true, held: 2 });
	});

	it('keeps nothing when its size is 0', () => {
		const memo = createKeyMemo(0);
		for (const token of pool) expect(memo.keyOf(token)).toBe(digestToken(token));
		expect(memo.state()).toEqual({ held: 0, slots: 0, on: false });
	});
});
