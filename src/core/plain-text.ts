/**
 * Names and descriptions are text people read: control characters have no place in them, and they
 * break things downstream (PostgreSQL refuses NUL in text, an XML export refuses most C0 characters
 * and lone surrogates, a terminal obeys escape sequences).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SINGLE_LINE = /[\u0000-\u001F\u007F\uFFFE\uFFFF]|\p{Cs}/u;
/** Tab, line feed and carriage return are fine in a description. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|\p{Cs}/u;

/**
 * Whether `text` is free of control characters (tabs and line breaks allowed when `multiline`),
 * lone surrogates and non-characters.
 *
 * @example
 * ```ts
 * isPlainText('Globalping CLI'); // true
 * isPlainText('a\u0000b'); // false
 * isPlainText('line 1\nline 2', { multiline: true }); // true
 * ```
 */
export function isPlainText(text: string, { multiline = false }: { multiline?: boolean } = {}): boolean {
	return !(multiline ? MULTI_LINE : SINGLE_LINE).test(text);
}
