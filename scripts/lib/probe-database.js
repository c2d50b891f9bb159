import knex from 'knex';
import { knexConfig, describeDatabase } from './database-env.js';
import { StartupError } from './startup-error.js';

/**
 * Connects once to the configured database so that a wrong host, password or database name fails
 * in a second with one line, instead of Directus retrying for 25 s and printing a stack.
 * @param {Record<string, string>} dbEnv
 * @returns {Promise<{ installed: boolean }>} whether Directus's system tables already exist
 */
export async function probeDatabase(dbEnv) {
	const db = knex({ ...knexConfig(dbEnv), acquireConnectionTimeout: 5_000, pool: { min: 0, max: 1 } });
	try {
		await db.raw('select 1');
		return { installed: await db.schema.hasTable('directus_settings') };
	} catch (error) {
		const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
		throw new StartupError(`Cannot use ${describeDatabase(dbEnv)}: ${reason}`);
	} finally {
		await db.destroy();
	}
}

/**
 * Runs `fn` with a short-lived knex connection to the configured database.
 * @template T
 * @param {Record<string, string>} dbEnv
 * @param {(db: import('knex').Knex) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withDatabase(dbEnv, fn) {
	const db = knex({ ...knexConfig(dbEnv), pool: { min: 0, max: 1 } });
	try {
		return await fn(db);
	} finally {
		await db.destroy();
	}
}
