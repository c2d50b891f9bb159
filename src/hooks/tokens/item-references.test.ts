import { describe, expect, it } from 'vitest';
import { NIL_UUID, routePath, tokenItemReferences } from './item-references.js';

const ID = '0c76084f-3b9a-428b-8a5d-0454fa70341c';

describe('tokenItemReferences', () => {
	it('finds a token id in GET /permissions/me/api_tokens/:pk and rewrites the URL', () => {
		const req = { method: 'GET', path: `/permissions/me/api_tokens/${ID}`, url: `/permissions/me/api_tokens/${ID}?x=1` };
		const refs = tokenItemReferences(req);
		expect(refs.map((r) => r.id)).toEqual([ID]);
		refs[0]!.replace(NIL_UUID);
		expect(req.url).toBe(`/permissions/me/api_tokens/${NIL_UUID}?x=1`);
	});

	it('matches paths as Express routes them: any case, percent-decoded', () => {
		const req = { method: 'GET', path: `/PERMISSIONS/me/api%5Ftokens/${ID.replace('-', '%2D')}`, url: `/PERMISSIONS/me/api%5Ftokens/${ID.replace('-', '%2D')}` };
		const refs = tokenItemReferences(req);
		expect(refs.map((r) => r.id)).toEqual([ID]);
		refs[0]!.replace(NIL_UUID);
		expect(req.url).toBe(`/permissions/me/api_tokens/${NIL_UUID}`);
		expect(tokenItemReferences({ method: 'POST', path: '/C%6Fmments', url: '', body: { collection: 'api_tokens', item: ID } })).toHaveLength(1);
		expect(routePath('/items/api%5Ftokens')).toBe('/items/api_tokens');
		expect(routePath('/items/%E0%A4%A')).toBe('/items/%E0%A4%A');
	});

	it('finds token items in comment, version and share bodies, single or batch, and rewrites them', () => {
		const body = [{ collection: 'api_tokens', item: ID.toUpperCase(), comment: 'x' }, { collection: 'posts', item: ID }];
		const refs = tokenItemReferences({ method: 'POST', path: '/comments', url: '/comments', body });
		expect(refs.map((r) => r.id)).toEqual([ID]);
		refs[0]!.replace(NIL_UUID);
		expect(body[0]!.item).toBe(NIL_UUID);
		expect(body[1]!.item).toBe(ID);
		const moved = { collection: 'api_tokens', item: ID };
		expect(tokenItemReferences({ method: 'PATCH', path: '/comments/42', url: '', body: moved })).toHaveLength(1);
		expect(tokenItemReferences({ method: 'PATCH', path: '/comments', url: '', body: { keys: ['42'], data: moved } })).toHaveLength(1);
		for (const path of ['/versions', '/shares/']) {
			expect(tokenItemReferences({ method: 'POST', path, url: path, body: { collection: 'api_tokens', item: ID } })).toHaveLength(1);
		}
	});

	it('ignores other routes, collections, methods and ids that cannot exist', () => {
		expect(tokenItemReferences({ method: 'GET', path: `/permissions/me/posts/${ID}`, url: '' })).toEqual([]);
		expect(tokenItemReferences({ method: 'GET', path: '/permissions/me/api_tokens/42', url: '' })).toEqual([]);
		expect(tokenItemReferences({ method: 'POST', path: '/comments', url: '', body: { collection: 'api_tokens', item: 'nope' } })).toEqual([]);
		expect(tokenItemReferences({ method: 'DELETE', path: '/comments', url: '', body: { collection: 'api_tokens', item: ID } })).toEqual([]);
		expect(tokenItemReferences({ method: 'PATCH', path: '/comments/1/x', url: '', body: { collection: 'api_tokens', item: ID } })).toEqual([]);
		expect(tokenItemReferences({ method: 'POST', path: '/flows', url: '', body: { collection: 'api_tokens', item: ID } })).toEqual([]);
		expect(tokenItemReferences({ method: 'POST', path: '/comments', url: '', body: null })).toEqual([]);
	});
});
