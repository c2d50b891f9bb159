/**
 * "Is any secret in here?" for leak tests: every plaintext token we were handed, with the forms a
 * careless log line or export could carry it in (the secret without its prefix, URL-encoded).
 */
import { parseToken } from '../../src/core/token-format.js';

export interface Needle {
	/** What to report on a hit (never the secret itself). */
	label: string;
	value: string;
}

/** The needles of one plaintext token: the token, `<secret><checksum>` and the bare secret. */
export function tokenNeedles(label: string, token: string): Needle[] {
	const parsed = parseToken(token);
	if (!parsed.ok) throw new Error(`${label} is not a token of ours`);
	const afterPrefix = token.slice(parsed.prefix.length + 1);
	return [
		{ label, value: token },
		{ label: `${label} (secret+checksum)`, value: afterPrefix },
		{ label: `${label} (secret)`, value: parsed.secret },
	];
}

/** Labels of the needles found in `haystack` (also URL-encoded: base62 encodes to itself, `_` too). */
export function findNeedles(haystack: string, needles: readonly Needle[]): string[] {
	return needles.filter((needle) => haystack.includes(needle.value)).map((needle) => needle.label);
}
