/**
 * The two codes of a device authorization (RFC 8628):
 * - the device code, which only the client knows: 256 random bits, like a token (stored hashed);
 * - the user code, which the user reads on the device and types in the dashboard: 8 letters from an
 *   alphabet of 20 consonants (no vowels, so no words; no 0/O or 1/I to confuse), shown `XXXX-XXXX`.
 *   20^8 ≈ 2.6·10^10 codes: with a few live at once and wrong entries rate-limited per user and per
 *   IP, guessing one is hopeless. Stored hashed too; input is forgiving (case, spaces, dashes).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { USER_CODE_ALPHABET, USER_CODE_LENGTH } from '../shared/constants.js';
import { hashToken } from './token-hash.js';

export function generateUserCode(): string {
	let code = '';
	for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
	return code;
}

/**
 * The 8 letters of what a user typed, or `null` when it cannot be a user code.
 *
 * @example
 * ```ts
 * normaliseUserCode(' wdjb-mjht '); // 'WDJBMJHT'
 * normaliseUserCode('WDJB-MJH0');   // null
 * ```
 */
export function normaliseUserCode(input: string): string | null {
	if (input.length > 64) return null;
	const letters = input.toUpperCase().replace(/[\s-]/g, '');
	if (letters.length !== USER_CODE_LENGTH) return null;
	for (const letter of letters) if (!USER_CODE_ALPHABET.includes(letter)) return null;
	return letters;
}

/** `WDJBMJHT` → `WDJB-MJHT`. */
export function formatUserCode(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function generateDeviceCode(): string {
	return randomBytes(32).toString('base64url');
}

/** What is stored for either code: its SHA-256 (the user code's normalised letters). */
export const hashCode = hashToken;
