/**
 * The bundle fits Directus: loaded into a Directus 12 on each database, it installs its own schema at
 * the first start (once), adds its module to the module bar, makes no Directus collection (none
 * counted by Directus's own license usage) and gives non-admins no Directus permission on its tables,
 * so Directus refuses them as it refuses anything missing; admins read the rows with the hashes
 * concealed and cannot write them there. Its CLI tells the schema's state and removes it; Directus's
 * own `bootstrap` and `migrate:latest` keep working. An install of version 0.1.0 (a Directus
 * migration with an "own tokens" policy on every role) is upgraded by starting the new bundle, its
 * tokens kept. A schema that cannot be installed is said in one line, and our routes answer 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { generateToken } from '../src/core/token-format.js';
import { APPS_TABLE, TOKENS_TABLE } from '../src/shared/constants.js';
import { EVENTS_TABLE } from '../src/core/token-audit.js';
import { SCHEMA_STEPS } from '../src/directus/schema/install-schema.js';
import { DATA_TABLES, SCHEMA_TABLE } from '../src/directus/schema/tables.js';
import { enabledDatabases } from './helpers/databases.js';
import { ROOT, startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';

const STEP_NAMES = SCHEMA_STEPS.map((step) => step.name);
const INSTALLED_LINE = `api-tokens: schema installed (${STEP_NAMES.join(', ')})`;
const LEGACY_MIGRATIONS = join(ROOT, 'test/fixtures/legacy-migrations');
const LEGACY_POLICY = '6a0f4e0b-8d7c-4d55-9a55-0a11c0de7e11';

const count = (text: string, part: string) => text.split(part).length - 1;
/** What Directus logged, one message per line (its JSON lines as their `msg`). */
const logMessages = (directus: DirectusInstance) =>
	directus.log().split('\n').map((line) => {
		try {
			return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
		} catch {
			return line;
		}
	});
const moduleBar = async (directus: DirectusInstance) => {
	const settings = await request(directus.url, 'GET', '/settings?fields=module_bar', { token: directus.adminToken });
	return (settings.body.data.module_bar ?? []) as Array<{ id: string; enabled: boolean; type: string }>;
};
/** Field metadata of our tables, as `collection.field:special`: only what the schema describes. */
const describedFields = async (directus: DirectusInstance) =>
	(await directus.db('directus_fields').whereIn('collection', [...DATA_TABLES]).select('collection', 'field', 'special')).map((row) => `${row.collection}.${row.field}:${row.special}`).sort();
const DESCRIBED = [
	'api_token_apps.origins:cast-json',
	'api_token_apps.scopes:cast-json',
	'api_token_device_clients.scopes:cast-json',
	'api_token_device_codes.device_hash:conceal',
	'api_token_device_codes.scopes:cast-json',
	'api_token_device_codes.token_scopes:cast-json',
	'api_token_device_codes.user_code_hash:conceal',
	'api_tokens.hash:conceal',
	'api_tokens.origins:cast-json',
	'api_tokens.previous_hash:conceal',
	'api_tokens.scopes:cast-json',
];
const licensedCollections = async (directus: DirectusInstance) =>
	(await request(directus.url, 'GET', '/license', { token: directus.adminToken })).body.data.usage.collections as number;

