/**
 * Directus's `conceal` hides the token (and device code) hashes from every read, refuses every filter on them but
 * `_null`/`_empty`, and leaves them out of `search`. It does not stop `sort`, `groupBy` or
 * `aggregate`, through which an admin could still order or compare hashes (a lookup oracle):
 * {@link secretOrderingField} finds those, and the hook refuses them.
 */

/** `-hash` (sort), `max(hash)` (functions), `hash.x` (paths) all name `hash`. */
function fieldOf(reference: string): string {
	const bare = reference.trim().replace(/^-/, '');
	const inFunction = /^\w+\(([^)]*)\)$/.exec(bare);
	return (inFunction ? inFunction[1]! : bare).split('.')[0]!.trim();
}

function asList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return value.split(',');
	return [];
}

/**
 * The secret field a query sorts, groups or aggregates on, or `null`.
 *
 * @example
 * ```ts
 * secretOrderingField({ sort: ['-hash'] });             // 'hash'
 * secretOrderingField({ aggregate: { max: ['hash'] } }); // 'hash'
 * secretOrderingField({ sort: ['name'] });              // null
 * ```
 */
export function secretOrderingField(query: Record<string, unknown>, secrets: readonly string[] = ['hash', 'previous_hash']): string | null {
	const lists = [asList(query.sort), asList(query.group)];
	if (query.aggregate && typeof query.aggregate === 'object') lists.push(...Object.values(query.aggregate).map(asList));
	for (const list of lists) {
		for (const entry of list) {
			if (typeof entry !== 'string') continue;
			const field = fieldOf(entry);
			if (secrets.includes(field)) return field;
		}
	}
	return null;
}
