import { describe, expect, it } from 'vitest';
import { decodeIdEscapes, graphqlIds, replaceGraphqlIds } from './graphql-references.js';

const A = '0c76084f-3b9a-428b-8a5d-0454fa70341c';
const B = '9e75c1d5-e5a1-4ce9-8ba2-9bb485f25e74';
const NIL = '00000000-0000-0000-0000-000000000000';

describe('graphql references', () => {
	it('finds ids in the query text, escaped or not, and in the variables', () => {
		const escaped = A.replace('0c', '\\u0030\\u{63}');
		expect(graphqlIds({ query: `mutation { create_comments_item(data: { item: "${escaped}" }) { id } }`, variables: { data: { item: B.toUpperCase() }, n: 1 } })).toEqual([A, B]);
		expect(graphqlIds({ query: '{ users_me { id } }' })).toEqual([]);
		expect(graphqlIds({})).toEqual([]);
	});

	it('decodes only escapes of hex digits and dashes', () => {
		expect(decodeIdEscapes('\\u0041\\u002d\\u0022\\u{7A}')).toBe('A-\\u0022\\u{7A}');
	});

	it('replaces the given ids only', () => {
		const body = { query: `{ a: x(id: "${A.toUpperCase()}") b: x(id: "${B}") }`, variables: { list: [A, B] } };
		expect(replaceGraphqlIds(body, new Set([A]), NIL)).toEqual({ query: `{ a: x(id: "${NIL}") b: x(id: "${B}") }`, variables: { list: [NIL, B] } });
	});
});
