/**
 * API tokens: the `api_tokens` and `api_token_apps` tables, their Directus metadata (collections,
 * fields, relations) and the "own tokens" policy that lets dashboard users read and revoke their own
 * visible tokens without ever seeing a hash. Runs on SQLite, PostgreSQL and MySQL/MariaDB.
 *
 * Plain ESM so Directus can import it from MIGRATIONS_PATH; the version (before the first `-`) sorts
 * after Directus 12.4's own newest migration.
 */
import { randomUUID } from 'node:crypto';

const TOKENS = 'api_tokens';
const APPS = 'api_token_apps';
const EVENTS = 'api_token_events';
const OURS = [TOKENS, APPS, EVENTS];
export const OWNER_POLICY_ID = '6a0f4e0b-8d7c-4d55-9a55-0a11c0de7e11';
const OWNER_POLICY_NAME = 'API tokens: own tokens';
function clientOf(knex) {
	const name = knex.client.config.client;
	if (name === 'sqlite3' || name === 'better-sqlite3') return 'sqlite';
	if (name === 'pg' || name === 'postgres' || name === 'postgresql') return 'pg';
	return 'mysql';
}

/**
 * `row_id`: an auto-incrementing pagination id that is not the primary key. No portable knex spelling
 * exists (knex 3.1 `increments('row_id', { primaryKey: false })` is still `primary key autoincrement`
 * on SQLite and loses AUTO_INCREMENT on MySQL), so each database gets its own:
 * - PostgreSQL: `serial unique`;
 * - MySQL/MariaDB: AUTO_INCREMENT, which must be a key, so `unique` in the same statement;
 * - SQLite: AUTOINCREMENT is only for an INTEGER PRIMARY KEY, so a trigger numbers new rows
 *   `max(row_id) + 1` (an index lookup). Not the implicit `rowid`: VACUUM may renumber rowids of a
 *   table without an INTEGER PRIMARY KEY, and a renumbered rowid would collide with a stored row_id.
 */
async function addRowId(knex) {
	const client = clientOf(knex);
	if (client === 'pg') {
		await knex.raw('alter table ?? add column ?? serial unique', [TOKENS, 'row_id']);
	} else if (client === 'mysql') {
		await knex.raw('alter table ?? add column ?? int unsigned not null auto_increment unique', [TOKENS, 'row_id']);
	} else {
		await knex.raw('alter table ?? add column ?? integer', [TOKENS, 'row_id']);
		await knex.raw('create unique index ?? on ?? (??)', ['api_tokens_row_id_unique', TOKENS, 'row_id']);
		await knex.raw(
			`create trigger api_tokens_row_id after insert on ${TOKENS} when new.row_id is null begin ` +
				`update ${TOKENS} set row_id = (select coalesce(max(row_id), 0) + 1 from ${TOKENS}) where rowid = new.rowid; end`,
		);
	}
}

export async function createTables(knex) {
	await knex.schema.createTable(APPS, (table) => {
		table.uuid('id').primary().notNullable();
		table.string('name', 100).notNullable().unique();
		table.json('origins').notNullable();
		table.json('scopes').notNullable();
		table.integer('ttl').notNullable().defaultTo(86400);
		table.integer('max_active_per_user').notNullable().defaultTo(5);
		table.boolean('enabled').notNullable().defaultTo(true);
		// No database default for timestamps: SQLite would store text next to Directus's epoch numbers.
		table.timestamp('date_created').nullable();
		table.timestamp('date_updated').nullable();
	});

	await knex.schema.createTable(TOKENS, (table) => {
		table.uuid('id').primary().notNullable();
		table.string('name', 100).notNullable();
		table.text('description').nullable();
		table.string('kind', 16).notNullable();
		table.boolean('hidden').notNullable().defaultTo(false);
		table.uuid('app').nullable().references('id').inTable(APPS).onDelete('SET NULL');
		table.string('hash', 64).notNullable().unique();
		table.string('hint', 32).notNullable();
		table.json('scopes').notNullable();
		table.json('origins').notNullable();
		table.timestamp('expires_at').nullable();
		table.boolean('refreshable').notNullable().defaultTo(false);
		table.timestamp('last_used_at').nullable();
		table.timestamp('revoked_at').nullable();
		table.string('previous_hash', 64).nullable();
		table.timestamp('grace_until').nullable();
		table.uuid('user').nullable().references('id').inTable('directus_users').onDelete('CASCADE');
		table.timestamp('date_created').nullable();
		table.timestamp('date_updated').nullable();
		table.uuid('user_created').nullable().references('id').inTable('directus_users').onDelete('SET NULL');
		table.uuid('user_updated').nullable().references('id').inTable('directus_users').onDelete('SET NULL');
		table.index(['previous_hash']);
		table.index(['user', 'kind']);
		table.index(['revoked_at']);
		table.index(['expires_at']);
		table.index(['date_updated']);
	});
	await addRowId(knex);

	// Audit trail of token events (create, regenerate, refresh, revoke, reset): ids only, never a secret.
	await knex.schema.createTable(EVENTS, (table) => {
		table.increments('id');
		table.string('type', 16).notNullable();
		table.uuid('token').nullable();
		table.uuid('user').nullable();
		table.uuid('actor').nullable();
		table.timestamp('at').nullable();
		table.index(['user']);
		table.index(['token']);
	});
}

