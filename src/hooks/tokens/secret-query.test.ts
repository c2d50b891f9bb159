import { describe, expect, it } from 'vitest';
import { secretOrderingField } from './secret-query.js';

describe('secretOrderingField', () => {
	it.each([
		[{ sort: ['-hash'] }, 'hash'],
		[{ sort: 'name,previous_hash' }, 'previous_hash'],
		[{ sort: [' hash '] }, 'hash'],
		[{ group: ['hash'] }, 'hash'],
		[{ group: ['year(previous_hash)'] }, 'previous_hash'],
		[{ aggregate: { max: ['hash'] } }, 'hash'],
		[{ aggregate: { countDistinct: 'name,hash' } }, 'hash'],
		[{ sort: ['hash.x'] }, 'hash'],
	])('finds the secret in %o', (query, field) => {
		expect(secretOrderingField(query)).toBe(field);
	});

	it.each([{}, { sort: ['-name', 'hint'] }, { group: ['kind'] }, { aggregate: { count: ['*'] } }, { sort: [{ _eq: 'hash' }] }, { filter: { hash: { _null: true } } }, { fields: ['hash'] }])(
		'leaves %o to Directus',
		(query) => {
			expect(secretOrderingField(query as Record<string, unknown>)).toBeNull();
		},
	);
});
