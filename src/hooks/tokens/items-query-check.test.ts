import { describe, expect, it } from 'vitest';
import { tokenQueryProblem } from './items-query-check.js';

const ID = '2f0e1c1e-9a4b-4c59-8a0f-3f1d5c6b7a80';

describe('tokenQueryProblem', () => {
	it.each([
		[{ filter: { id: { _eq: 'abc' } } }, '"id" _eq: must be a UUID'],
		[{ filter: { id: { _eq: '-'.repeat(36) } } }, 'must be a UUID'],
		[{ filter: { user: { _in: 'abc,def' } } }, '"user" _in: must be a UUID'],
		[{ filter: { app: { _neq: 1 } } }, 'must be a UUID'],
		[{ filter: { expires_at: { _gt: 'abc' } } }, '"expires_at" _gt: must be an ISO 8601 time'],
		[{ filter: { expires_at: { _between: ['a', 'b'] } } }, 'ISO 8601'],
		[{ filter: { expires_at: { _contains: '2026' } } }, 'text operators apply to text fields only'],
		[{ filter: { hidden: { _eq: 2 } } }, 'must be true or false'],
		[{ filter: { row_id: { _gt: 'abc' } } }, 'whole number'],
		[{ filter: { row_id: { _eq: '99999999999999999999' } } }, 'whole number'],
		[{ filter: { name: { _eq: 'a\u0000b' } } }, 'NUL'],
		[{ filter: { name: { _eq: { _eq: 1 } } } }, 'must be text'],
		[{ filter: { name: { _regex: '(' } } }, 'regular expression'],
		[{ filter: { scopes: { _eq: '{"a":1}' } } }, '"scopes" _eq'],
		[{ filter: { id: { _eq: ['%', null] } } }, 'must be a UUID'],
		[{ filter: { _and: 'x' } }, '_and must be a list'],
		[{ filter: { _or: [{ name: { _eq: 'a' } }, { id: { _in: ['x'] } }] } }, 'must be a UUID'],
		[{ filter: { 'year(name)': { _eq: 2026 } } }, 'year() applies to date fields only'],
		[{ filter: { 'year(expires_at)': { _eq: 'abc' } } }, 'whole number'],
		[{ filter: { id: { _unknown: 1 } } }, 'is not an operator'],
		[{ filter: { name: 'x' } }, 'needs an operator'],
		[{ aggregate: { sum: ['name'] } }, 'aggregate sum() does not apply to "name"'],
		[{ aggregate: { avg: ['expires_at'] } }, 'avg()'],
		[{ aggregate: { min: ['scopes'] } }, 'min()'],
		[{ aggregate: { max: ['id'] } }, 'max()'],
		[{ aggregate: { countDistinct: ['origins'] } }, 'countDistinct()'],
		[{ sort: ['scopes'] }, 'cannot be sorted or grouped'],
		[{ sort: ['year(name)'] }, 'year() applies to date fields only'],
		[{ group: ['origins'] }, 'cannot be sorted or grouped'],
		[{ fields: ['count(name)'] }, 'count() applies to list fields only'],
		[{ search: 'a\u0000' }, 'NUL'],
		[{ group: ['__proto__'] }, 'is not a field'],
		[{ sort: ['constructor'] }, 'is not a field'],
		[{ fields: ['user.__proto__'] }, 'is not a field'],
		[{ aggregate: { count: ['__proto__'] } }, 'is not a field of API tokens'],
		[{ aggregate: { max: ['user.password'] } }, 'is not a field of API tokens'],
		[{ aggregate: { count: ['nope'] } }, 'is not a field of API tokens'],
		[{ alias: { x: '__proto__' } }, 'is not a field'],
		[{ filter: JSON.parse('{"__proto__":{"_eq":1}}') }, 'is not a field'],
		[{ offset: 1e20 }, 'offset'],
		[{ limit: Number.NaN }, 'limit'],
	])('refuses %o', (query, message) => {
		expect(tokenQueryProblem(query)).toContain(message);
	});

	it.each([
		{},
		{ fields: ['*', 'user.email', 'count(scopes)'], sort: ['-date_created', 'name'], limit: -1, offset: 0, page: 2 },
		{ filter: { id: { _eq: ID } } },
		{ filter: { user: { _in: [ID, ID.toUpperCase()] }, app: { _null: true } } },
		{ filter: { _and: [{ user: { _eq: ID } }, { hidden: { _eq: false } }] } },
		{ filter: { id: { _null: true } } },
		{ filter: { expires_at: { _gt: new Date() } } },
		{ filter: { expires_at: { _between: '2026-01-01,2026-12-31T23:59:59Z' } } },
		{ filter: { date_created: { _gte: '2026-11-23T10:00:00.000Z' }, revoked_at: { _nnull: true } } },
		{ filter: { 'year(expires_at)': { _eq: 2027 } } },
		{ filter: { name: { _icontains: "' OR 1=1 --" }, kind: { _in: ['personal', 'app'] } } },
		{ filter: { scopes: { _contains: 'read' }, origins: { _empty: true } } },
		{ filter: { row_id: { _gt: '41' }, refreshable: { _eq: 'true' } } },
		{ filter: { user: { email: { _eq: 'a@example.com' } } } },
		{ filter: { name: { _regex: '^ci' } } },
		{ aggregate: { count: ['*'], countDistinct: ['user'], min: ['expires_at'], sum: ['row_id'] }, group: ['kind', 'year(date_created)'] },
		{ search: 'cli' },
		{ filter: { unknown_field: { _eq: 'x' } } },
	])('lets %o through', (query) => {
		expect(tokenQueryProblem(query)).toBeNull();
	});
});
