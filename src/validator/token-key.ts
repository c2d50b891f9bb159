/**
 * How the validator keys tokens in memory: the SHA-256 of the token as 32 one-byte characters (a V8
 * string of 48 bytes, where the stored hex form takes 80), computed once per request, or not at all
 * when a small memo has seen the token lately.
 */
import * as crypto from 'node:crypto';
import type { TokenPrefixes } from '../core/token-format.js';
import { SECRET_LENGTH, CHECKSUM_LENGTH } from '../core/token-format.js';

type OneShotHash = (algorithm: string, data: string, encoding: 'latin1') => string;
// `crypto.hash` (Node ≥ 21.7) is about twice as fast as createHash() for one short input.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** The memory key of a token. */
export function digestToken(token: string): string {
	return oneShot ? oneShot('sha256', token, 'latin1') : crypto.createHash('sha256').update(token).digest().toString('latin1');
}

/** The memory key of a stored (hex) hash. */
export function keyOfHash(hex: string): string {
	return Buffer.from(hex, 'hex').toString('latin1');
}

/** The stored (hex) hash of a memory key. */
export function hashOfKey(key: string): string {
	return Buffer.from(key, 'latin1').toString('hex');
}

/**
 * A cheap first look, before any hashing: a string of a token's length that starts with one of our
 * prefixes and `_`. (The checksum is checked only when memory does not know the token.)
 */
export function plausibleTokenTest(prefixes: TokenPrefixes): (token: unknown) => token is string {
	const starts = Object.values(prefixes).map((prefix) => `${prefix}_`);
	const body = SECRET_LENGTH + CHECKSUM_LENGTH;
	return (token: unknown): token is string => {
		if (typeof token !== 'string') return false;
		for (const start of starts) if (token.length === start.length + body && token.startsWith(start)) return true;
		return false;
	};
}

/** Lookups between reviews of the memo's use, and hits a review wants to keep it on. */
const REVIEW_EVERY = 4_096;
const KEEP_AT_HITS = REVIEW_EVERY / 4;
/** Validations the memo sits out once it stopped paying, before it is tried again. */
const OFF_FOR = 65_536;

/**
 * Recently seen tokens and their keys, so that a token used again and again skips the SHA-256. It
 * watches whether it pays: when few lookups hit (many tokens in rotation, more than it holds), it
 * turns itself off for a while and tries again later, so it never makes such a workload slower
 * than having none. At most `size` entries (0: none, no token strings kept between requests).
 *
 * @example
 * ```ts
 * const memo = createKeyMemo(10_000);
 * const key = memo.keyOf(bearer);
 * ```
 */
export function createKeyMemo(size: number) {
	const memo = new Map<string, string>();
	let on = size > 0;
	let lookups = 0;
	let hits = 0;
	let offLeft = 0;

	function review() {
		if (hits < KEEP_AT_HITS) {
			on = false;
			offLeft = OFF_FOR;
			memo.clear();
		}
		lookups = hits = 0;
	}

	return {
		keyOf(token: string): string {
			if (!on) {
				if (size > 0 && --offLeft <= 0) on = true;
				return digestToken(token);
			}
			if (++lookups === REVIEW_EVERY) {
				review();
				if (!on) return digestToken(token);
			}
			const known = memo.get(token);
			if (known !== undefined) {
				hits += 1;
				return known;
			}
			const key = digestToken(token);
			if (memo.size >= size) memo.clear(); // bounded; the tokens that matter come back at once
			memo.set(token, key);
			return key;
		},
		clear() {
			memo.clear();
		},
		/** For tests: whether lookups go through the memo now, and how many tokens it holds. */
		state: () => ({ on, size: memo.size }),
	};
}
