/**
 * Step 1: the tables. `api_token_apps` (front-end apps that may mint app tokens), `api_tokens`
 * (only hashes of secrets) and `api_token_events` (the audit trail: ids, never secrets). None of them
 * is a Directus collection with metadata: the Data Studio does not list them, they count for nothing
 * against the license's collection limit, and Directus's permissions (deny by default) give
 * non-admins no access to them. The only field metadata is `FIELD_SPECIALS`: the hashes concealed
 * (Directus shows them to nobody, admins included), the JSON columns cast.
 *
 * Installs made by earlier versions (a Directus migration in MIGRATIONS_PATH) already have the
 * tables: they are adopted as they are.
 */
import type { Knex } from 'knex';
import { APPS_TABLE, TOKENS_TABLE } from '../../../shared/constants.js';
import { createTokenTables } from '../../../core/token-tables.js';
import { showModule } from '../module-bar.js';
import { FIELD_SPECIALS } from '../tables.js';
import { SchemaConflictError, type SchemaStep } from '../schema-step.js';

/** Columns an `api_tokens` table must have to be ours (anything else by that name is someone else's). */
const OUR_TOKEN_COLUMNS = ['id', 'hash', 'hint', 'kind', 'scopes', 'row_id', 'previous_hash', 'revoked_at'];

/**
 * The field metadata of `FIELD_SPECIALS` for `collections` (hashes concealed, JSON cast), replacing any
 * older rows of those fields. Each step describes the tables it creates.
 */
export async function describeColumns(db: Knex, collections: readonly string[]): Promise<void> {
	for (const collection of collections) {
		const fields = FIELD_SPECIALS[collection] ?? {};
		await db('directus_fields').where({ collection }).whereIn('field', Object.keys(fields)).delete();
		await db('directus_fields').insert(
			Object.entries(fields).map(([field, special]) => ({
				collection,
				field,
				special,
				interface: special === 'conceal' ? 'input-hash' : 'tags',
				hidden: special === 'conceal',
				readonly: true,
				required: false,
				width: 'full',
			})),
		);
	}
}

export const tablesStep: SchemaStep = {
	name: '0001-tables',
	async up(db) {
		if (await db.schema.hasTable(TOKENS_TABLE)) {
			const columns = Object.keys(await db(TOKENS_TABLE).columnInfo());
			const missing = OUR_TOKEN_COLUMNS.filter((column) => !columns.includes(column));
			if (missing.length) throw new SchemaConflictError(`a table "${TOKENS_TABLE}" exists that this extension did not create (it has no ${missing.join(', ')}); rename it or point Directus at another database`);
		}
		await createTokenTables(db);
		await describeColumns(db, [TOKENS_TABLE, APPS_TABLE]);
		await showModule(db);
	},
};
