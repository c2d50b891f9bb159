import { describe, expect, it } from 'vitest';
import { findFollowIntoTokens, findSecretReference, restrictMetaQuery, restrictToOwnVisible, stripSecrets, withSafeSearch } from './items-guard.js';

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

describe('restrictMetaQuery', () => {
	const own = { _and: [{ user: { _eq: 'u1' } }, { hidden: { _eq: false } }] };

	it('counts filter_count over the own visible tokens, search included', () => {
		expect(restrictMetaQuery({ meta: ['filter_count'], filter: { id: { _eq: 'x' } }, search: 'cli', limit: 5 }, 'u1')).toEqual({
			limit: 5,
			meta: ['filter_count'],
			filter: {
				_and: [
					{ _and: [{ id: { _eq: 'x' } }, { _or: [{ name: { _icontains: 'cli' } }, { description: { _icontains: 'cli' } }, { hint: { _icontains: 'cli' } }] }] },
					own,
				],
			},
		});
	});

	it('drops total_count (Directus counts it over the whole table)', () => {
		expect(restrictMetaQuery({ meta: ['total_count'], limit: 1 }, 'u1')).toEqual({ limit: 1 });
		expect(restrictMetaQuery({ meta: ['total_count', 'filter_count'] }, 'u1')).toEqual({ meta: ['filter_count'], filter: own });
		expect(restrictMetaQuery({ meta: '*' }, 'u1')).toEqual({ meta: ['filter_count'], filter: own });
	});

	it('reads raw SEARCH bodies: string meta and JSON filters', () => {
		expect(restrictMetaQuery({ meta: 'total_count,filter_count', filter: '{"id":{"_eq":"x"}}' }, 'u1')).toEqual({
			meta: ['filter_count'],
			filter: { _and: [{ id: { _eq: 'x' } }, own] },
		});
		expect(restrictMetaQuery({ meta: 'filter_count', filter: '{not json' }, 'u1')).toEqual({ filter: '{not json' });
	});

	it('counts nothing for a request without a user, and leaves queries without meta alone', () => {
		expect(restrictMetaQuery({ meta: ['filter_count'] }, null)).toEqual({ meta: ['filter_count'], filter: { id: { _null: true } } });
		const query = { fields: ['id'], filter: { id: { _eq: 'x' } } };
		expect(restrictMetaQuery(query, 'u1')).toBe(query);
	});
});

describe('findFollowIntoTokens', () => {
	it.each([
		[{ filter: { '$FOLLOW(api_tokens,user)': { name: { _eq: 'x' } } } }, 'api_tokens'],
		[{ filter: { _and: [{ id: { _nnull: true } }, { '$FOLLOW( api_token_events , user)': { type: { _eq: 'reset' } } }] } }, 'api_token_events'],
		[{ deep: { role: { _filter: { '$FOLLOW(api_token_apps,user)': { id: { _nnull: true } } } } } }, 'api_token_apps'],
		[{ filter: '{"$FOLLOW(api_tokens,user_created)":{"id":{"_eq":"x"}}}' }, 'api_tokens'],
	])('finds %o', (query, collection) => {
		expect(findFollowIntoTokens(query)).toBe(collection);
	});

	it.each([{ filter: { '$FOLLOW(posts,author)': { id: { _eq: 1 } } } }, { filter: { name: { _eq: '$FOLLOW(api_tokens,user)' } } }, { filter: '{broken' }, {}])('lets %o through', (query) => {
		expect(findFollowIntoTokens(query)).toBeNull();
	});
});