describe.each(enabledDatabases())('the schema on %s', (databaseName) => {
	let directus: DirectusInstance;
	let alice: TestUser;

	beforeAll(async () => {
		directus = await startDirectus(databaseName);
		alice = await createUser(directus, 'alice', { appAccess: true });
	});
	afterAll(async () => {
		await directus?.stop();
	});

	it('installs itself at the first start, once, and lists the module in the module bar', async () => {
		expect(count(directus.log(), INSTALLED_LINE)).toBe(1);
		expect((await directus.db(SCHEMA_TABLE).orderBy('name')).map((row) => row.name)).toEqual(STEP_NAMES);
		for (const table of DATA_TABLES) expect(await directus.db.schema.hasTable(table), table).toBe(true);
		const bar = await moduleBar(directus);
		expect(bar.find((entry) => entry.id === 'tokens')).toEqual({ type: 'module', id: 'tokens', enabled: true });
		expect(bar.findIndex((entry) => entry.id === 'tokens')).toBe(bar.findIndex((entry) => entry.id === 'settings') - 1);
		expect((await request(directus.url, 'GET', '/api-tokens/config')).status).toBe(401);
		expect((await request(directus.url, 'GET', '/api-tokens/config', { token: alice.accessToken })).status).toBe(200);
		const status = await directus.cli('api-tokens', 'status');
		expect(status.code, status.output).toBe(0);
		expect(status.output).toContain('installed and up to date');
	});

	it('makes no Directus collection: nothing counted against the license; only the hashes (concealed) and JSON columns described', async () => {
		expect(await directus.db('directus_collections').whereIn('collection', [...DATA_TABLES])).toEqual([]);
		expect(await describedFields(directus)).toEqual(DESCRIBED);
		expect(await licensedCollections(directus)).toBe(0);
	});

	it('gives non-admins no Directus permission on its tables: Directus refuses them as for a table that does not exist', async () => {
		expect(await directus.db('directus_permissions').whereIn('collection', [...DATA_TABLES])).toEqual([]);
		const permissions = await request(directus.url, 'GET', '/permissions/me', { token: alice.accessToken });
		expect(Object.keys(permissions.body.data).filter((collection) => (DATA_TABLES as readonly string[]).includes(collection))).toEqual([]);
		const missing = await request(directus.url, 'GET', '/items/no_such_table', { token: alice.accessToken });
		expect(missing.status).toBe(403);
		for (const table of DATA_TABLES) {
			const refused = await request(directus.url, 'GET', `/items/${table}`, { token: alice.accessToken });
			expect(refused.status, table).toBe(403);
			expect(JSON.stringify(refused.body).replaceAll(table, 'x')).toBe(JSON.stringify(missing.body).replaceAll('no_such_table', 'x'));
		}
		// Her own tokens: through the token API only.
		const created = await request(directus.url, 'POST', '/api-tokens', { token: alice.accessToken, body: { name: 'mine', scopes: ['read'] } });
		expect(created.status).toBe(201);
		expect((await request(directus.url, 'GET', `/items/${TOKENS_TABLE}/${created.body.info.id}`, { token: alice.accessToken })).status).toBe(403);
		expect((await request(directus.url, 'GET', `/api-tokens/${created.body.info.id}`, { token: alice.accessToken })).status).toBe(200);
	});

	it('shows admins the rows read-only, hashes concealed, and refuses ordering on hashes', async () => {
		const { body } = await request(directus.url, 'POST', '/api-tokens', { token: directus.adminToken, body: { name: 'admin token', scopes: ['read'] } });
		const stored = await directus.db(TOKENS_TABLE).where({ id: body.info.id }).first();
		const read = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}/${body.info.id}?fields=*`, { token: directus.adminToken });
		expect(read.status).toBe(200);
		expect(read.body.data).toMatchObject({ id: body.info.id, name: 'admin token', hash: '**********' });
		for (const [method, path, payload] of [
			['POST', `/items/${TOKENS_TABLE}`, { name: 'x', hash: 'a'.repeat(64), hint: 'x', kind: 'personal', scopes: '[]', origins: '[]' }],
			['PATCH', `/items/${TOKENS_TABLE}/${body.info.id}`, { name: 'renamed' }],
			['DELETE', `/items/${TOKENS_TABLE}/${body.info.id}`, undefined],
			['POST', `/items/${APPS_TABLE}`, { name: 'web', origins: '["https://www.example.com"]', scopes: '[]' }],
			['DELETE', `/items/${EVENTS_TABLE}`, { query: { limit: -1 } }],
		] as const) {
			const refused = await request(directus.url, method, path, { token: directus.adminToken, ...(payload ? { body: payload } : {}) });
			expect(refused.status, `${method} ${path}`).toBe(403);
			expect(refused.body.errors[0].message).toContain('read-only here');
		}
		for (const probe of ['sort=-hash', 'groupBy[]=hash&aggregate[count]=id', 'aggregate[countDistinct]=hash', 'aggregate[max]=previous_hash']) {
			const refused = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?${probe}`, { token: directus.adminToken });
			expect(refused.status, probe).toBe(403);
		}
		const filtered = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?filter[hash][_eq]=${stored.hash}`, { token: directus.adminToken });
		expect(filtered.status).toBe(400);
		const searched = await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?search=${stored.hash.slice(0, 16)}`, { token: directus.adminToken });
		expect(searched.body.data).toEqual([]);
		expect(await directus.db(TOKENS_TABLE).where({ id: body.info.id }).first()).toEqual(stored);
	});

	it("keeps Directus's bootstrap and migrate:latest working, is removed by its CLI, and installs itself again at the next start", async () => {
		await directus.stopServer();
		for (const args of [['bootstrap'], ['database', 'migrate:latest']]) {
			const run = await directus.cli(...args);
			expect(run.code, run.output).toBe(0);
		}
		expect(count(directus.log(), INSTALLED_LINE)).toBe(1);

		const unconfirmed = await directus.cli('api-tokens', 'uninstall');
		expect(unconfirmed.code).toBe(1);
		expect(unconfirmed.output).toContain('--yes');
		expect(await directus.db.schema.hasTable(TOKENS_TABLE)).toBe(true);

		const removed = await directus.cli('api-tokens', 'uninstall', '--yes');
		expect(removed.code, removed.output).toBe(0);
		for (const table of [...DATA_TABLES, SCHEMA_TABLE]) expect(await directus.db.schema.hasTable(table), table).toBe(false);
		expect(await directus.db('directus_fields').whereIn('collection', [...DATA_TABLES])).toEqual([]);
		expect(String((await directus.db('directus_settings').select('module_bar').first()).module_bar)).not.toContain('"tokens"');
		const status = await directus.cli('api-tokens', 'status');
		expect(status.code).toBe(1);
		expect(status.output).toContain('not installed');

		await directus.startServer();
		expect(count(directus.log(), INSTALLED_LINE)).toBe(2);
		expect((await directus.db(SCHEMA_TABLE)).length).toBe(STEP_NAMES.length);
		expect((await moduleBar(directus)).some((entry) => entry.id === 'tokens')).toBe(true);
		expect((await request(directus.url, 'GET', '/api-tokens/config', { token: alice.accessToken })).status).toBe(200);
		// Five CLI runs and a start, each booting Directus: longer than one request's test.
	}, 240_000);
});