const hidden = { hidden: true, readonly: true };
const timestamp = { interface: 'datetime', display: 'datetime', display_options: { relative: true }, width: 'half' };
const userRef = {
	interface: 'select-dropdown-m2o',
	display: 'related-values',
	display_options: { template: '{{email}}' },
	options: { template: '{{email}}' },
	width: 'half',
};

/** Data Studio metadata for every column (`special` drives Directus's casts). */
const FIELDS = {
	[TOKENS]: [
		['id', { special: 'uuid', interface: 'input', ...hidden }],
		['row_id', { ...hidden, note: 'Pagination id' }],
		['name', { interface: 'input', display: 'raw', required: true, width: 'half', options: { placeholder: 'e.g. Globalping CLI' } }],
		['hint', { interface: 'input', display: 'formatted-value', display_options: { font: 'monospace' }, readonly: true, width: 'half', note: 'Start of the token, for recognising it; never the secret' }],
		['description', { interface: 'input-multiline', width: 'full' }],
		['kind', { interface: 'select-dropdown', display: 'labels', readonly: true, width: 'half', options: { choices: [{ text: 'Personal', value: 'personal' }, { text: 'App', value: 'app' }, { text: 'Service', value: 'service' }] } }],
		['user', { special: 'm2o', ...userRef, readonly: true, note: 'Owner' }],
		['app', { special: 'm2o', interface: 'select-dropdown-m2o', display: 'related-values', display_options: { template: '{{name}}' }, options: { template: '{{name}}' }, readonly: true, width: 'half' }],
		['hidden', { special: 'cast-boolean', interface: 'boolean', display: 'boolean', readonly: true, width: 'half', note: 'App tokens are hidden from their owner' }],
		['scopes', { special: 'cast-json', interface: 'tags', display: 'labels', width: 'full' }],
		['origins', { special: 'cast-json', interface: 'tags', display: 'labels', width: 'full', note: 'Allowed Origin values, e.g. https://www.example.com or https://*.example.com; empty = any' }],
		['expires_at', { special: 'cast-timestamp', ...timestamp, note: 'Never, when empty (service tokens only)' }],
		['refreshable', { special: 'cast-boolean', interface: 'boolean', display: 'boolean', width: 'half' }],
		['last_used_at', { special: 'cast-timestamp', ...timestamp, readonly: true }],
		['revoked_at', { special: 'cast-timestamp', ...timestamp, readonly: true }],
		['grace_until', { special: 'cast-timestamp', ...timestamp, readonly: true, hidden: true, note: 'The previous secret works until then' }],
		['hash', { special: 'conceal', interface: 'input-hash', ...hidden }],
		['previous_hash', { special: 'conceal', interface: 'input-hash', ...hidden }],
		['date_created', { special: 'date-created,cast-timestamp', ...timestamp, readonly: true }],
		['date_updated', { special: 'date-updated,cast-timestamp', ...timestamp, readonly: true, hidden: true }],
		['user_created', { special: 'user-created', ...userRef, readonly: true, hidden: true }],
		['user_updated', { special: 'user-updated', ...userRef, readonly: true, hidden: true }],
	],
	[EVENTS]: [
		['id', { ...hidden }],
		['type', { interface: 'input', display: 'labels', readonly: true, width: 'half' }],
		['at', { special: 'cast-timestamp', ...timestamp, readonly: true }],
		['token', { interface: 'input', display: 'raw', readonly: true, width: 'half', note: 'Token id (the token row may be purged)' }],
		['user', { interface: 'input', display: 'raw', readonly: true, width: 'half', note: 'Owner' }],
		['actor', { interface: 'input', display: 'raw', readonly: true, width: 'half', note: 'Who did it (empty: the system)' }],
	],
	[APPS]: [
		['id', { special: 'uuid', interface: 'input', ...hidden }],
		['name', { interface: 'input', display: 'raw', required: true, width: 'half', note: 'What website JS passes as `app`' }],
		['enabled', { special: 'cast-boolean', interface: 'boolean', display: 'boolean', width: 'half' }],
		['origins', { special: 'cast-json', interface: 'tags', display: 'labels', required: true, width: 'full', note: 'Origins allowed to mint tokens, e.g. https://www.example.com or https://*.example.com' }],
		['scopes', { special: 'cast-json', interface: 'tags', display: 'labels', width: 'full' }],
		['ttl', { interface: 'input', display: 'raw', width: 'half', note: 'Token lifetime in seconds (capped by API_TOKENS_MAX_TTL_APP)' }],
		['max_active_per_user', { interface: 'input', display: 'raw', width: 'half', note: 'Issuing more revokes the oldest' }],
		['date_created', { special: 'date-created,cast-timestamp', ...timestamp, readonly: true }],
		['date_updated', { special: 'date-updated,cast-timestamp', ...timestamp, readonly: true, hidden: true }],
	],
};

