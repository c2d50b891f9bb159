/**
 * The foundation against a real Directus per database: the bundle loads, the migration goes down and
 * up, and Directus's own items API keeps users to their own visible tokens and never shows a hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { generateToken } from '../src/core/token-format.js';
import { TOKENS_TABLE, APPS_TABLE, OWNER_POLICY_NAME, type TokenKind } from '../src/shared/constants.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';

/** Inserts a token row straight into the database, as our store will. */
async function insertToken(directus: DirectusInstance, user: string, { hidden = false, kind = 'personal' as TokenKind } = {}) {
	const { hash, hint } = generateToken(kind);
	const id = randomUUID();
	await directus.db(TOKENS_TABLE).insert({
		id,
		name: `${kind}${hidden ? ' hidden' : ''} of ${user.slice(0, 8)}`,
		kind,
		hidden,
		hash,
		hint,
		scopes: JSON.stringify(['read']),
		origins: JSON.stringify([]),
		user,
		date_created: new Date(),
	});
	return { id, hash };
}

describe.each(enabledDatabases())('foundation on %s', (databaseName) => {
	let directus: DirectusInstance;
	let alice: TestUser;
	let bob: TestUser;
	let adminId: string;

	beforeAll(async () => {
		directus = await startDirectus(databaseName);
		[alice, bob] = [await createUser(directus, 'alice'), await createUser(directus, 'bob')];
		const me = await request(directus.url, 'GET', '/users/me?fields=id', { token: directus.adminToken });
		adminId = me.body.data.id;
	});

	afterAll(async () => {
		await directus?.stop();
	});

	it('loads the bundle: the endpoint answers and the module is listed', async () => {
		const anonymous = await request(directus.url, 'GET', '/api-tokens/config');
		expect(anonymous.status).toBe(401);

		const config = await request(directus.url, 'GET', '/api-tokens/config', { token: alice.accessToken });
		expect(config.status).toBe(200);
		expect(config.body.scopes).toContain('read');
		expect(config.body.maxTtlSeconds.app).toBe(86_400);

		const extensions = await request(directus.url, 'GET', '/extensions', { token: directus.adminToken });
		expect(extensions.status).toBe(200);
		const names = (extensions.body.data as Array<{ schema: { type: string; name: string } | null }>).map(
			(e) => `${e.schema?.type}:${e.schema?.name}`,
		);
		expect(names).toEqual(
			expect.arrayContaining(['bundle:directus-extension-api-tokens', 'module:tokens', 'endpoint:api-tokens', 'hook:api-tokens-hook']),
		);

		// The module is in the module bar for every user with app access.
		const settings = await request(directus.url, 'GET', '/settings?fields=module_bar', { token: directus.adminToken });
		const bar = settings.body.data.module_bar as Array<{ id: string; enabled: boolean }>;
		expect(bar.find((entry) => entry.id === 'tokens')).toEqual({ type: 'module', id: 'tokens', enabled: true });
		expect(bar.findIndex((entry) => entry.id === 'tokens')).toBe(bar.findIndex((entry) => entry.id === 'settings') - 1);
	});

	it('attaches the owner policy to roles created after install', async () => {
		const access = await directus
			.db('directus_access')
			.join('directus_policies', 'directus_policies.id', 'directus_access.policy')
			.where('directus_access.role', alice.roleId)
			.select('directus_policies.name');
		expect(access.map((row) => row.name)).toContain(OWNER_POLICY_NAME);
	});

	it('lets a user read only their own non-hidden tokens, and never a hash', async () => {
		const own = await insertToken(directus, alice.id);
		const ownHidden = await insertToken(directus, alice.id, { hidden: true, kind: 'app' });
		const bobs = await insertToken(directus, bob.id);
		const admins = await insertToken(directus, adminId);

		const list = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?fields=*&limit=-1`, { token: alice.accessToken });
		expect(list.status).toBe(200);
		expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([own.id]);
		expect(list.body.data[0]).not.toHaveProperty('hash');
		expect(list.body.data[0]).not.toHaveProperty('previous_hash');
		expect(JSON.stringify(list.body)).not.toContain(own.hash);

		for (const id of [bobs.id, admins.id, ownHidden.id]) {
			const one = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}/${id}`, { token: alice.accessToken });
			expect(one.status, `GET another's token ${id}`).toBe(403);
		}

		// Nobody reads, filters, sorts, groups, aggregates or searches on a hash, admins included.
		const probes = [
			'fields=hash',
			'fields=id,previous_hash',
			`filter[hash][_eq]=${own.hash}`,
			`filter[_or][0][hash][_starts_with]=${own.hash.slice(0, 4)}`,
			'sort=-hash',
			'groupBy[]=hash&aggregate[count]=id',
			'aggregate[countDistinct]=hash',
			'alias[h]=hash&fields=h',
		];
		for (const token of [alice.accessToken, directus.adminToken]) {
			for (const probe of probes) {
				const refused = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?${probe}`, { token });
				expect(refused.status, probe).toBe(403);
				expect(JSON.stringify(refused.body)).not.toContain(own.hash);
			}
		}
		const search = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?search=${own.hash.slice(0, 12)}`, {
			token: directus.adminToken,
		});
		expect(search.status).toBe(200);
		expect(search.body.data).toEqual([]);
		const adminRead = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}/${own.id}?fields=*`, { token: directus.adminToken });
		expect(adminRead.status).toBe(200);
		expect(adminRead.body.data).not.toHaveProperty('hash');

		const gqlHash = await request(directus.url, 'POST', '/graphql', {
			token: alice.accessToken,
			body: { query: `{ ${TOKENS_TABLE} { id hash } }` },
		});
		expect(gqlHash.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
		expect(JSON.stringify(gqlHash.body)).not.toContain(own.hash);

		const gql = await request(directus.url, 'POST', '/graphql', {
			token: alice.accessToken,
			body: { query: `{ ${TOKENS_TABLE}(limit: -1) { id name } }` },
		});
		expect(gql.status).toBe(200);
		expect(gql.body.data[TOKENS_TABLE].map((t: { id: string }) => t.id)).toEqual([own.id]);

		// A user can revoke (delete) their own token but not someone else's.
		const deleteBobs = await request(directus.url, 'DELETE', `/items/${TOKENS_TABLE}/${bobs.id}`, { token: alice.accessToken });
		expect(deleteBobs.status).toBe(403);
		expect(await directus.db(TOKENS_TABLE).where({ id: bobs.id }).first()).toBeTruthy();

		// Admins see everything, hidden tokens included.
		const all = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?limit=-1&fields=id`, { token: directus.adminToken });
		expect(all.body.data.map((t: { id: string }) => t.id).sort()).toEqual([own.id, ownHidden.id, bobs.id, admins.id].sort());
	});

	it('describes the collections to the Data Studio', async () => {
		const fields = await request(directus.url, 'GET', `/fields/${TOKENS_TABLE}`, { token: directus.adminToken });
		expect(fields.status).toBe(200);
		const byName = new Map((fields.body.data as Array<{ field: string; meta: { interface?: string; hidden?: boolean } | null }>).map((f) => [f.field, f]));
		expect(byName.get('scopes')?.meta?.interface).toBe('tags');
		expect(byName.get('hash')?.meta?.hidden).toBe(true);
		const relations = await request(directus.url, 'GET', `/relations/${TOKENS_TABLE}`, { token: directus.adminToken });
		expect(relations.body.data.map((r: { field: string }) => r.field)).toEqual(expect.arrayContaining(['user', 'app']));
	});

	it('migrates down and up again', async () => {
		await directus.stopServer();
		const down = await directus.cli('database', 'migrate:down');
		expect(down.code, down.output).toBe(0);
		expect(await directus.db.schema.hasTable(TOKENS_TABLE)).toBe(false);
		expect(await directus.db.schema.hasTable(APPS_TABLE)).toBe(false);
		expect(await directus.db('directus_collections').whereIn('collection', [TOKENS_TABLE, APPS_TABLE])).toHaveLength(0);
		expect(await directus.db('directus_fields').whereIn('collection', [TOKENS_TABLE, APPS_TABLE])).toHaveLength(0);
		expect(await directus.db('directus_policies').where({ name: OWNER_POLICY_NAME })).toHaveLength(0);
		expect(await directus.db('directus_permissions').whereIn('collection', [TOKENS_TABLE, APPS_TABLE])).toHaveLength(0);
		const { module_bar } = await directus.db('directus_settings').select('module_bar').first();
		expect(String(module_bar)).not.toContain('"tokens"');

		const up = await directus.cli('database', 'migrate:latest');
		expect(up.code, up.output).toBe(0);
		expect(await directus.db.schema.hasTable(TOKENS_TABLE)).toBe(true);
		expect(await directus.db('directus_policies').where({ name: OWNER_POLICY_NAME })).toHaveLength(1);
		// The re-run migration attaches the policy to the roles that exist now.
		const access = await directus
			.db('directus_access')
			.join('directus_policies', 'directus_policies.id', 'directus_access.policy')
			.where({ 'directus_access.role': bob.roleId, 'directus_policies.name': OWNER_POLICY_NAME });
		expect(access).toHaveLength(1);
		await directus.startServer();
		const list = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}`, { token: bob.accessToken });
		expect(list.status).toBe(200);
		expect(list.body.data).toEqual([]);
	});
});
