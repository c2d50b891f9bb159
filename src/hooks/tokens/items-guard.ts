/**
 * Row- and field-level rules for `api_tokens` that Directus 12's unlicensed permissions cannot
 * express: a non-admin sees only their own visible (non-hidden) tokens, and nobody, admins included,
 * reads, filters, sorts, groups, aggregates or searches on a hash (it would be a lookup oracle).
 * Pure functions over Directus's query object; the hook wires them to `items.query` / `items.read`.
 */

export const SECRET_FIELDS = ['hash', 'previous_hash'] as const;
/** Columns a free-text `search` looks in (instead of every string column, hashes included). */
export const SEARCHABLE_FIELDS = ['name', 'description', 'hint'] as const;

type Query = Record<string, unknown>;

function fieldOf(reference: string): string {
	// `-hash` (sort), `count(hash)` / `year(hash)` (functions), `hash.x` (paths)
	const bare = reference.replace(/^-/, '');
	const inFunction = /^\w+\(([^)]*)\)$/.exec(bare);
	return (inFunction ? inFunction[1]! : bare).split('.')[0]!.trim();
}

function isSecret(reference: unknown): reference is string {
	return typeof reference === 'string' && (SECRET_FIELDS as readonly string[]).includes(fieldOf(reference));
}

/** The first non-null `match(key)` over the keys of a nested filter (objects and lists, any depth). */
function firstKeyMatch(value: unknown, match: (key: string) => string | null): string | null {
	if (Array.isArray(value)) {
		for (const entry of value) {
			const found = firstKeyMatch(entry, match);
			if (found) return found;
		}
		return null;
	}
	if (value === null || typeof value !== 'object') return null;
	for (const [key, entry] of Object.entries(value)) {
		const found = match(key) ?? firstKeyMatch(entry, match);
		if (found) return found;
	}
	return null;
}

const secretInFilter = (filter: unknown) => firstKeyMatch(filter, (key) => (isSecret(key) ? fieldOf(key) : null));

function asList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return value.split(',');
	return [];
}

/**
 * The first secret field a query touches anywhere (fields, filter, sort, group, aggregate, alias,
 * deep), or `null`.
 */
export function findSecretReference(query: Query): string | null {
	const lists = [asList(query.fields), asList(query.sort), asList(query.group)];
	if (query.aggregate && typeof query.aggregate === 'object') lists.push(...Object.values(query.aggregate).map(asList));
	if (query.alias && typeof query.alias === 'object') lists.push(Object.values(query.alias));
	for (const list of lists) {
		const found = list.find(isSecret);
		if (found) return fieldOf(found);
	}
	return secretInFilter(query.filter) ?? secretInFilter(query.deep);
}

/** Turns `search` into a filter over {@link SEARCHABLE_FIELDS}, so a search never matches a hash. */
export function withSafeSearch(query: Query): Query {
	if (typeof query.search !== 'string' || query.search === '') return query;
	const { search, ...rest } = query;
	const matches = { _or: SEARCHABLE_FIELDS.map((field) => ({ [field]: { _icontains: search } })) };
	return { ...rest, filter: rest.filter ? { _and: [rest.filter, matches] } : matches };
}

/** Narrows a non-admin's query to their own tokens that are not hidden. */
export function restrictToOwnVisible(query: Query, userId: string | null | undefined): Query {
	// No user (public or a share): match nothing.
	const own = userId ? { _and: [{ user: { _eq: userId } }, { hidden: { _eq: false } }] } : { id: { _null: true } };
	return { ...query, filter: query.filter ? { _and: [query.filter, own] } : own };
}

/** Removes secret fields from whatever Directus read (`fields=*` included). */
export function stripSecrets<T>(records: T): T {
	const strip = (record: unknown) => {
		if (record && typeof record === 'object') for (const field of SECRET_FIELDS) delete (record as Record<string, unknown>)[field];
	};
	if (Array.isArray(records)) records.forEach(strip);
	else strip(records);
	return records;
}

/**
 * A non-admin's `meta` counts on `/items/api_tokens`. Directus's MetaService counts them itself, from
 * the request's query and the plain collection permission, without the `items.query` filter above:
 * `filter_count` counted every user's matching tokens (B learnt which of A's ids exist, and A's names
 * letter by letter) and `total_count` the whole table. So `filter_count` is counted over the user's
 * own visible tokens, and `total_count` (always over the whole collection) is not answered.
 * Takes the sanitized query or a raw one (`SEARCH` bodies: `meta` and `filter` may be strings).
 */
export function restrictMetaQuery(query: Query, userId: string | null | undefined): Query {
	if (query.meta === undefined || query.meta === null) return query;
	const wanted = asList(query.meta).map((entry) => String(entry).trim());
	const rest = { ...query };
	delete rest.meta;
	let filter = rest.filter;
	if (typeof filter === 'string') {
		try {
			filter = JSON.parse(filter) as unknown;
		} catch {
			return rest; // Directus refuses the filter itself; just count nothing
		}
	}
	if (!wanted.includes('*') && !wanted.includes('filter_count')) return rest;
	return restrictToOwnVisible(withSafeSearch({ ...rest, ...(filter === undefined ? {} : { filter }), meta: ['filter_count'] }), userId);
}

/** Our collections, which no non-admin may reach through a reverse relation. */
export const FOLLOW_PROTECTED = ['api_tokens', 'api_token_events', 'api_token_apps'] as const;
const FOLLOW = /^\$FOLLOW\(\s*([^,\s)]+)/;

const followIn = (value: unknown) =>
	firstKeyMatch(value, (key) => {
		const collection = FOLLOW.exec(key)?.[1];
		return collection && (FOLLOW_PROTECTED as readonly string[]).includes(collection) ? collection : null;
	});

/**
 * The first of our collections a query reaches through Directus's implicit reverse relation
 * (`filter[$FOLLOW(api_tokens,user)][name][_eq]=…` on `/users`, also in `deep`), or `null`. Such a
 * filter runs as a subquery on `api_tokens` that no item event of ours sees, so a user who may read
 * other users could filter them by their tokens' ids, names, hints or kinds.
 * Takes the sanitized query or a raw one (`filter`/`deep` may be JSON strings).
 */
export function findFollowIntoTokens(query: Query): string | null {
	const parse = (value: unknown) => {
		if (typeof value !== 'string') return value;
		try {
			return JSON.parse(value) as unknown;
		} catch {
			return null;
		}
	};
	return followIn(parse(query.filter)) ?? followIn(parse(query.deep));
}
