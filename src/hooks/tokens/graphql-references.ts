/**
 * Token ids named in a `/graphql/system` request (`create_comments_item`, `update_comments_item`,
 * `create_versions_item`, `create_shares_item`, …): the GraphQL twins of the REST routes in
 * `item-references.ts`, which check item access against the plain collection permission too.
 * Without a GraphQL parser in the bundle, ids are found as uuid-shaped strings in the query text
 * (with `\u` escapes of hex digits and `-` decoded, so an escaped id is found as well) and in the
 * variables. Pure helpers; `register-item-reference-guard.ts` wires them.
 */
const UUID_GLOBAL = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ESCAPE = /\\u(?:\{0*([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/g;

/** The query text with `\uXXXX` / `\u{X}` escapes of `[0-9a-fA-F-]` written out (others left alone). */
export function decodeIdEscapes(text: string): string {
	return text.replace(ESCAPE, (escape, braced: string | undefined, plain: string | undefined) => {
		const char = String.fromCodePoint(Number.parseInt(braced ?? plain ?? '', 16));
		return /^[0-9a-fA-F-]$/.test(char) ? char : escape;
	});
}

function strings(value: unknown, visit: (text: string) => string): unknown {
	if (typeof value === 'string') return visit(value);
	if (Array.isArray(value)) return value.map((entry) => strings(entry, visit));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, strings(entry, visit)]));
	}
	return value;
}

export interface GraphqlBody {
	query?: unknown;
	variables?: unknown;
}

/**
 * Every uuid-shaped string a GraphQL request body names (lower case).
 *
 * @example
 * ```ts
 * graphqlIds({ query: 'mutation { create_comments_item(data: { item: "…" }) { id } }' });
 * ```
 */
export function graphqlIds(body: GraphqlBody): string[] {
	const found = new Set<string>();
	const collect = (text: string) => {
		for (const match of text.matchAll(UUID_GLOBAL)) found.add(match[0].toLowerCase());
		return text;
	};
	if (typeof body.query === 'string') collect(decodeIdEscapes(body.query));
	strings(body.variables, collect);
	return [...found];
}

/**
 * The body with each of `ids` (lower case) replaced by `replacement`, in the query text and the
 * variables. The query text is only decoded (see {@link decodeIdEscapes}) when it names one of them.
 */
export function replaceGraphqlIds(body: GraphqlBody, ids: ReadonlySet<string>, replacement: string): GraphqlBody {
	const swap = (text: string) => text.replace(UUID_GLOBAL, (id) => (ids.has(id.toLowerCase()) ? replacement : id));
	return {
		...body,
		...(typeof body.query === 'string' ? { query: swap(decodeIdEscapes(body.query)) } : {}),
		...(body.variables === undefined ? {} : { variables: strings(body.variables, swap) }),
	};
}