const JSON_COLUMNS = ['options', 'display_options'];

async function insertMetadata(knex) {
	await knex('directus_collections').insert([
		// 'activity', not 'all': revisions would copy whole rows, hashes included.
		{ collection: TOKENS, icon: 'key', note: 'API tokens (only hashes are stored)', display_template: '{{name}} ({{hint}})', hidden: false, singleton: false, accountability: 'activity' },
		{ collection: EVENTS, icon: 'history', note: 'What happened to API tokens, newest first (no secrets)', display_template: '{{type}} {{token}}', hidden: false, singleton: false, accountability: null, sort_field: null },
		{ collection: APPS, icon: 'apps', note: 'Front-end apps that may mint short-lived app tokens from the dashboard session', display_template: '{{name}}', hidden: false, singleton: false, accountability: 'all' },
	]);
	for (const [collection, fields] of Object.entries(FIELDS)) {
		await knex('directus_fields').insert(
			fields.map(([field, meta], index) => {
				const row = { collection, field, sort: index + 1, readonly: false, hidden: false, required: false, width: 'full', ...meta };
				for (const key of JSON_COLUMNS) if (row[key] !== undefined) row[key] = JSON.stringify(row[key]);
				return row;
			}),
		);
	}
	await knex('directus_relations').insert([
		{ many_collection: TOKENS, many_field: 'user', one_collection: 'directus_users', one_deselect_action: 'nullify' },
		{ many_collection: TOKENS, many_field: 'app', one_collection: APPS, one_deselect_action: 'nullify' },
		{ many_collection: TOKENS, many_field: 'user_created', one_collection: 'directus_users', one_deselect_action: 'nullify' },
		{ many_collection: TOKENS, many_field: 'user_updated', one_collection: 'directus_users', one_deselect_action: 'nullify' },
	]);
}

async function insertOwnerPolicy(knex) {
	await knex('directus_policies').insert({
		id: OWNER_POLICY_ID,
		name: OWNER_POLICY_NAME,
		icon: 'key',
		description: 'Read and revoke your own API tokens (never their hashes). Added to every role by the API tokens extension.',
		enforce_tfa: false,
		admin_access: false,
		app_access: false,
	});
	// Plain collection-level grants (`fields: '*'`, no item rule). Directus 12 without a license that
	// grants `custom_permission_rules_enabled` treats a permission with an item filter, validation,
	// presets or a field list as a "custom rule": PermissionsService.readByQuery drops it, so it grants
	// nothing (measured on 12.4.0: such rows left the user with 403 on their own tokens), and the
	// license "pending resolution" check lists it. So the rules "own, non-hidden tokens only" and
	// "never a hash" live in the bundle's hook instead (src/hooks/tokens/items-guard.ts);
	// `hash`/`previous_hash` are also `conceal` fields, so even without the hook Directus returns them
	// as "**********" and refuses `_eq`-style filters on them.
	await knex('directus_permissions').insert(
		['read', 'delete'].map((action) => ({
			collection: TOKENS,
			action,
			permissions: null,
			validation: null,
			presets: null,
			fields: '*',
			policy: OWNER_POLICY_ID,
		})),
	);
	// Every existing role that is not already an admin role gets the policy.
	const adminRoles = knex('directus_access')
		.join('directus_policies', 'directus_policies.id', 'directus_access.policy')
		.where('directus_policies.admin_access', true)
		.whereNotNull('directus_access.role')
		.select('directus_access.role');
	const roles = await knex('directus_roles').whereNotIn('id', adminRoles).select('id');
	if (roles.length === 0) return;
	// Appended after the role's own policies (`sort` orders them in the role's policy list).
	const sorts = await knex('directus_access').whereNotNull('role').groupBy('role').select('role').max({ sort: 'sort' });
	const lastSort = new Map(sorts.map((row) => [row.role, Number(row.sort ?? 0)]));
	await knex('directus_access').insert(
		roles.map(({ id }) => ({ id: randomUUID(), role: id, user: null, policy: OWNER_POLICY_ID, sort: (lastSort.get(id) ?? 0) + 1 })),
	);
}

