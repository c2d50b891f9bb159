/**
 * The tables tokens live in: `api_token_apps` (front-end apps that may mint app tokens),
 * `api_tokens` (only hashes of secrets) and `api_token_events` (the audit trail: ids, never secrets).
 * Plain knex, the same on SQLite, PostgreSQL and MySQL/MariaDB. The Directus bundle creates them
 * through its schema steps; tests and benchmarks create them directly.
 */
import type { Knex } from 'knex';
import { APPS_TABLE, DEVICE_CLIENTS_TABLE, DEVICE_CODES_TABLE, TOKENS_TABLE } from '../shared/constants.js';
import { EVENTS_TABLE } from './token-audit.js';
import { NOTICES_TABLE } from './expiry-notice-store.js';
import { databaseKind } from './database-kind.js';

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
async function addRowId(db: Knex): Promise<void> {
	const kind = databaseKind(db);
	if (kind === 'pg') {
		await db.raw('alter table ?? add column ?? serial unique', [TOKENS_TABLE, 'row_id']);
	} else if (kind === 'mysql') {
		await db.raw('alter table ?? add column ?? int unsigned not null auto_increment unique', [TOKENS_TABLE, 'row_id']);
	} else {
		await db.raw('alter table ?? add column ?? integer', [TOKENS_TABLE, 'row_id']);
		await db.raw('create unique index ?? on ?? (??)', ['api_tokens_row_id_unique', TOKENS_TABLE, 'row_id']);
		await db.raw(
			`create trigger api_tokens_row_id after insert on ${TOKENS_TABLE} when new.row_id is null begin ` +
				`update ${TOKENS_TABLE} set row_id = (select coalesce(max(row_id), 0) + 1 from ${TOKENS_TABLE}) where rowid = new.rowid; end`,
		);
	}
}

async function createApps(db: Knex): Promise<void> {
	await db.schema.createTable(APPS_TABLE, (table) => {
		table.uuid('id').primary().notNullable();
		table.string('name', 100).notNullable().unique();
		table.json('origins').notNullable();
		table.json('scopes').notNullable();
		table.integer('ttl').notNullable().defaultTo(86400);
		table.integer('max_active_per_user').notNullable().defaultTo(5);
		table.boolean('enabled').notNullable().defaultTo(true);
		// No database default for timestamps: SQLite would store text next to knex's epoch numbers.
		table.timestamp('date_created').nullable();
		table.timestamp('date_updated').nullable();
	});
}

