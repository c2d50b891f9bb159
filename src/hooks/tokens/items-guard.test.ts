import { describe, expect, it } from 'vitest';
import { findSecretReference, restrictToOwnVisible, stripSecrets, withSafeSearch } from './items-guard.js';

describe('findSecretReference', () => {
	it.each([
		[{ fields: ['id', 'hash'] }, 'hash'],
		[{ fields: 'id,previous_hash' }, 'previous_hash'],
		[{ sort: ['-hash'] }, 'hash'],
		[{ group: ['year(hash)'] }, 'hash'],
		[{ aggregate: { countDistinct: ['hash'] } }, 'hash'],
		[{ alias: { h: 'hash' } }, 'hash'],
		[{ filter: { hash: { _eq: 'x' } } }, 'hash'],
		[{ filter: { _and: [{ name: { _eq: 'a' } }, { _or: [{ previous_hash: { _starts_with: 'ab' } }] }] } }, 'previous_hash'],
		[{ filter: { 'count(hash)': { _gt: 0 } } }, 'hash'],
	])('finds %o', (query, field) => {
		expect(findSecretReference(query)).toBe(field);
	});

	it.each([{ fields: ['*'] }, { fields: ['id', 'hint', 'user.email'] }, { filter: { name: { _eq: 'hash' } } }, { sort: ['-date_created'] }, {}])(
		'lets %o through',
		(query) => {
			expect(findSecretReference(query)).toBeNull();
		},
	);
});

describe('withSafeSearch', () => {
	it('searches name, description and hint only, keeping the original filter', () => {
		expect(withSafeSearch({ search: 'cli', filter: { kind: { _eq: 'personal' } }, limit: 5 })).toEqual({
			limit: 5,
			filter: {
				_and: [
					{ kind: { _eq: 'personal' } },
					{ _or: [{ name: { _icontains: 'cli' } }, { description: { _icontains: 'cli' } }, { hint: { _icontains: 'cli' } }] },
				],
			},
		});
		expect(withSafeSearch({ limit: 1 })).toEqual({ limit: 1 });
	});
});

describe('restrictToOwnVisible', () => {
	it('ANDs the owner and visibility rule into any filter', () => {
		expect(restrictToOwnVisible({ filter: { id: { _eq: '1' } } }, 'u1')).toEqual({
			filter: { _and: [{ id: { _eq: '1' } }, { _and: [{ user: { _eq: 'u1' } }, { hidden: { _eq: false } }] }] },
		});
	});
	it('matches nothing without a user', () => {
		expect(restrictToOwnVisible({}, null)).toEqual({ filter: { id: { _null: true } } });
	});
});

describe('stripSecrets', () => {
	it('removes hashes from one record or many', () => {
		expect(stripSecrets([{ id: 1, hash: 'h', previous_hash: 'p', hint: 'x' }])).toEqual([{ id: 1, hint: 'x' }]);
		expect(stripSecrets({ id: 1, hash: 'h' })).toEqual({ id: 1 });
	});
});
