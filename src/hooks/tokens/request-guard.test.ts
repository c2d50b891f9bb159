import { describe, expect, it } from 'vitest';
import { isGuardedPath, malformedPath, malformedQuery } from './request-guard.js';

describe('isGuardedPath', () => {
	it.each(['/api-tokens', '/api-tokens/', '/api-tokens/%zz', '/API-TOKENS/config', '/api%2Dtokens/config'])('guards %s', (path) => {
		expect(isGuardedPath(path)).toBe(true);
	});
	it.each(['/items/api_tokens', '/items/articles', '/api-tokens-x', '/server/health', '/', '/%zz'])('leaves %s to Directus', (path) => {
		expect(isGuardedPath(path)).toBe(false);
	});
});

describe('malformedPath', () => {
	it.each(['/api-tokens/%zz', '/api-tokens/%', '/api-tokens/%E0%A4%A', '/api-tokens/%FF%FE', '/api-tokens/%ED%A0%80'])('refuses %s', (path) => {
		expect(malformedPath(path)).toMatch(/percent-encoded/);
	});
	it.each(['/api-tokens/abc', '/api-tokens/%20x', '/api-tokens/%D0%9F'])('accepts %s', (path) => {
		expect(malformedPath(path)).toBeNull();
	});
});

describe('malformedQuery', () => {
	it.each([
		[{ fields: [{ _eq: 'x' }, 'id'] }, 'fields'],
		[{ sort: [{ _eq: 'true' }, '99'] }, 'sort'],
		[{ groupBy: { a: 'b' } }, 'groupBy'],
		[{ meta: { x: '1' } }, 'meta'],
		[{ limit: ['1', '2'] }, 'limit'],
		[{ search: { _eq: 'x' } }, 'search'],
		[{ aggregate: { sum: { x: 'y' } } }, 'aggregate'],
		[{ aggregate: ['sum'] }, 'aggregate'],
	])('refuses %o', (query, key) => {
		expect(malformedQuery(query)).toContain(`"${key}"`);
	});
	it.each([{}, { fields: 'id,name', sort: ['-name', 'id'], limit: '-1', meta: '*' }, { aggregate: { count: '*', sum: ['a', 'b'] } }, { aggregate: '{"count":"*"}' }, { filter: { id: { _eq: 1 } }, deep: { x: {} } }])(
		'accepts %o',
		(query) => {
			expect(malformedQuery(query)).toBeNull();
		},
	);
});