describe.each(enabledDatabases())('upgrading an install of 0.1.0 on %s', (databaseName) => {
	let directus: DirectusInstance;
	let legacyToken: string;
	/** Directus's own count of 0.1.0's collections, measured without our bundle (once: it is the same everywhere). */
	let legacyCollections: number | null = null;

	beforeAll(async () => {
		// 0.1.0 shipped a Directus migration that users copied into MIGRATIONS_PATH: bootstrap runs it.
		directus = await startDirectus(
			databaseName,
			{ MIGRATIONS_PATH: LEGACY_MIGRATIONS },
			{
				start: false,
				async beforeStart(db) {
					// A role made while 0.1.0 ran: its hook gave every new role the "own tokens" policy.
					const role = randomUUID();
					await db('directus_roles').insert({ id: role, name: 'Editors', icon: 'edit' });
					await db('directus_access').insert({ id: randomUUID(), role, user: null, policy: LEGACY_POLICY, sort: 1 });
					const admin = await db('directus_users').first('id');
					const generated = generateToken('personal');
					legacyToken = generated.token;
					await db(TOKENS_TABLE).insert({ id: randomUUID(), name: 'from 0.1.0', kind: 'personal', hidden: false, hash: generated.hash, hint: generated.hint, scopes: JSON.stringify(['read', 'directus']), origins: '[]', user: admin.id, date_created: new Date(), date_updated: new Date() });
				},
			},
		);
		if (databaseName === enabledDatabases()[0]) {
			const extensions = directus.env.EXTENSIONS_PATH!;
			directus.env.EXTENSIONS_PATH = join(extensions, 'none');
			await directus.startServer();
			legacyCollections = await licensedCollections(directus);
			await directus.stopServer();
			directus.env.EXTENSIONS_PATH = extensions;
		}
	});
	afterAll(async () => {
		await directus?.stop();
	});

	it('removes the policy and the collections of 0.1.0 when the new bundle starts, and keeps the tokens', async () => {
		if (legacyCollections !== null) expect(legacyCollections).toBe(3);
		expect(await directus.db('directus_collections').whereIn('collection', [...DATA_TABLES])).toHaveLength(3);
		expect(await directus.db('directus_access').where({ policy: LEGACY_POLICY })).not.toEqual([]);
		await directus.startServer();
		expect(count(directus.log(), INSTALLED_LINE)).toBe(1);
		expect(await directus.db('directus_policies').where({ id: LEGACY_POLICY })).toEqual([]);
		expect(await directus.db('directus_access').where({ policy: LEGACY_POLICY })).toEqual([]);
		expect(await directus.db('directus_permissions').whereIn('collection', [...DATA_TABLES])).toEqual([]);
		expect(await directus.db('directus_collections').whereIn('collection', [...DATA_TABLES])).toEqual([]);
		expect(await directus.db('directus_relations').whereIn('many_collection', [...DATA_TABLES])).toEqual([]);
		expect(await describedFields(directus)).toEqual(DESCRIBED);
		expect(await licensedCollections(directus)).toBe(0);
		const me = await request(directus.url, 'GET', '/users/me?fields=email', { token: legacyToken });
		expect(me.status).toBe(200);
		const listed = await request(directus.url, 'GET', '/api-tokens', { token: directus.adminToken });
		expect(listed.body.tokens.map((token: { name: string }) => token.name)).toContain('from 0.1.0');
		// Directus still lists the 0.1.0 migration as done; its file may stay or go.
		expect((await directus.cli('database', 'migrate:latest')).code).toBe(0);
	});
});

