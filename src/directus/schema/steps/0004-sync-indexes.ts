/**
 * Step 4: the index a validator's incremental sync reads changed rows by, (`date_updated`, `id`),
 * so that every page of changes is an index range, however large the table.
 */
import { createSyncIndexes } from '../../../core/token-tables.js';
import type { SchemaStep } from '../schema-step.js';

export const syncIndexesStep: SchemaStep = {
	name: '0004-sync-indexes',
	up: (db) => createSyncIndexes(db),
};
