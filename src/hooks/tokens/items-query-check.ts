/**
 * Type checks for queries on `api_tokens` (REST, GraphQL, batch updates by query), before they
 * reach the database. Directus passes filter values through as they come, and PostgreSQL refuses
 * what SQLite shrugs off: `id = 'abc'` on a uuid column, `expires_at > 'abc'`, `sum(name)`, a NUL
 * in a text comparison, ordering by a json column. Each of those was a 500 (found by
 * `test/security-fuzz.test.ts`); here it is a 400 naming the field. Fields this file does not know,
 * and relational sub-filters (`user.email`), are left to Directus.
 */
import { isUuid } from '../../core/uuid.js';

type ColumnType = 'uuid' | 'timestamp' | 'boolean' | 'integer' | 'json' | 'string';

/** The columns of `api_tokens` (see the migration), by how the database compares them. */
export const TOKEN_COLUMNS: Record<string, ColumnType> = {
	id: 'uuid',
	app: 'uuid',
	user: 'uuid',
	user_created: 'uuid',
	user_updated: 'uuid',
	expires_at: 'timestamp',
	last_used_at: 'timestamp',
	revoked_at: 'timestamp',
	grace_until: 'timestamp',
	date_created: 'timestamp',
	date_updated: 'timestamp',
	hidden: 'boolean',
	refreshable: 'boolean',
	row_id: 'integer',
	scopes: 'json',
	origins: 'json',
	name: 'string',
	description: 'string',
	kind: 'string',
	hint: 'string',
};

/** A column's type; own properties only, so `__proto__` or `constructor` is no column. */
const columnType = (field: string): ColumnType | undefined => (Object.hasOwn(TOKEN_COLUMNS, field) ? TOKEN_COLUMNS[field] : undefined);

const DATE_FUNCTIONS = new Set(['year', 'month', 'week', 'day', 'weekday', 'hour', 'minute', 'second']);
const NULL_OPERATORS = new Set(['_null', '_nnull', '_empty', '_nempty']);
const LIST_OPERATORS = new Set(['_in', '_nin', '_between', '_nbetween']);
const COMPARISONS = new Set(['_eq', '_neq', '_lt', '_lte', '_gt', '_gte']);
const TEXT_OPERATORS = new Set([
	'_contains', '_ncontains', '_icontains', '_nicontains',
	'_starts_with', '_nstarts_with', '_istarts_with', '_nistarts_with',
	'_ends_with', '_nends_with', '_iends_with', '_niends_with',
]);
const INT_MAX = 2 ** 31 - 1;
/** ISO 8601 dates and times as PostgreSQL, MySQL and SQLite all read them. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

type Query = Record<string, unknown>;

/** Names that look a property up on Directus's plain objects instead of a field (`groupBy[]=__proto__` was a 500). */
const OBJECT_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `year(expires_at)` → `{ fn: 'year', field: 'expires_at' }`; `-name` → `{ fn: null, field: 'name' }`. */
function parseReference(reference: string): { fn: string | null; field: string } {
	const bare = reference.trim().replace(/^-/, '');
	const call = /^(\w+)\((.*)\)$/.exec(bare);
	return call ? { fn: call[1]!, field: call[2]!.trim() } : { fn: null, field: bare };
}

/** The type a reference compares as, a problem, or `null` when it is not one of our columns. */
function referenceType(reference: string): { type: ColumnType } | { problem: string } | null {
	const { fn, field } = parseReference(reference);
	if (field.split('.').some((part) => OBJECT_KEYS.has(part.trim()))) return { problem: `"${field}" is not a field` };
	const type = columnType(field);
	if (!type) return null;
	if (fn === null) return { type };
	if (DATE_FUNCTIONS.has(fn)) return type === 'timestamp' ? { type: 'integer' } : { problem: `${fn}() applies to date fields only, not "${field}"` };
	if (fn === 'count') return type === 'json' ? { type: 'integer' } : { problem: `count() applies to list fields only, not "${field}"` };
	return { problem: `unknown function ${fn}()` };
}

function scalarProblem(type: ColumnType, value: unknown, nullable: boolean): string | null {
	if (value === null) return nullable ? null : 'must not be null';
	if (typeof value === 'string' && value.includes('\u0000')) return 'must not contain NUL characters';
	switch (type) {
		case 'uuid':
			return isUuid(value) ? null : 'must be a UUID';
		case 'timestamp': {
			if (value instanceof Date) return Number.isFinite(value.getTime()) ? null : 'must be a valid time';
			return typeof value === 'string' && ISO_TIME.test(value.trim()) && Number.isFinite(Date.parse(value)) ? null : 'must be an ISO 8601 time';
		}
		case 'boolean':
			return [true, false, 1, 0, 'true', 'false', '1', '0'].includes(value as never) ? null : 'must be true or false';
		case 'integer': {
			const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
			return Number.isInteger(number) && Math.abs(number) <= INT_MAX ? null : 'must be a whole number';
		}
		case 'json':
			return 'can only be tested for null or empty, or searched with _contains';
		case 'string':
			return typeof value === 'string' || typeof value === 'number' ? null : 'must be text';
	}
}

/** `_in: 'a,b'` (REST) and `_in: ['a', 'b']` (JSON, GraphQL) alike. */
function asItems(value: unknown): unknown[] | null {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return value.split(',');
	return null;
}

