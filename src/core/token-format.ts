/**
 * Token format v1
 * ===============
 *
 *     <prefix>_<secret><checksum>          e.g. dtp_4fQk…(30 chars)…Xy12Ab
 *
 * - `prefix`: 2-16 characters `[a-z0-9]`, one per token kind (configurable). It lets every validator
 *   reject tokens that are not its own from the string alone (the Hypothesis note), and lets secret
 *   scanners recognise leaked tokens.
 * - `secret`: 30 base62 characters from the CSPRNG: 30·log2(62) ≈ 178.6 bits (≥ 160 required).
 * - `checksum`: CRC32 (IEEE, as zlib) of the ASCII string `<prefix>_<secret>`, as 6 base62 characters (GitHub's
 *   scheme). Typos and random strings fail it offline, with no database query.
 *
 * Only `hashToken(token)` (SHA-256, see token-hash.ts) is stored; the plaintext exists for the one
 * response that reveals it. A display `hint` (`<prefix>_<first 4 secret chars>…`) is stored too.
 *
 * Changing any of this is a new version: old tokens must keep parsing.
 */
import { DEFAULT_PREFIXES, TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
import { BASE62_ALPHABET, encodeBase62Fixed, randomBase62 } from './base62.js';
import { hashToken } from './token-hash.js';
import { crc32Ascii } from './crc32.js';

export const TOKEN_FORMAT_VERSION = 1;
export const SECRET_LENGTH = 30;
export const CHECKSUM_LENGTH = 6;
/** Secret characters a hint shows: 4 of 30 leave ≥ 154 bits unknown. */
export const HINT_SECRET_CHARS = 4;

const PREFIX_PATTERN = /^[a-z0-9]{2,16}$/;
/** Base62 digit values by char code (-1: not base62): lets parsing check and decode in one pass. */
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 62; i++) DIGIT[BASE62_ALPHABET.charCodeAt(i)] = i;
const MIN_LENGTH = 2 + 1 + SECRET_LENGTH + CHECKSUM_LENGTH;
const MAX_LENGTH = 16 + 1 + SECRET_LENGTH + CHECKSUM_LENGTH;

/** One prefix per token kind. */
export type TokenPrefixes = Readonly<Record<TokenKind, string>>;

/** What creating a token yields: the plaintext (reveal once), the hash (store) and a display hint. */
export interface GeneratedToken {
	token: string;
	hash: string;
	hint: string;
	kind: TokenKind;
}

export type ParsedToken =
	| { ok: true; kind: TokenKind; prefix: string; secret: string }
	| { ok: false; reason: 'not_a_string' | 'bad_shape' | 'unknown_prefix' | 'bad_checksum' };

function checksum(prefixAndSecret: string): string {
	return encodeBase62Fixed(crc32Ascii(prefixAndSecret), CHECKSUM_LENGTH);
}

/**
 * Makes a new token of `kind`.
 *
 * @example
 * ```ts
 * const { token, hash, hint } = generateToken('personal');
 * await store.insert({ hash, hint, ... }); // show `token` once, never store it
 * ```
 */
export function generateToken(kind: TokenKind, prefixes: TokenPrefixes = DEFAULT_PREFIXES): GeneratedToken {
	const prefix = prefixes[kind];
	const body = `${prefix}_${randomBase62(SECRET_LENGTH)}`;
	const token = body + checksum(body);
	return { token, hash: hashToken(token), hint: tokenHint(token), kind };
}

/**
 * Checks shape, prefix and checksum, cheapest first, without touching any storage. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseToken(bearer, config.prefixes);
 * if (!parsed.ok) return { valid: false, code: 'malformed' };
 * ```
 */
export function parseToken(input: unknown, prefixes: TokenPrefixes = DEFAULT_PREFIXES): ParsedToken {
	if (typeof input !== 'string') return { ok: false, reason: 'not_a_string' };
	// Length first: a 10 KB header costs nothing. Then one pass over the body, no regex: this runs
	// on every request of every API service, before the hash.
	const length = input.length;
	if (length < MIN_LENGTH || length > MAX_LENGTH) return { ok: false, reason: 'bad_shape' };
	const separator = input.indexOf('_');
	if (separator < 2 || length - separator - 1 !== SECRET_LENGTH + CHECKSUM_LENGTH) return { ok: false, reason: 'bad_shape' };
	let checksum = 0;
	for (let i = separator + 1; i < length; i++) {
		const code = input.charCodeAt(i);
		const digit = code < 128 ? DIGIT[code]! : -1;
		if (digit < 0) return { ok: false, reason: 'bad_shape' };
		if (i >= length - CHECKSUM_LENGTH) checksum = checksum * 62 + digit;
	}
	const prefix = input.slice(0, separator);
	let kind: TokenKind | undefined;
	for (const k of TOKEN_KINDS) if (prefixes[k] === prefix) kind = k;
	if (!kind) return { ok: false, reason: 'unknown_prefix' };
	// Zero-padded base62 is canonical, so comparing numbers equals comparing the 6 characters.
	if (crc32Ascii(input, length - CHECKSUM_LENGTH) !== checksum) return { ok: false, reason: 'bad_checksum' };
	return { ok: true, kind, prefix, secret: input.slice(separator + 1, length - CHECKSUM_LENGTH) };
}

/**
 * `true` when `input` is a token of one of our kinds with a valid checksum.
 *
 * @example
 * ```ts
 * if (!isWellFormedToken(bearer)) return next(); // not ours: let the next validator try
 * ```
 */
export function isWellFormedToken(input: unknown, prefixes: TokenPrefixes = DEFAULT_PREFIXES): boolean {
	return parseToken(input, prefixes).ok;
}

/**
 * The non-secret display form, `<prefix>_<first 4 secret characters>…`. It reveals at most
 * 4·5.95 ≈ 24 bits of the secret: ≥ 154 bits stay unknown, so it is safe to store and show.
 *
 * @example
 * ```ts
 * tokenHint('dtp_AbCd…'); // 'dtp_AbCd…'
 * ```
 */
export function tokenHint(token: string): string {
	const separator = token.indexOf('_');
	return `${token.slice(0, separator + 1 + HINT_SECRET_CHARS)}…`;
}

/**
 * Throws when a prefix set could not be parsed unambiguously.
 *
 * @example
 * ```ts
 * validatePrefixes({ personal: 'gp', app: 'gpa', service: 'gps' });
 * ```
 */
export function validatePrefixes(prefixes: TokenPrefixes): void {
	const seen = new Map<string, TokenKind>();
	for (const kind of TOKEN_KINDS) {
		const prefix = prefixes[kind];
		if (!PREFIX_PATTERN.test(prefix)) {
			throw new Error(`Token prefix for ${kind} must be 2-16 characters a-z 0-9, got "${prefix}"`);
		}
		const other = seen.get(prefix);
		if (other) throw new Error(`Token kinds ${other} and ${kind} share the prefix "${prefix}"`);
		seen.set(prefix, kind);
	}
}
