// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fakeHttp } from './fake-http.js';
import { useAppApi } from './use-app-api.js';
import { useDirectory } from './use-directory.js';

describe('useAppApi', () => {
	it('calls the four admin routes of /api-tokens/apps', async () => {
		const app = { id: 'a/b', name: 'web' };
		const { http, calls } = fakeHttp({ 'GET /api-tokens/apps': { apps: [app] }, 'POST /api-tokens/apps': app, 'PATCH /api-tokens/apps/a%2Fb': app, 'DELETE /api-tokens/apps/a%2Fb': null });
		const api = useAppApi(http);
		expect(await api.list()).toEqual([app]);
		expect(await api.create({ name: 'web', origins: ['https://www.example.com'] })).toEqual(app);
		expect(await api.update('a/b', { enabled: false })).toEqual(app);
		await api.remove('a/b');
		expect(calls.map(([method, url, body]) => [method, url, body])).toEqual([
			['GET', '/api-tokens/apps', undefined],
			['POST', '/api-tokens/apps', { name: 'web', origins: ['https://www.example.com'] }],
			['PATCH', '/api-tokens/apps/a%2Fb', { enabled: false }],
			['DELETE', '/api-tokens/apps/a%2Fb', undefined],
		]);
	});

	it('counts the app’s tokens that still work: every user’s hidden app tokens, minus expired ones', async () => {
		const now = new Date('2026-11-23T12:00:00Z');
		const token = (app: string | null, expiration: string | null, revoked = false) => ({ app, expiration, revoked });
		const { http, calls } = fakeHttp({
			'GET /api-tokens': {
				tokens: [token('web', '2026-11-24T00:00:00Z'), token('web', '2026-11-23T11:00:00Z'), token('web', '2026-11-24T00:00:00Z', true), token('other', '2026-11-24T00:00:00Z'), token('web', '2026-11-23T13:00:00Z')],
			},
		});
		expect(await useAppApi(http).activeTokens('web', now)).toBe(2);
		expect(calls[0]![2]).toMatchObject({ user: 'all', kind: 'app', include_hidden: 'true' });
	});
});

describe('useDirectory', () => {
	it('reads app names from /api-tokens/apps, not from Directus’s /items (refused for our tables)', async () => {
		const { http, calls } = fakeHttp({ 'GET /users': { data: [] }, 'GET /api-tokens/apps': { apps: [{ id: 'a1', name: 'Marketing site' }] }, 'GET /api-tokens': { tokens: [] } });
		const directory = useDirectory(http);
		await directory.load();
		expect(calls.map(([method, url]) => `${method} ${url}`).sort()).toEqual(['GET /api-tokens', 'GET /api-tokens/apps', 'GET /users']);
		expect(directory.appLabel({ app: 'a1' } as never)).toBe('Marketing site');
		expect(directory.appLabel({ app: 'gone' } as never)).toBe('gone');
	});
});
