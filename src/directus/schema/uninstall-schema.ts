/**
 * Removes everything the bundle put in the database: its tables (every token with them), the
 * Directus metadata it wrote (or earlier versions wrote: collections, fields, relations,
 * permissions, presets, the "own tokens" policy), its module bar entry and its bookkeeping. Directus's
 * own data is left alone. Run by `directus api-tokens uninstall --yes`.
 */
import type { Knex } from 'knex';
import { hideModule } from './module-bar.js';
import { acquireSchemaLock } from './schema-lock.js';
import { forgetDirectusMetadata } from './directus-metadata.js';
import { DATA_TABLES, SCHEMA_LOCK_TABLE, SCHEMA_TABLE } from './tables.js';

/**
 * @example
 * ```ts
 * const { dropped } = await uninstallSchema(knex); // ['api_token_events', 'api_tokens', 'api_token_apps']
 * ```
 */
export async function uninstallSchema(db: Knex): Promise<{ dropped: string[] }> {
	const lock = await acquireSchemaLock(db);
	try {
		const dropped: string[] = [];
		for (const table of DATA_TABLES) {
			if (!(await db.schema.hasTable(table))) continue;
			await db.schema.dropTable(table);
			dropped.push(table);
		}
		await forgetDirectusMetadata(db, { keepDescribed: false });
		await hideModule(db);
		await db.schema.dropTableIfExists(SCHEMA_TABLE);
		await db.schema.dropTableIfExists(SCHEMA_LOCK_TABLE);
		return { dropped };
	} finally {
		await lock.release();
	}
}