describe.runIf(process.env.TEST_PG_URL)('two instances starting at the same moment on one new PostgreSQL database', () => {
	const instances: DirectusInstance[] = [];
	afterAll(async () => {
		for (const instance of [...instances].reverse()) await instance.stop();
	});

	it('install the schema once', async () => {
		const first = await startDirectus('postgres', {}, { start: false });
		instances.push(first);
		instances.push(await startDirectus('postgres', {}, { sharing: first, start: false }));
		await Promise.all(instances.map((instance) => instance.startServer()));
		const logs = instances.map((instance) => logMessages(instance).join('\n'));
		expect(logs.map((log) => count(log, INSTALLED_LINE)).sort()).toEqual([0, 1]);
		expect(logs.join('\n')).not.toContain('could not be installed');
		expect((await first.db(SCHEMA_TABLE).orderBy('name')).map((row) => row.name)).toEqual(STEP_NAMES);
		expect(await describedFields(first)).toEqual(DESCRIBED);
		// Both serve tokens: one made through the first works through the second.
		const created = await request(instances[0]!.url, 'POST', '/api-tokens', { token: first.adminToken, body: { name: 'fleet', scopes: ['directus'] } });
		expect(created.status).toBe(201);
		expect((await request(instances[1]!.url, 'GET', '/users/me?fields=id', { token: created.body.token })).status).toBe(200);
	});
});

describe('a schema that cannot be installed', () => {
	const setups = [
		{
			database: 'sqlite' as const,
			// Someone else's table under our name.
			async prepare(directus: DirectusInstance) {
				await directus.db.schema.createTable(TOKENS_TABLE, (table) => {
					table.increments('id');
					table.string('secret');
				});
			},
			reason: `a table "${TOKENS_TABLE}" exists that this extension did not create`,
		},
		...(process.env.TEST_PG_URL
			? [
					{
						database: 'postgres' as const,
						// Directus runs as a user that may read and write its tables but create none.
						async prepare(directus: DirectusInstance) {
							const role = `apitok_${randomUUID().slice(0, 8)}`;
							await directus.db.raw(`create role ${role} login`);
							await directus.db.raw(`grant select, insert, update, delete on all tables in schema public to ${role}`);
							await directus.db.raw(`grant usage, select, update on all sequences in schema public to ${role}`);
							await directus.db.raw('revoke create on schema public from public');
							directus.env.DB_USER = role;
						},
						reason: 'permission denied for schema public',
					},
				]
			: []),
	];

	describe.each(setups)('on $database', ({ database, prepare, reason }) => {
		let directus: DirectusInstance;
		beforeAll(async () => {
			directus = await startDirectus(database, {}, { start: false });
			await prepare(directus);
			await directus.startServer();
		});
		afterAll(async () => {
			await directus?.stop();
		});

		it('says why in one line at start, answers 503 with it on our routes, and leaves Directus working', async () => {
			const lines = logMessages(directus).filter((line) => line.includes('api-tokens: the schema could not be installed'));
			expect(lines).toHaveLength(1);
			expect(lines[0]).toContain(reason);
			expect(lines[0]).not.toMatch(/create table|alter table|insert into/i);
			const problem = lines[0]!.slice(lines[0]!.indexOf('api-tokens: the schema'));
			const generated = generateToken('personal').token;
			for (const [path, init] of [
				['/api-tokens/config', { token: directus.adminToken }],
				['/api-tokens', { token: directus.adminToken }],
				['/users/me', { token: generated }],
			] as const) {
				const answer = await request(directus.url, 'GET', path, init);
				expect(answer.status, path).toBe(503);
				expect(problem).toContain(answer.body.errors[0].message.replace(/\.$/, ''));
			}
			const app = await request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'web' }, headers: { origin: 'https://www.example.com' } });
			expect(app.status).toBe(503);
			expect((await request(directus.url, 'GET', '/users/me?fields=id', { token: directus.adminToken })).status).toBe(200);
		});
	});
});
