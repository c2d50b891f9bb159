/**
 * Step 7: `api_token_notices`, the expiry notices given (once per token, threshold and expiry, even
 * with several Directus instances). Like our other tables, no Directus collection: nobody but admins
 * reads it through Directus, read-only (see `tables.ts`). On MySQL/MariaDB, where DDL commits at
 * once, a table left by a failed run is taken as it is.
 */
import { createNoticesTable } from '../../../core/token-tables.js';
import { NOTICES_TABLE } from '../../../core/expiry-notice-store.js';
import type { SchemaStep } from '../schema-step.js';

export const expiryNoticesStep: SchemaStep = {
	name: '0007-expiry-notices',
	async up(db) {
		if (await db.schema.hasTable(NOTICES_TABLE)) return;
		await createNoticesTable(db);
	},
};
