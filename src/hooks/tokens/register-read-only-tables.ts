import { DATA_TABLES, SCHEMA_LOCK_TABLE, SCHEMA_TABLE, SECRET_FIELDS } from '../../directus/schema/tables.js';
import { ReadOnlyTableError, SecretFieldError } from './errors.js';
import { secretOrderingField } from './secret-query.js';
import type { HookContext, RegisterFilter } from './hook-types.js';

/** Admins, and Directus acting with full access (flows, `schema apply`): the only ones permissions let through. */
const unrestricted = ({ accountability }: HookContext) => !accountability || accountability.admin === true;

/**
 * Directus's generic APIs are read-only on our tables for those who can reach them at all. Non-admins
 * hold no permission on them, so Directus refuses them itself ("no permission or does not exist");
 * for admins and full-access flows, a write through `/items`, GraphQL or an import is refused here:
 * tokens are created where the plaintext can be shown once, and every rule lives in the token API.
 * Reads stay open to admins, with the hashes concealed, and ordering on them refused.
 */
export function registerReadOnlyTables(filter: RegisterFilter): void {
	for (const collection of [...DATA_TABLES, SCHEMA_TABLE, SCHEMA_LOCK_TABLE]) {
		for (const action of ['create', 'update', 'delete']) {
			filter(`${collection}.items.${action}`, (payload: unknown, _meta, context) => {
				if (unrestricted(context)) throw new ReadOnlyTableError({ collection });
				return payload;
			});
		}
	}
	for (const [collection, secrets] of Object.entries(SECRET_FIELDS)) {
		if (secrets.length === 0) continue;
		filter(`${collection}.items.query`, (query: Record<string, unknown>, _meta, context) => {
			const field = unrestricted(context) ? secretOrderingField(query, secrets) : null;
			if (field) throw new SecretFieldError({ field });
			return query;
		});
	}
}
