/**
 * RFC 7662 introspection and RFC 7009 revocation through a real Directus: CLIs and bots without
 * database access check and revoke tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../src/core/token-format.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe.each(enabledDatabases().slice(0, 2))('introspection and revocation on %s', (databaseName) => {
	let directus: DirectusInstance;
	let user: TestUser;
	let service: string;

	beforeAll(async () => {
		directus = await startDirectus(databaseName);
		user = await createUser(directus, 'cli');
		const created = await request(directus.url, 'POST', '/api-tokens', {
			token: directus.adminToken,
			body: { name: 'introspector', kind: 'service', scopes: ['introspect'], duration: null },
		});
		expect(created.status).toBe(201);
		expect(created.body.info).toMatchObject({ kind: 'service', expiration: null });
		service = created.body.token;
	});
	afterAll(async () => {
		await directus?.stop();
	});

	async function introspect(token: string, caller = service) {
		const response = await fetch(`${directus.url}/api-tokens/introspect`, {
			method: 'POST',
			headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ token }),
		});
		return { status: response.status, body: await response.json().catch(() => null) };
	}

	it('describes an active token and says only "inactive" of the rest', async () => {
		const created = (await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'cli', scopes: ['read'] } })).body;
		const active = await introspect(created.token);
		expect(active.status).toBe(200);
		expect(active.body).toMatchObject({ active: true, scope: 'read', token_type: 'Bearer', sub: user.id, jti: created.info.id, kind: 'personal' });
		expect(active.body.exp).toBe(Math.floor(Date.parse(created.info.expiration) / 1000));
		expect(JSON.stringify(active.body)).not.toContain(created.token);
		for (const token of [generateToken('personal').token, 'garbage', created.token.slice(0, -2) + 'xx']) {
			expect(await introspect(token)).toEqual({ status: 200, body: { active: false } });
		}
		await request(directus.url, 'DELETE', `/api-tokens/${created.info.id}`, { token: user.accessToken });
		expect((await introspect(created.token)).body).toEqual({ active: false });
	});

	it('answers a form body over 16 KB with 413, reading no token from it and revoking nothing', async () => {
		const created = (await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'big', scopes: ['read', 'directus'] } })).body;
		const padded = `token=${encodeURIComponent(created.token)}&pad=${'a'.repeat(17 * 1024)}`;
		for (const [path, headers] of [['/api-tokens/revoke', {}], ['/api-tokens/introspect', { authorization: `Bearer ${service}` }]] as const) {
			const response = await fetch(`${directus.url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: padded });
			expect(response.status, path).toBe(413);
			expect(((await response.json()) as any).errors[0].extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'token' });
		}
		expect((await request(directus.url, 'GET', '/users/me?fields=id', { token: created.token })).status).toBe(200);
		expect((await directus.db('api_tokens').where({ id: created.info.id }).first()).revoked_at).toBeNull();
		// Just under the limit is read as usual.
		const fits = await fetch(`${directus.url}/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(created.token)}&pad=${'a'.repeat(15 * 1024)}` });
		expect(fits.status).toBe(200);
		expect((await request(directus.url, 'GET', '/users/me?fields=id', { token: created.token })).status).toBe(401);
	});

	it('lets only service tokens with the introspect scope call it', async () => {
		const personal = (await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'p', scopes: ['read', 'directus'] } })).body.token;
		expect((await introspect(personal, personal)).status).toBe(401);
		expect((await introspect(personal, 'nope')).status).toBe(401);
		const missing = await fetch(`${directus.url}/api-tokens/introspect`, { method: 'POST', headers: { authorization: `Bearer ${service}` } });
		expect(missing.status).toBe(400);
		expect((await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 's', kind: 'service', scopes: ['introspect'] } })).status).toBe(403);
	});

	it('revokes the token it is given, and answers 200 for unknown ones', async () => {
		const created = (await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'bot', scopes: ['directus'] } })).body;
		expect((await request(directus.url, 'GET', '/users/me', { token: created.token })).status).toBe(200);
		const revoked = await fetch(`${directus.url}/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ token: created.token }) });
		expect(revoked.status).toBe(200);
		expect((await request(directus.url, 'GET', '/users/me', { token: created.token })).status).toBe(401);
		expect((await introspect(created.token)).body).toEqual({ active: false });
		for (const token of [generateToken('personal').token, 'junk']) {
			const unknown = await fetch(`${directus.url}/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
			expect(unknown.status).toBe(200);
		}
	});
});