function operatorProblem(field: string, type: ColumnType, operator: string, operand: unknown): string | null {
	const problem = (text: string) => `"${field}" ${operator}: ${text}`;
	if (NULL_OPERATORS.has(operator)) return null;
	if (LIST_OPERATORS.has(operator)) {
		const items = asItems(operand);
		if (!items) return problem('must be a list');
		if (type === 'json') return problem(scalarProblem('json', null, false)!);
		for (const item of items) {
			const found = scalarProblem(type, item, false);
			if (found) return problem(found);
		}
		return null;
	}
	if (COMPARISONS.has(operator)) {
		const found = scalarProblem(type, operand, operator === '_eq' || operator === '_neq');
		return found ? problem(found) : null;
	}
	if (TEXT_OPERATORS.has(operator) || operator === '_regex') {
		if (type !== 'string' && type !== 'json') return problem('text operators apply to text fields only');
		if (typeof operand !== 'string' && typeof operand !== 'number') return problem('must be text');
		if (String(operand).includes('\u0000')) return problem('must not contain NUL characters');
		if (operator === '_regex') {
			if (type === 'json') return problem('text operators apply to text fields only');
			try {
				new RegExp(String(operand));
			} catch {
				return problem('is not a valid regular expression');
			}
		}
		return null;
	}
	return problem('is not an operator these fields support');
}

function filterProblem(filter: unknown): string | null {
	if (Array.isArray(filter)) {
		for (const entry of filter) {
			const found = filterProblem(entry);
			if (found) return found;
		}
		return null;
	}
	if (filter === null || typeof filter !== 'object') return null;
	for (const [key, value] of Object.entries(filter)) {
		if (key === '_and' || key === '_or') {
			if (!Array.isArray(value)) return `${key} must be a list of filters`;
			const found = filterProblem(value);
			if (found) return found;
			continue;
		}
		const resolved = referenceType(key);
		if (!resolved) continue;
		if ('problem' in resolved) return resolved.problem;
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return `"${key}" needs an operator, such as {"_eq": …}`;
		const entries = Object.entries(value);
		// `{ user: { email: { _eq: … } } }` filters another collection: Directus's business.
		if (entries.some(([operator]) => !operator.startsWith('_'))) continue;
		for (const [operator, operand] of entries) {
			const found = operatorProblem(key, resolved.type, operator, operand);
			if (found) return found;
		}
	}
	return null;
}

function asList(value: unknown): string[] {
	if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
	return typeof value === 'string' ? value.split(',') : [];
}

/** Fields, sort and group references: functions on the right types, no ordering or grouping by json. */
function referencesProblem(query: Query): string | null {
	const aliased = query.alias && typeof query.alias === 'object' ? Object.values(query.alias).filter((v): v is string => typeof v === 'string') : [];
	const checks: Array<[string, string[], boolean]> = [
		['fields', asList(query.fields), false],
		['sort', asList(query.sort), true],
		['groupBy', asList(query.group), true],
		['alias', aliased, false],
	];
	for (const [name, references, ordered] of checks) {
		for (const reference of references) {
			const resolved = referenceType(reference);
			if (!resolved) continue;
			if ('problem' in resolved) return `${name}: ${resolved.problem}`;
			if (ordered && resolved.type === 'json') return `${name}: "${reference.trim()}" is a list and cannot be sorted or grouped by`;
		}
	}
	return null;
}

const AGGREGATE_TYPES: Record<string, ColumnType[] | 'any'> = {
	count: 'any',
	countAll: 'any',
	countDistinct: ['uuid', 'timestamp', 'boolean', 'integer', 'string'],
	sum: ['integer'],
	sumDistinct: ['integer'],
	avg: ['integer'],
	avgDistinct: ['integer'],
	min: ['integer', 'timestamp', 'string'],
	max: ['integer', 'timestamp', 'string'],
};

function aggregateProblem(aggregate: unknown): string | null {
	if (aggregate === null || typeof aggregate !== 'object') return null;
	for (const [operation, fields] of Object.entries(aggregate)) {
		const allowed = AGGREGATE_TYPES[operation];
		for (const raw of asList(fields)) {
			const field = raw.trim();
			// Only this collection's own columns: Directus writes `max(user.password)` into the SQL as is.
			const type = columnType(field);
			if (field !== '*' && !type) return `aggregate ${operation}(): "${field}" is not a field of API tokens`;
			if (type && allowed && allowed !== 'any' && !allowed.includes(type)) return `aggregate ${operation}() does not apply to "${field}"`;
		}
	}
	return null;
}

function paginationProblem(query: Query): string | null {
	for (const key of ['limit', 'offset', 'page'] as const) {
		const value = query[key];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > INT_MAX) return `${key} must be a whole number up to ${INT_MAX}`;
	}
	return null;
}

/**
 * The first part of an `api_tokens` query the database would fail on, as a message, or `null`.
 * Runs on Directus's sanitized query (`filter` parsed, `$CURRENT_USER` and `$NOW` resolved).
 *
 * @example
 * ```ts
 * tokenQueryProblem({ filter: { id: { _eq: 'abc' } } }); // '"id" _eq: must be a UUID'
 * tokenQueryProblem({ aggregate: { sum: ['name'] } }); // 'aggregate sum() does not apply to "name"'
 * ```
 */
export function tokenQueryProblem(query: Query): string | null {
	if (typeof query.search === 'string' && query.search.includes('\u0000')) return 'search must not contain NUL characters';
	return filterProblem(query.filter) ?? referencesProblem(query) ?? aggregateProblem(query.aggregate) ?? paginationProblem(query);
}
