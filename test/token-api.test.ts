import { randomUUID } from 'node:crypto';
/**
 * The token API and everything around it, end to end against a real Directus per database: only a
 * hash is stored, the plaintext is shown once, other users' tokens are 404, Directus accepts our
 * tokens (and stops accepting them when they are revoked or their owner is suspended), and the
 * OpenAPI document matches the real responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/core/token-hash.js';
import { generateToken } from '../src/core/token-format.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request, type JsonResponse } from './helpers/http.js';
import { responseSchema, schemaErrors } from './helpers/openapi-check.js';
import { dumpDatabase } from './helpers/dump.js';

const DAY = 86_400;

describe.each(enabledDatabases())('token API on %s', (databaseName) => {
	let directus: DirectusInstance;
	let alice: TestUser;
	let bob: TestUser;
	let openapi: any;
	const issued: string[] = [];

	const api = (method: string, path: string, token: string, body?: unknown) => request(directus.url, method, `/api-tokens${path}`, { token, body });
	function conforms(response: JsonResponse, path: string, method: string) {
		const schema = responseSchema(openapi, path, method, response.status);
		expect(schema, `${method} ${path} ${response.status} is documented`).not.toBeNull();
		expect(schemaErrors(openapi, schema!, response.body)).toEqual([]);
	}
	async function create(user: TestUser, body: Record<string, unknown>) {
		const response = await api('POST', '', user.accessToken, body);
		if (response.status === 201) issued.push(response.body.token);
		return response;
	}

	beforeAll(async () => {
		directus = await startDirectus(databaseName);
		alice = await createUser(directus, 'alice');
		bob = await createUser(directus, 'bob');
		openapi = (await request(directus.url, 'GET', '/api-tokens/openapi.json')).body;
	});
	afterAll(async () => {
		await directus?.stop();
	});

	it('creates a token, shows it once and stores only its hash', async () => {
		const created = await create(alice, { name: 'Globalping CLI', description: 'laptop', scopes: ['read', 'directus'], origins: ['https://WWW.example.com/'], duration: 30 * DAY });
		expect(created.status).toBe(201);
		conforms(created, '/', 'post');
		const { token, info, capped } = created.body;
		expect(token).toMatch(/^dtp_[0-9A-Za-z]{36}$/);
		expect(capped).toBe(false);
		expect(info).toMatchObject({ name: 'Globalping CLI', kind: 'personal', scopes: ['directus', 'read'], origins: ['https://www.example.com'], revoked: false });
		expect(info.hint).toBe(`${token.slice(0, 8)}…`);
		expect(Date.parse(info.expiration) - Date.now()).toBeGreaterThan((30 * DAY - 60) * 1000);

		const row = await directus.db(TOKENS_TABLE).where({ id: info.id }).first();
		expect(row.hash).toBe(hashToken(token));
		expect(JSON.stringify(row)).not.toContain(token.slice(4));

		const again = await api('GET', `/${info.id}`, alice.accessToken);
		expect(again.status).toBe(200);
		conforms(again, '/{id}', 'get');
		expect(JSON.stringify(again.body)).not.toContain(token);
	});

	it('caps the lifetime and says so', async () => {
		const created = await create(alice, { name: 'long', duration: 10 * 365 * DAY });
		expect(created.body.capped).toBe(true);
		expect(Math.abs(Date.parse(created.body.info.expiration) - (Date.now() + 365 * DAY * 1000))).toBeLessThan(60_000);
	});

	it.each([
		[{ name: '' }, 'name'],
		[{ name: 'x'.repeat(101) }, 'name'],
		[{ name: 'ok', description: 'd'.repeat(501) }, 'description'],
		[{ name: 'ok', scopes: ['admin'] }, 'scopes'],
		[{ name: 'ok', scopes: ['introspect'] }, 'scopes'],
		[{ name: 'ok', origins: ['ftp://x'] }, 'origins'],
		[{ name: 'ok', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
		[{ name: 'ok', expires_at: '2030-02-30T00:00:00Z' }, 'expires_at'],
		[{ name: 'ok', expires_at: '2030-13-01T00:00:00Z' }, 'expires_at'],
		[{ name: 'ok', duration: null }, 'duration'],
		[{ name: 'ok', hash: 'a'.repeat(64) }, 'hash'],
		[{ name: 'ok', token: 'dtp_x' }, 'token'],
		[{ name: 'ok', user: '00000000-0000-0000-0000-000000000000' }, 'user'],
	])('refuses %o with a 400 naming %s', async (body, field) => {
		const before = await directus.db(TOKENS_TABLE).count({ n: '*' }).first();
		const response = await api('POST', '', alice.accessToken, body);
		expect(response.status).toBe(400);
		conforms(response, '/', 'post');
		expect(response.body.errors[0].extensions.field).toBe(field);
		const after = await directus.db(TOKENS_TABLE).count({ n: '*' }).first();
		expect(Number(after?.n)).toBe(Number(before?.n));
	});

	it("stores a far expiry only where the database can hold it (MySQL/MariaDB: 2038), else a 400 that stores nothing", async () => {
		const count = async () => Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n);
		const before = await count();
		const far = await api('POST', '', directus.adminToken, { name: 'far', kind: 'service', scopes: ['introspect'], expires_at: '2100-01-01T00:00:00Z' });
		if (databaseName === 'mariadb') {
			expect(far.status).toBe(400);
			expect(far.body.errors[0].extensions).toMatchObject({ code: 'INVALID_EXPIRY', field: 'expires_at' });
			expect(await count()).toBe(before);
		} else {
			expect(far.status).toBe(201);
			expect(far.body.info.expiration).toBe('2100-01-01T00:00:00.000Z');
			expect(await count()).toBe(before + 1);
		}
		const edge = await api('POST', '', directus.adminToken, { name: 'edge', kind: 'service', scopes: ['introspect'], expires_at: '2038-01-19T03:14:07Z' });
		expect(edge.status).toBe(201);
		expect(edge.body.info.expiration).toBe('2038-01-19T03:14:07.000Z');
	});

	it('shows its owner a revoked token and its history (404 to anyone else), lists it with include_revoked, and refuses changes to it', async () => {
		const created = await create(alice, { name: 'history', scopes: ['read', 'write'], duration: 30 * DAY });
		const { id } = created.body.info;
		expect((await api('PATCH', `/${id}`, alice.accessToken, { scopes: ['read'] })).status).toBe(200);
		expect((await api('DELETE', `/${id}`, alice.accessToken)).status).toBe(204);

		const revoked = await api('GET', `/${id}`, alice.accessToken);
		expect(revoked.status).toBe(200);
		conforms(revoked, '/{id}', 'get');
		expect(revoked.body).toMatchObject({ revoked: true, revoked_at: expect.any(String) });
		const events = await api('GET', `/${id}/events`, alice.accessToken);
		expect(events.status).toBe(200);
		conforms(events, '/{id}/events', 'get');
		expect(events.body.events.map((event: { type: string; actor: string }) => [event.type, event.actor])).toEqual([
			['created', alice.id],
			['updated', alice.id],
			['revoked', alice.id],
		]);
		expect((await api('GET', `/${id}/events`, directus.adminToken)).status).toBe(200);
		for (const path of [`/${id}`, `/${id}/events`, '/00000000-0000-4000-8000-000000000000/events', '/not-a-uuid/events']) {
			const hidden = await api('GET', path, bob.accessToken);
			expect(hidden.status, path).toBe(404);
			conforms(hidden, '/{id}/events', 'get');
			expect(hidden.body.errors[0].message).toBe('No such token.');
		}

		const live = await api('GET', '?delta=-100', alice.accessToken);
		expect(live.body.tokens.map((token: { id: string }) => token.id)).not.toContain(id);
		const all = await api('GET', '?delta=-100&include_revoked=true', alice.accessToken);
		conforms(all, '/', 'get');
		expect(all.body.tokens.find((token: { id: string }) => token.id === id)).toMatchObject({ revoked: true });
		expect((await api('GET', '?include_revoked=yes', alice.accessToken)).status).toBe(400);

		expect((await api('PATCH', `/${id}`, alice.accessToken, { name: 'x' })).status).toBe(404);
		expect((await api('POST', `/${id}/regenerate`, alice.accessToken, {})).status).toBe(404);
		const byAdmin = await api('PATCH', `/${id}`, directus.adminToken, { name: 'x' });
		expect(byAdmin.status).toBe(409);
		conforms(byAdmin, '/{id}', 'patch');
	});

	it('lists with delta/start and answers 204 when there is nothing', async () => {
		expect((await api('GET', '', bob.accessToken)).status).toBe(204);
		for (const n of [1, 2, 3]) await create(bob, { name: `bob ${n}` });
		const newest = await api('GET', '?delta=-2', bob.accessToken);
		conforms(newest, '/', 'get');
		expect(newest.body.tokens.map((t: any) => t.name)).toEqual(['bob 3', 'bob 2']);
		const older = await api('GET', `?delta=-2&start=${newest.body.tokens[1].row_id}`, bob.accessToken);
		expect(older.body.tokens.map((t: any) => t.name)).toEqual(['bob 1']);
		expect((await api('GET', '?delta=abc', bob.accessToken)).status).toBe(400);
		expect((await api('GET', `?user=${alice.id}`, bob.accessToken)).status).toBe(403);
		const asAdmin = await api('GET', `?user=${bob.id}&include_hidden=true`, directus.adminToken);
		expect(asAdmin.body.tokens).toHaveLength(3);
		expect(asAdmin.body.tokens[0].user).toBe(bob.id);
		expect((await api('GET', '?user=all', bob.accessToken)).status).toBe(403);
		await create(alice, { name: 'alice 1' });
		const everyone = await api('GET', '?user=all&kind=personal&delta=-1000', directus.adminToken);
		const owners = new Set(everyone.body.tokens.map((t: any) => t.user));
		expect(owners.has(bob.id) && owners.has(alice.id)).toBe(true);
		expect(everyone.body.tokens.every((t: any) => t.kind === 'personal')).toBe(true);
		const services = await api('GET', '?user=all&kind=service&delta=-1000', directus.adminToken);
		expect(services.status).toBe(200);
		expect(services.body.tokens.every((t: any) => t.kind === 'service')).toBe(true);
		const nobody = await createUser(directus, 'nobody');
		expect((await api('GET', `?user=${nobody.id}&include_hidden=true`, directus.adminToken)).status).toBe(204);
	});

	it('answers 404 for another user’s token on every route, 401 without a session', async () => {
		const mine = (await create(alice, { name: 'private' })).body.info.id;
		const routes: Array<[string, string, unknown?]> = [
			['GET', `/${mine}`],
			['PATCH', `/${mine}`, { name: 'stolen' }],
			['DELETE', `/${mine}`],
			['POST', `/${mine}/regenerate`, {}],
			['POST', `/${mine}/refresh`, {}],
		];
		for (const [method, path, body] of routes) {
			const response = await api(method, path, bob.accessToken, body);
			expect(response.status, `${method} ${path}`).toBe(404);
			const missing = await api(method, path.replace(mine, '00000000-0000-4000-8000-000000000000'), bob.accessToken, body);
			expect(missing.body, 'same answer as a missing id').toEqual(response.body);
			const anonymous = await request(directus.url, method, `/api-tokens${path}`, { body });
			expect(anonymous.status).toBe(401);
		}
		const still = await directus.db(TOKENS_TABLE).where({ id: mine }).first();
		expect(still.name).toBe('private');
		expect(still.revoked_at).toBeNull();
	});

	it('authenticates Directus requests as the owner, only with the directus scope', async () => {
		const withScope = (await create(alice, { name: 'directus', scopes: ['directus'] })).body.token;
		const withoutScope = (await create(alice, { name: 'read only', scopes: ['read'] })).body.token;
		const me = await request(directus.url, 'GET', '/users/me?fields=id', { token: withScope });
		expect(me.status).toBe(200);
		expect(me.body.data.id).toBe(alice.id);
		expect((await request(directus.url, 'GET', '/users/me', { token: withoutScope })).status).toBe(401);
		const typo = withScope.slice(0, -1) + (withScope.endsWith('A') ? 'B' : 'A');
		expect((await request(directus.url, 'GET', '/users/me', { token: typo })).status).toBe(401);
		expect((await request(directus.url, 'GET', '/users/me', { token: generateToken('personal').token })).status).toBe(401);
		expect((await request(directus.url, 'GET', `/users/me?access_token=${withScope}`)).status).toBe(401);
		const expiring = (await create(alice, { name: 'expired', scopes: ['directus'] })).body;
		await directus.db(TOKENS_TABLE).where({ id: expiring.info.id }).update({ expires_at: new Date(Date.now() - 1000) });
		const expired = await request(directus.url, 'GET', '/users/me', { token: expiring.token });
		expect(expired.status).toBe(401);
		expect(expired.body.errors[0].message).toContain('expired');
		// Directus's own credentials still work after ours (the chain).
		expect((await request(directus.url, 'GET', '/users/me', { token: alice.accessToken })).status).toBe(200);
		expect((await request(directus.url, 'GET', '/users/me', { token: directus.adminToken })).status).toBe(200);
	});

	it('regenerates with and without grace, refreshes, and revokes itself', async () => {
		const created = (await create(alice, { name: 'rotating', scopes: ['directus'], refreshable: true })).body;
		const noGrace = await api('POST', `/${created.info.id}/regenerate`, alice.accessToken, {});
		expect(noGrace.status).toBe(200);
		conforms(noGrace, '/{id}/regenerate', 'post');
		issued.push(noGrace.body.token);
		expect((await request(directus.url, 'GET', '/users/me', { token: created.token })).status).toBe(401);
		expect((await request(directus.url, 'GET', '/users/me', { token: noGrace.body.token })).status).toBe(200);

		const graced = await api('POST', `/${created.info.id}/regenerate`, alice.accessToken, { grace_seconds: 300 });
		issued.push(graced.body.token);
		expect((await request(directus.url, 'GET', '/users/me', { token: noGrace.body.token })).status).toBe(200);
		expect((await request(directus.url, 'GET', '/users/me', { token: graced.body.token })).status).toBe(200);
		expect((await api('POST', `/${created.info.id}/regenerate`, alice.accessToken, { grace_seconds: 90_000 })).status).toBe(400);

		const refreshed = await api('POST', `/${created.info.id}/refresh`, alice.accessToken);
		expect(refreshed.status).toBe(201);
		issued.push(refreshed.body.token);
		expect(refreshed.body.info.id).not.toBe(created.info.id);
		expect((await request(directus.url, 'GET', '/users/me', { token: graced.body.token })).status).toBe(401);
		// The refreshed-away token: still readable by its owner, as revoked; no longer refreshable.
		expect((await api('GET', `/${created.info.id}`, alice.accessToken)).body).toMatchObject({ revoked: true });
		expect((await api('POST', `/${created.info.id}/refresh`, alice.accessToken)).status).toBe(404);
		const notRefreshable = (await create(alice, { name: 'fixed' })).body.info.id;
		expect((await api('POST', `/${notRefreshable}/refresh`, alice.accessToken)).status).toBe(409);

		const self = await request(directus.url, 'DELETE', '/api-tokens/self', { token: refreshed.body.token });
		expect(self.status).toBe(204);
		expect((await request(directus.url, 'GET', '/users/me', { token: refreshed.body.token })).status).toBe(401);
		expect((await api('DELETE', '/self', alice.accessToken)).status).toBe(400);
	});

	it('updates within the rules', async () => {
		const { info } = (await create(alice, { name: 'editable', scopes: ['read', 'write'] })).body;
		const renamed = await api('PATCH', `/${info.id}`, alice.accessToken, { name: 'renamed', scopes: ['read'], origins: ['https://a.example.com'] });
		expect(renamed.status).toBe(200);
		conforms(renamed, '/{id}', 'patch');
		expect(renamed.body).toMatchObject({ name: 'renamed', scopes: ['read'], origins: ['https://a.example.com'] });
		expect((await api('PATCH', `/${info.id}`, alice.accessToken, { scopes: ['read', 'write'] })).status).toBe(400);
		expect((await api('PATCH', `/${info.id}`, alice.accessToken, { kind: 'service' })).status).toBe(400);
		expect((await api('PATCH', `/${info.id}`, alice.accessToken, { expires_at: '2001-01-01T00:00:00Z' })).status).toBe(400);
	});

	it('never creates or changes a token through /items or GraphQL: only the token API writes them', async () => {
		const rest = await request(directus.url, 'POST', `/items/${TOKENS_TABLE}`, {
			token: directus.adminToken,
			body: { name: 'sneaky', kind: 'personal', hash: 'a'.repeat(64), hint: 'x', scopes: [], origins: [] },
		});
		expect(rest.status).toBe(403);
		expect(rest.body.errors[0].message).toContain('/api-tokens');
		const batch = await request(directus.url, 'POST', `/items/${TOKENS_TABLE}`, { token: directus.adminToken, body: [{ name: 'a' }, { name: 'b' }] });
		expect(batch.status).toBe(403);
		const graphql = await request(directus.url, 'POST', '/graphql', {
			token: directus.adminToken,
			body: { query: `mutation { create_${TOKENS_TABLE}_item(data: { id: "${randomUUID()}", name: "gql", kind: "personal", hash: "h", hint: "h", scopes: "[]", origins: "[]", hidden: false, refreshable: false }) { id } }` },
		});
		expect(JSON.stringify(graphql.body)).toContain('/api-tokens');
		expect(await directus.db(TOKENS_TABLE).whereIn('name', ['sneaky', 'a', 'b', 'gql'])).toHaveLength(0);

		const { info } = (await create(alice, { name: 'guarded' })).body;
		const before = await directus.db(TOKENS_TABLE).where({ id: info.id }).first();
		for (const body of [{ name: 'by admin' }, { hash: 'x' }, { revoked_at: null }, [{ id: info.id, name: 'batch' }]]) {
			const path = Array.isArray(body) ? `/items/${TOKENS_TABLE}` : `/items/${TOKENS_TABLE}/${info.id}`;
			const patch = await request(directus.url, 'PATCH', path, { token: directus.adminToken, body });
			expect(patch.status, JSON.stringify(body)).toBe(403);
		}
		for (const credential of [alice.accessToken, directus.adminToken]) {
			expect((await request(directus.url, 'DELETE', `/items/${TOKENS_TABLE}/${info.id}`, { token: credential })).status).toBe(403);
		}
		expect(await directus.db(TOKENS_TABLE).where({ id: info.id }).first()).toEqual(before);
	});

	it('revokes every token of a suspended user at the next request, and on admin reset', async () => {
		const carol = await createUser(directus, 'carol');
		const first = (await create(carol, { name: 'one', scopes: ['directus'] })).body.token;
		expect((await request(directus.url, 'GET', '/users/me', { token: first })).status).toBe(200);
		const suspended = await request(directus.url, 'PATCH', `/users/${carol.id}`, { token: directus.adminToken, body: { status: 'suspended' } });
		expect(suspended.status).toBe(200);
		expect((await request(directus.url, 'GET', '/users/me', { token: first })).status).toBe(401);
		expect((await directus.db(TOKENS_TABLE).where({ user: carol.id }).whereNull('revoked_at'))).toHaveLength(0);

		const dave = await createUser(directus, 'dave');
		for (const n of [1, 2]) await create(dave, { name: `d${n}`, scopes: ['directus'] });
		expect((await api('POST', '/reset', dave.accessToken, { user: dave.id })).status).toBe(403);
		const reset = await api('POST', '/reset', directus.adminToken, { user: dave.id });
		expect(reset.body).toEqual({ revoked: 2 });
		conforms(reset, '/reset', 'post');

		// Every event is in the audit table, with ids only.
		const events = await directus.db('api_token_events').where({ user: dave.id }).orderBy('id');
		expect(events.map((e) => e.type)).toEqual(['created', 'created', 'reset', 'reset']);
		const adminId = (await request(directus.url, 'GET', '/users/me?fields=id', { token: directus.adminToken })).body.data.id;
		expect(events.slice(2).every((e) => e.actor === adminId)).toBe(true);
		expect(events.slice(0, 2).every((e) => e.actor === dave.id)).toBe(true);
		const carolEvents = await directus.db('api_token_events').where({ user: carol.id, type: 'reset' });
		expect(carolEvents).toHaveLength(1);
		expect(carolEvents[0].actor).toBeNull();
	});

	it('revokes inside the transaction of a batch user update: both commit, or neither', async () => {
		const [frank, grace] = [await createUser(directus, 'frank'), await createUser(directus, 'grace')];
		const tokens = [(await create(frank, { name: 'f', scopes: ['directus'] })).body.token, (await create(grace, { name: 'g', scopes: ['directus'] })).body.token];
		// The second item fails (no such role): the whole batch rolls back, the revocation with it.
		const failing = await request(directus.url, 'PATCH', '/users', { token: directus.adminToken, body: [{ id: frank.id, status: 'suspended' }, { id: grace.id, role: randomUUID() }] });
		expect(failing.status).toBeGreaterThanOrEqual(400);
		expect(failing.status).toBeLessThan(500);
		expect((await directus.db('directus_users').where({ id: frank.id }).first()).status).toBe('active');
		expect(await directus.db(TOKENS_TABLE).where({ user: frank.id }).whereNotNull('revoked_at')).toEqual([]);
		for (const token of tokens) expect((await request(directus.url, 'GET', '/users/me', { token })).status).toBe(200);
		// Both suspended in one batch: both lose their tokens at once.
		const batch = await request(directus.url, 'PATCH', '/users', { token: directus.adminToken, body: [{ id: frank.id, status: 'suspended' }, { id: grace.id, status: 'suspended' }] });
		expect(batch.status).toBe(200);
		for (const token of tokens) expect((await request(directus.url, 'GET', '/users/me', { token })).status).toBe(401);
		expect(await directus.db(TOKENS_TABLE).whereIn('user', [frank.id, grace.id]).whereNull('revoked_at')).toEqual([]);
	});

	it('revokes the tokens of a deleted user first', async () => {
		const erin = await createUser(directus, 'erin');
		const token = (await create(erin, { name: 'doomed', scopes: ['directus'] })).body.token;
		expect((await request(directus.url, 'GET', '/users/me', { token })).status).toBe(200);
		expect((await request(directus.url, 'DELETE', `/users/${erin.id}`, { token: directus.adminToken })).status).toBe(204);
		expect((await request(directus.url, 'GET', '/users/me', { token })).status).toBe(401);
		expect(await directus.db('api_token_events').where({ user: erin.id, type: 'reset' })).toHaveLength(1);
	});

	it('keeps hashes out of exports and refuses imports', async () => {
		const csv = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?export=csv&fields=*&limit=-1`, { token: directus.adminToken });
		expect(csv.status).toBe(200);
		expect(String(csv.body)).toContain('hint');
		const hashes = (await directus.db(TOKENS_TABLE).select('hash')).map((r) => r.hash as string);
		for (const hash of hashes) expect(String(csv.body)).not.toContain(hash);

		const form = new FormData();
		form.append('file', new Blob([JSON.stringify([{ name: 'imported', kind: 'personal', hash: 'f'.repeat(64), hint: 'x', scopes: [], origins: [] }])], { type: 'application/json' }), 'tokens.json');
		const imported = await fetch(new URL(`/utils/import/${TOKENS_TABLE}`, directus.url), { method: 'POST', headers: { authorization: `Bearer ${directus.adminToken}` }, body: form });
		expect(imported.status).toBeGreaterThanOrEqual(400);
		expect(imported.status).toBeLessThan(500);
		expect(await directus.db(TOKENS_TABLE).where({ name: 'imported' })).toHaveLength(0);
	});

	it('never writes a plaintext token to the database or the log', async () => {
		expect(issued.length).toBeGreaterThan(5);
		const dump = await dumpDatabase(directus.db);
		expect(dump).toContain('api_token_events');
		for (const token of issued) {
			const secret = token.slice(4);
			expect(dump).not.toContain(secret);
			expect(directus.log()).not.toContain(secret);
		}
	});
});
