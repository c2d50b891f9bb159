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

/**
 * Recently seen tokens and their keys, so that a token used again and again skips the SHA-256: a
 * direct-mapped table (a power of two of slots, at least `size`), each token in the slot its own
 * random characters pick. A token takes its slot only when seen there twice in a row (the first
 * time leaves a 32-bit mark): with many tokens in rotation, marks keep replacing each other and no
 * key is kept, so a miss costs a few character reads and one number written, nothing for the garbage
 * collector to promote; the table never grows, rehashes or empties itself. A token chosen to collide
 * with another only evicts it. It also watches whether it pays: when few lookups hit (a table of
 * 16,384 slots read at random costs a cache miss or two), it sits out a while and tries again, so a
 * workload of many tokens in rotation is no slower than with no memo at all. `size` 0: no table, no
 * token strings kept between requests.
 *
 * @example
 * ```ts
 * const memo = createKeyMemo(10_000);
 * const key = memo.keyOf(bearer); // a plausible token (see plausibleTokenTest)
 * ```
 */
/** Lookups between reviews of the memo's use, and the hits a review wants to keep it on. */
const REVIEW_EVERY = 4_096;
const KEEP_AT_HITS = REVIEW_EVERY / 8;
/** Lookups the memo sits out once it stopped paying, before it is tried again. */
const OFF_FOR = 65_536;

export function createKeyMemo(size: number) {
	let bits = 0;
	while (size > 0 && 2 ** bits < size) bits += 1;
	const slots = 2 ** bits;
	const tokens: (string | undefined)[] = size > 0 ? new Array<string | undefined>(slots).fill(undefined) : [];
	const keys: (string | undefined)[] = size > 0 ? new Array<string | undefined>(slots).fill(undefined) : [];
	const marks = new Int32Array(size > 0 ? slots : 0);
	let lookups = 0;
	let hits = 0;
	let offLeft = size > 0 ? 0 : Infinity;

	/** Four characters of the secret (uniformly random base62) just before the checksum, mixed (Fibonacci hashing). */
	function slotOf(token: string): number {
		const end = token.length - CHECKSUM_LENGTH;
		const packed = token.charCodeAt(end - 1) | (token.charCodeAt(end - 2) << 8) | (token.charCodeAt(end - 3) << 16) | (token.charCodeAt(end - 4) << 24);
		return bits === 0 ? 0 : Math.imul(packed, 0x9e3779b1) >>> (32 - bits);
	}

	/** Four other characters of the secret, never 0: what a first sighting leaves in its slot. */
	function markOf(token: string): number {
		const end = token.length - CHECKSUM_LENGTH - 4;
		return (token.charCodeAt(end - 1) | (token.charCodeAt(end - 2) << 8) | (token.charCodeAt(end - 3) << 16) | (token.charCodeAt(end - 4) << 24)) | 1;
	}

	return {
		keyOf(token: string): string {
			if (offLeft > 0) {
				offLeft -= 1;
				return digestToken(token);
			}
			if (++lookups === REVIEW_EVERY) {
				if (hits < KEEP_AT_HITS) offLeft = OFF_FOR;
				lookups = hits = 0;
			}
			const slot = slotOf(token);
			if (tokens[slot] === token) {
				hits += 1;
				return keys[slot]!;
			}
			const key = digestToken(token);
			const mark = markOf(token);
			if (marks[slot] === mark) {
				tokens[slot] = token;
				keys[slot] = key;
			} else marks[slot] = mark;
			return key;
		},
		clear() {
			tokens.fill(undefined);
			keys.fill(undefined);
			marks.fill(0);
		},
		/** For tests: how many tokens it holds, and how many it can. */
		state: () => ({ held: tokens.filter((token) => token !== undefined).length, slots: size > 0 ? slots : 0, on: offLeft === 0 }),
	};
}
