/**
 * Malformed requests to our paths that Directus would answer with a 500 before any of our code
 * runs: broken percent-encoding in the path (express fails to decode it), and standard query
 * parameters of the wrong shape (`?fields[_eq]=x&fields=id` makes Directus's query sanitizer call
 * string methods on an object). Found by `test/security-fuzz.test.ts`. Pure functions; the hook
 * mounts them before Directus's middlewares, for our path only (Directus's own routes, with the
 * same weaknesses, are its business).
 */

/** `/api-tokens…` as Express routes it: any case, percent-decoded (`/api%2Dtokens`). */
const GUARDED_PATH = /^\/api-tokens(?:\/|$)/i;

/**
 * Whether a request path is ours.
 *
 * @example
 * ```ts
 * isGuardedPath('/API-TOKENS/config'); // true
 * ```
 */
export function isGuardedPath(path: string): boolean {
	if (GUARDED_PATH.test(path)) return true;
	try {
		return GUARDED_PATH.test(decodeURIComponent(path));
	} catch {
		return false;
	}
}

/** Query parameters Directus reads as a string or a list of strings. */
const LIST_PARAMS = ['fields', 'groupBy', 'sort', 'meta'] as const;
/** Query parameters Directus reads as one string. */
const STRING_PARAMS = ['limit', 'offset', 'page', 'search', 'export', 'version'] as const;

const isStringList = (value: unknown) => typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/**
 * Why the path cannot be decoded, or `null`.
 *
 * @example
 * ```ts
 * malformedPath('/api-tokens/%zz'); // 'The path is not valid percent-encoded UTF-8.'
 * ```
 */
export function malformedPath(path: string): string | null {
	try {
		decodeURIComponent(path);
		return null;
	} catch {
		return 'The path is not valid percent-encoded UTF-8.';
	}
}

/**
 * The first standard query parameter with a shape Directus cannot read, as a message, or `null`.
 *
 * @example
 * ```ts
 * malformedQuery({ fields: [{ _eq: 'x' }, 'id'] }); // '"fields" must be a string or a list of strings.'
 * ```
 */
export function malformedQuery(query: Record<string, unknown>): string | null {
	for (const key of LIST_PARAMS) {
		if (key in query && !isStringList(query[key])) return `"${key}" must be a string or a list of strings.`;
	}
	for (const key of STRING_PARAMS) {
		if (key in query && typeof query[key] !== 'string') return `"${key}" must be given once, as a string.`;
	}
	const { aggregate } = query;
	if (aggregate !== undefined && typeof aggregate !== 'string') {
		const valid = aggregate !== null && typeof aggregate === 'object' && !Array.isArray(aggregate) && Object.values(aggregate).every(isStringList);
		if (!valid) return '"aggregate" must map functions to a field or a list of fields.';
	}
	return null;
}
