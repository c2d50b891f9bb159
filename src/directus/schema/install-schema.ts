/**
 * Installs and upgrades the bundle's schema: applies the steps (`steps/`) not yet recorded in
 * `api_tokens_schema`, in order, under the schema lock (`schema-lock.ts`). Run by the hook at every
 * Directus start; when nothing is pending it costs two queries and takes no lock.
 */
import type { Knex } from 'knex';
import { databaseKind } from '../../core/database-kind.js';
import { acquireSchemaLock, type SchemaLockOptions } from './schema-lock.js';
import type { SchemaStep } from './schema-step.js';
import { SCHEMA_TABLE } from './tables.js';
import { tablesStep } from './steps/0001-tables.js';
import { denyByDefaultStep } from './steps/0002-deny-by-default.js';
import { syncIndexesStep } from './steps/0004-sync-indexes.js';
import { cheapLastUsedWritesStep } from './steps/0005-cheap-last-used-writes.js';
import { anonymousTokensStep } from './steps/0006-anonymous-tokens.js';
import { expiryNoticesStep } from './steps/0007-expiry-notices.js';
import { deviceAuthorizationStep } from './steps/0008-device-authorization.js';

/** Every step, oldest first. New steps go at the end; applied ones are never changed. */
export const SCHEMA_STEPS: readonly SchemaStep[] = [tablesStep, denyByDefaultStep, syncIndexesStep, cheapLastUsedWritesStep, anonymousTokensStep, expiryNoticesStep, deviceAuthorizationStep];

export interface InstallReport {
	/** Steps this call applied (empty when the schema was up to date, or another instance applied them). */
	applied: string[];
	/** Whether another instance held the lock first. */
	waited: boolean;
}

async function ensureSchemaTable(db: Knex): Promise<void> {
	if (await db.schema.hasTable(SCHEMA_TABLE)) return;
	try {
		await db.schema.createTable(SCHEMA_TABLE, (table) => {
			table.string('name', 100).primary();
			table.bigInteger('applied_at').notNullable();
		});
	} catch (error) {
		if (!(await db.schema.hasTable(SCHEMA_TABLE))) throw error;
	}
}

/** Names of the steps not applied yet, in order (`null`: nothing of ours is installed, not even the bookkeeping). */
export async function pendingSteps(db: Knex, steps: readonly SchemaStep[] = SCHEMA_STEPS): Promise<string[] | null> {
	if (!(await db.schema.hasTable(SCHEMA_TABLE))) return null;
	const applied = new Set((await db(SCHEMA_TABLE).select('name')).map((row: { name: string }) => row.name));
	return steps.filter((step) => !applied.has(step.name)).map((step) => step.name);
}

async function applyStep(db: Knex, step: SchemaStep): Promise<void> {
	const record = (trx: Knex) => trx(SCHEMA_TABLE).insert({ name: step.name, applied_at: Date.now() });
	// PostgreSQL and SQLite roll DDL back with the transaction; MySQL/MariaDB commit each statement.
	if (databaseKind(db) === 'mysql') {
		await step.up(db);
		await record(db);
		return;
	}
	await db.transaction(async (trx) => {
		await step.up(trx);
		await record(trx);
	});
}

/**
 * @example
 * ```ts
 * const { applied } = await installSchema(knex);
 * if (applied.length) logger.info(`api-tokens: schema steps applied: ${applied.join(', ')}`);
 * ```
 */
export async function installSchema(db: Knex, { steps = SCHEMA_STEPS, lock: lockOptions }: { steps?: readonly SchemaStep[]; lock?: SchemaLockOptions } = {}): Promise<InstallReport> {
	await ensureSchemaTable(db);
	if ((await pendingSteps(db, steps))?.length === 0) return { applied: [], waited: false };
	const lock = await acquireSchemaLock(db, lockOptions);
	try {
		const applied: string[] = [];
		// Read again under the lock: the instance we waited for may have applied everything.
		const pending = new Set((await pendingSteps(db, steps)) ?? []);
		for (const step of steps) {
			if (!pending.has(step.name)) continue;
			await applyStep(db, step);
			applied.push(step.name);
		}
		return { applied, waited: lock.waited };
	} finally {
		await lock.release();
	}
}
