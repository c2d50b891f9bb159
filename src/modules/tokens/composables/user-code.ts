/**
 * Device-flow user codes (RFC 8628 §6.1) as people type, paste and read them: 8 letters from an
 * alphabet without vowels or look-alikes, shown as `XXXX-XXXX`. The field formats what is typed
 * (upper case, the dash put in, spaces and dashes dropped) and keeps any other character, so a
 * mistake stays visible and is named instead of silently swallowed. Pure.
 */
import { USER_CODE_ALPHABET, USER_CODE_LENGTH } from '../../../shared/constants.js';

const SEPARATORS = /[\s-]+/g;
const VALID = new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`);

/** The characters of a typed code, upper case, without spaces and dashes. */
function compact(typed: string): string {
	return typed.toUpperCase().replace(SEPARATORS, '');
}

/**
 * What the code field shows for what was typed or pasted.
 *
 * @example
 * ```ts
 * formatUserCode('ab cd-efgh'); // 'ABCD-EFGH'
 * formatUserCode('bcdfg');      // 'BCDF-G'
 * ```
 */
export function formatUserCode(typed: string): string {
	const chars = compact(typed);
	return chars.length > 4 ? `${chars.slice(0, 4)}-${chars.slice(4)}` : chars;
}

/**
 * The code in the server's form, or `null` when it is no code (wrong length or characters).
 *
 * @example
 * ```ts
 * parseUserCode(' bcdf ghjk '); // 'BCDF-GHJK'
 * parseUserCode('ABCD-EFGH');   // null: A and E are no code letters
 * ```
 */
export function parseUserCode(typed: string): string | null {
	const chars = compact(typed);
	return VALID.test(chars) ? formatUserCode(chars) : null;
}

/**
 * Why `typed` is no code, for under the field, or `null` when it is one. While `complete` is false
 * (the user is still typing), only characters that can never be part of a code are reported.
 *
 * @example
 * ```ts
 * userCodeProblem('BCDA', false); // 'A is not used in codes: they hold only the letters BCDFGHJKLMNPQRSTVWXZ.'
 * userCodeProblem('BCDF', true);  // 'A code has 8 letters, e.g. BCDF-GHJK.'
 * ```
 */
export function userCodeProblem(typed: string, complete: boolean): string | null {
	const chars = compact(typed);
	const foreign = [...new Set(chars)].filter((char) => !USER_CODE_ALPHABET.includes(char));
	if (foreign.length > 0) {
		const list = foreign.join(', ');
		return `${list} ${foreign.length === 1 ? 'is' : 'are'} not used in codes: they hold only the letters ${USER_CODE_ALPHABET}.`;
	}
	if (complete && chars.length === 0) return 'Enter the code your device shows.';
	if (complete ? chars.length !== USER_CODE_LENGTH : chars.length > USER_CODE_LENGTH) return `A code has ${USER_CODE_LENGTH} letters, e.g. BCDF-GHJK.`;
	return null;
}

/**
 * The code of a verification link (`?user_code=BCDF-GHJK`, RFC 8628 §3.3.1
 * `verification_uri_complete`), or `''` when it has none. A repeated parameter counts once.
 *
 * @example
 * ```ts
 * userCodeFromQuery({ user_code: 'bcdf-ghjk' }); // 'bcdf-ghjk'
 * ```
 */
export function userCodeFromQuery(query: Readonly<Record<string, string | null | undefined | (string | null)[]>>): string {
	const value = query.user_code;
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first.trim() : '';
}
