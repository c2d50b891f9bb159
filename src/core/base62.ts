import { randomBytes } from 'node:crypto';

/** The base62 alphabet: URL-safe and selected whole by a double click. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `length` uniformly random base62 characters from the CSPRNG. Bytes ≥ 248 are dropped
 * (rejection sampling), since 256 is not a multiple of 62 and `byte % 62` would favour low digits.
 *
 * @example
 * ```ts
 * randomBase62(30); // 'q3ZL0d…' (≈178 bits)
 * ```
 */
export function randomBase62(length: number): string {
	let out = '';
	while (out.length < length) {
		for (const byte of randomBytes(length + 8)) {
			if (byte >= 248) continue;
			out += BASE62_ALPHABET[byte % 62];
			if (out.length === length) break;
		}
	}
	return out;
}

/**
 * A non-negative integer in base62, left-padded with `0` to `width` characters.
 *
 * @example
 * ```ts
 * encodeBase62Fixed(61, 3); // '00z'
 * ```
 */
export function encodeBase62Fixed(value: number, width: number): string {
	if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
	let out = '';
	let rest = value;
	do {
		out = BASE62_ALPHABET[rest % 62] + out;
		rest = Math.floor(rest / 62);
	} while (rest > 0);
	return out.padStart(width, '0');
}