async function createTokens(db: Knex): Promise<void> {
	await db.schema.createTable(TOKENS_TABLE, (table) => {
		table.uuid('id').primary().notNullable();
		table.string('name', 100).notNullable();
		table.text('description').nullable();
		table.string('kind', 16).notNullable();
		table.boolean('hidden').notNullable().defaultTo(false);
		table.uuid('app').nullable().references('id').inTable(APPS_TABLE).onDelete('SET NULL');
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
	await addRowId(db);
}

async function createEvents(db: Knex): Promise<void> {
	await db.schema.createTable(EVENTS_TABLE, (table) => {
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

/**
 * Creates whichever of the tables is missing (all of them on a new database).
 *
 * @example
 * ```ts
 * await createTokenTables(knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true }));
 * ```
 */
export async function createTokenTables(db: Knex): Promise<void> {
	// DDL is not transactional on MySQL/MariaDB: on failure, drop by hand what this run created, so
	// that it can simply run again.
	const created: string[] = [];
	try {
		for (const [table, create] of [[APPS_TABLE, createApps], [TOKENS_TABLE, createTokens], [EVENTS_TABLE, createEvents]] as const) {
			if (await db.schema.hasTable(table)) continue;
			created.unshift(table);
			await create(db);
		}
	} catch (error) {
		if (!db.isTransaction) for (const table of created) await db.schema.dropTableIfExists(table).catch(() => {});
		throw error;
	}
}

/**
 * The index validators' incremental syncs read by: changed rows in (`date_updated`, `id`) order,
 * a page at a time. (The full sync pages over `row_id`'s unique index.)
 */
export async function createSyncIndexes(db: Knex): Promise<void> {
	await db.schema.alterTable(TOKENS_TABLE, (table) => {
		table.index(['date_updated', 'id'], 'api_tokens_changes');
	});
}

/**
 * Last-used times are written behind for every token used in a minute (a million rows in one flush).
 * On PostgreSQL an update that changes no indexed column and finds room on the row's own page is a
 * "HOT" update: it writes no index entry. Pages are therefore left 30% free (`fillfactor`; it applies
 * to pages written from now on: `VACUUM FULL api_tokens` applies it to existing ones), and the index
 * on `date_updated` alone goes: `api_tokens_changes` (`date_updated`, `id`) serves every query it
 * did. Measured: a flush of a million last-used times took 49 s and wrote 81% of them before its
 * deadline; it now writes them all in 32 s. MySQL/MariaDB and SQLite update rows in place.
 */
export async function makeLastUsedWritesCheap(db: Knex): Promise<void> {
	await db.schema.alterTable(TOKENS_TABLE, (table) => {
		table.dropIndex(['date_updated']);
	});
	if (databaseKind(db) === 'pg') await db.raw('alter table ?? set (fillfactor = 70)', [TOKENS_TABLE]);
}

/**
 * Anonymous tokens have no owner; they carry what their issuer said of them instead: an opaque
 * `subject` (a visitor id, a bot installation id), a rate-limit `tier`, and the `issuer` (the
 * service token that asked for it; none for the open endpoint). The (`subject`, `issuer`) index
 * serves the per-subject cap and "revoke everything of this subject". `issuer` is no foreign key:
 * a purged service token must not take the anonymous tokens it issued with it.
 */
export async function addAnonymousColumns(db: Knex): Promise<void> {
	await db.schema.alterTable(TOKENS_TABLE, (table) => {
		table.string('subject', 200).nullable();
		table.string('tier', 32).nullable();
		table.uuid('issuer').nullable();
		table.index(['subject', 'issuer'], 'api_tokens_subject');
	});
}

/**
 * `api_token_notices`: the expiry notices given (see `expiry-notice-store.ts`). Its primary key is the
 * rule "once per token, threshold (seconds) and expiry (ms since epoch, a number: the same on every
 * database)": keying on the expiry lets a token whose expiry changes (an extension, a refresh) be
 * noticed again, with no hook on every path that changes an expiry. Rows of a token go with it
 * (a cascading foreign key) when a purge or its owner's deletion removes it (SQLite enforces foreign
 * keys on connections that turn them on, as Directus's do).
 */
export async function createNoticesTable(db: Knex): Promise<void> {
	await db.schema.createTable(NOTICES_TABLE, (table) => {
		table.uuid('token').notNullable().references('id').inTable(TOKENS_TABLE).onDelete('CASCADE');
		table.integer('threshold').notNullable();
		table.bigInteger('expiry_ms').notNullable();
		table.uuid('user').nullable();
		// When the owner was told; null for a larger threshold settled by a smaller one's notice.
		table.timestamp('sent_at').nullable();
		table.primary(['token', 'threshold', 'expiry_ms']);
	});
}

/**
 * Device authorization (RFC 8628):
 * - `api_token_device_clients`: the CLIs and bots admins registered (public clients: no secret);
 * - `api_token_device_codes`: one row per authorization request, keyed by SHA-256 hashes of its
 *   device code and user code (never the codes), with what the approving user chose for the token.
 *   Times the flow compares (`expires_ms`, `last_poll_ms`, `token_expires_ms`) are epoch ms in
 *   big integers: the same on every database, compared in SQL with no time zone in play;
 * - `api_tokens.device_client`: the `client_id` a token was approved for ("who created it");
 * - `api_token_events.device`: which authorization a device step of the audit trail was about.
 * Removing a client removes its requests; the tokens it got stay their users' tokens.
 */
export async function createDeviceTables(db: Knex): Promise<void> {
	if (!(await db.schema.hasTable(DEVICE_CLIENTS_TABLE))) {
		await db.schema.createTable(DEVICE_CLIENTS_TABLE, (table) => {
			table.uuid('id').primary().notNullable();
			table.string('client_id', 100).notNullable().unique();
			table.string('name', 100).notNullable();
			table.json('scopes').notNullable();
			table.integer('default_ttl').notNullable();
			table.integer('max_ttl').notNullable();
			table.boolean('enabled').notNullable().defaultTo(true);
			table.timestamp('date_created').nullable();
			table.timestamp('date_updated').nullable();
		});
	}
	if (!(await db.schema.hasTable(DEVICE_CODES_TABLE))) {
		await db.schema.createTable(DEVICE_CODES_TABLE, (table) => {
			table.uuid('id').primary().notNullable();
			table.uuid('client').notNullable().references('id').inTable(DEVICE_CLIENTS_TABLE).onDelete('CASCADE');
			table.string('device_hash', 64).notNullable().unique();
			table.string('user_code_hash', 64).notNullable().unique();
			table.json('scopes').notNullable();
			table.string('status', 16).notNullable();
			table.integer('poll_interval').notNullable();
			table.bigInteger('expires_ms').notNullable();
			table.bigInteger('last_poll_ms').nullable();
			table.uuid('user').nullable().references('id').inTable('directus_users').onDelete('CASCADE');
			table.string('token_name', 100).nullable();
			table.json('token_scopes').nullable();
			table.bigInteger('token_expires_ms').nullable();
			table.uuid('token').nullable();
			table.timestamp('date_created').nullable();
			table.index(['expires_ms']);
		});
	}
	if (!(await db.schema.hasColumn(TOKENS_TABLE, 'device_client'))) {
		await db.schema.alterTable(TOKENS_TABLE, (table) => {
			table.string('device_client', 100).nullable();
		});
	}
	if (!(await db.schema.hasColumn(EVENTS_TABLE, 'device'))) {
		await db.schema.alterTable(EVENTS_TABLE, (table) => {
			table.uuid('device').nullable();
		});
	}
}

/**
 * Everything the schema steps build for tokens, for databases without Directus (unit tests and
 * benchmarks): the tables, the sync index, cheap last-used writes, anonymous tokens' columns, the
 * expiry notices' table, device authorization.
 */
export async function createTokenSchema(db: Knex): Promise<void> {
	await createTokenTables(db);
	await createSyncIndexes(db);
	await makeLastUsedWritesCheap(db);
	await addAnonymousColumns(db);
	await createNoticesTable(db);
	await createDeviceTables(db);
}

/**
 * Directus's `directus_users` as far as tokens read it (`id`, `status`), for databases without
 * Directus: unit tests and benchmarks. Every user given is active.
 *
 * @example
 * ```ts
 * await createStandInUsersTable(db, [userId]);
 * await createTokenTables(db);
 * ```
 */
export async function createStandInUsersTable(db: Knex, userIds: readonly string[] = []): Promise<void> {
	await db.schema.createTable('directus_users', (table) => {
		table.uuid('id').primary();
		table.string('status', 16).notNullable().defaultTo('active');
	});
	if (userIds.length) await db.batchInsert('directus_users', userIds.map((id) => ({ id, status: 'active' })), 500);
}
