/**
 * A lock over the schema shared by every Directus instance on one database, so that instances
 * starting together apply each step once. Taking it is inserting the one row of
 * `api_tokens_schema_lock` (its primary key makes that atomic on every database); releasing it is
 * deleting the row. The holder refreshes `heartbeat_at` while it works; a row nobody refreshed for
 * `staleMs` was left by a crashed process and is taken over.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { SCHEMA_LOCK_TABLE } from './tables.js';

export interface SchemaLockOptions {
	/** Give up after waiting this long for another instance (ms). */
	timeoutMs?: number;
	/** A lock whose holder stopped refreshing it this long ago is abandoned (ms). */
	staleMs?: number;
	/** How often the holder refreshes the lock (ms). */
	heartbeatMs?: number;
	now?: () => number;
	/** Called once when the lock is found held by another instance (logs, tests). */
	onWait?: () => void;
}

export interface SchemaLock {
	/** Whether another instance held the lock when we first asked. */
	waited: boolean;
	release(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lock table itself (created by whoever comes first; a racing creator finds it made). */
export async function ensureLockTable(db: Knex): Promise<void> {
	if (await db.schema.hasTable(SCHEMA_LOCK_TABLE)) return;
	try {
		await db.schema.createTable(SCHEMA_LOCK_TABLE, (table) => {
			table.integer('id').primary();
			table.string('owner', 64).notNullable();
			table.bigInteger('heartbeat_at').notNullable();
		});
	} catch (error) {
		if (!(await db.schema.hasTable(SCHEMA_LOCK_TABLE))) throw error;
	}
}

/**
 * Waits for the schema lock and takes it.
 *
 * @example
 * ```ts
 * const lock = await acquireSchemaLock(knex);
 * try { await applySteps(); } finally { await lock.release(); }
 * ```
 */
export async function acquireSchemaLock(db: Knex, { timeoutMs = 120_000, staleMs = 30_000, heartbeatMs = 5_000, now = Date.now, onWait }: SchemaLockOptions = {}): Promise<SchemaLock> {
	await ensureLockTable(db);
	const owner = randomUUID();
	const deadline = now() + timeoutMs;
	let waited = false;
	for (;;) {
		try {
			await db(SCHEMA_LOCK_TABLE).insert({ id: 1, owner, heartbeat_at: now() });
			break;
		} catch (error) {
			const holder = await db(SCHEMA_LOCK_TABLE).where({ id: 1 }).first();
			if (!holder) continue; // released between our insert and our look: try again at once
			if (!waited) onWait?.();
			waited = true;
			if (now() - Number(holder.heartbeat_at) > staleMs) {
				// Only the abandoned row: a holder that refreshed meanwhile keeps its lock.
				await db(SCHEMA_LOCK_TABLE).where({ id: 1, owner: holder.owner, heartbeat_at: holder.heartbeat_at }).delete();
				continue;
			}
			if (now() > deadline) throw new Error(`another Directus instance has been installing the schema for over ${Math.round(timeoutMs / 1000)} s`, { cause: error });
			await pause(100 + Math.random() * 200);
		}
	}
	const heartbeat = setInterval(() => {
		db(SCHEMA_LOCK_TABLE).where({ id: 1, owner }).update({ heartbeat_at: now() }).catch(() => {
			// The next beat tries again; a lock unrefreshed for `staleMs` is the worst outcome.
		});
	}, heartbeatMs);
	heartbeat.unref();
	return {
		waited,
		async release() {
			clearInterval(heartbeat);
			// The lock table is gone after an uninstall: nothing left to release.
			if (await db.schema.hasTable(SCHEMA_LOCK_TABLE)) await db(SCHEMA_LOCK_TABLE).where({ id: 1, owner }).delete();
		},
	};
}