/** Directus 12's default module bar, used when the project never customised it. */
const DEFAULT_MODULE_BAR = [
	{ type: 'module', id: 'content', enabled: true },
	{ type: 'module', id: 'visual', enabled: false },
	{ type: 'module', id: 'users', enabled: true },
	{ type: 'module', id: 'files', enabled: true },
	{ type: 'module', id: 'insights', enabled: true },
	{ type: 'module', id: 'flows', enabled: true },
	{ type: 'module', id: 'deployments', enabled: false },
	{ type: 'link', id: 'docs', enabled: true, name: '$t:documentation', icon: 'help', url: 'https://directus.com/docs' },
	{ type: 'module', id: 'settings', enabled: true, locked: true },
];
const MODULE_ENTRY = { type: 'module', id: 'tokens', enabled: true };

function parseModuleBar(value) {
	if (!value) return null;
	return typeof value === 'string' ? JSON.parse(value) : value;
}

/** Custom modules only show in the module bar once listed in the settings: list ours before Settings. */
async function showModule(knex) {
	const settings = await knex('directus_settings').select('id', 'module_bar').first();
	const current = parseModuleBar(settings?.module_bar) ?? DEFAULT_MODULE_BAR;
	if (current.some((entry) => entry.id === MODULE_ENTRY.id)) return;
	const settingsIndex = current.findIndex((entry) => entry.id === 'settings');
	const next = [...current];
	next.splice(settingsIndex === -1 ? next.length : settingsIndex, 0, MODULE_ENTRY);
	// On a fresh install this runs before Directus creates the settings row: create it.
	if (settings) await knex('directus_settings').where({ id: settings.id }).update({ module_bar: JSON.stringify(next) });
	else await knex('directus_settings').insert({ module_bar: JSON.stringify(next) });
}

async function hideModule(knex) {
	const settings = await knex('directus_settings').select('id', 'module_bar').first();
	const current = parseModuleBar(settings?.module_bar);
	if (!current) return;
	const next = current.filter((entry) => entry.id !== MODULE_ENTRY.id);
	// Back to "never customised" (null) when `up` had only added us to Directus's default bar.
	const untouched = JSON.stringify(next) === JSON.stringify(DEFAULT_MODULE_BAR);
	await knex('directus_settings').where({ id: settings.id }).update({ module_bar: untouched ? null : JSON.stringify(next) });
}

export async function up(knex) {
	// DDL is not transactional on MySQL, so on failure undo by hand what this run created, and keep the
	// metadata in one transaction: a failed `up` leaves nothing behind and can simply run again.
	const existedBefore = Object.fromEntries(await Promise.all(OURS.map(async (t) => [t, await knex.schema.hasTable(t)])));
	try {
		await createTables(knex);
		await knex.transaction(async (trx) => {
			await insertMetadata(trx);
			await insertOwnerPolicy(trx);
			await showModule(trx);
		});
	} catch (error) {
		for (const table of [EVENTS, TOKENS, APPS]) if (!existedBefore[table]) await knex.schema.dropTableIfExists(table).catch(() => {});
		throw error;
	}
}

export async function down(knex) {
	await hideModule(knex);
	await knex('directus_access').where({ policy: OWNER_POLICY_ID }).delete();
	await knex('directus_permissions').whereIn('collection', OURS).delete();
	await knex('directus_permissions').where({ policy: OWNER_POLICY_ID }).delete();
	await knex('directus_policies').where({ id: OWNER_POLICY_ID }).delete();
	await knex('directus_relations').whereIn('many_collection', OURS).delete();
	await knex('directus_relations').whereIn('one_collection', OURS).delete();
	await knex('directus_fields').whereIn('collection', OURS).delete();
	await knex('directus_presets').whereIn('collection', OURS).delete();
	await knex('directus_collections').whereIn('collection', OURS).delete();
	await knex.schema.dropTableIfExists(EVENTS);
	await knex.schema.dropTableIfExists(TOKENS);
	await knex.schema.dropTableIfExists(APPS);
}
