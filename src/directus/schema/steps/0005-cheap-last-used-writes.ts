/**
 * Step 5: last-used times written cheaply (PostgreSQL pages left room for updates that write no
 * index; the index on `date_updated` alone dropped, step 4's index serves its queries).
 */
import { makeLastUsedWritesCheap } from '../../../core/token-tables.js';
import type { SchemaStep } from '../schema-step.js';

export const cheapLastUsedWritesStep: SchemaStep = {
	name: '0005-cheap-last-used-writes',
	up: (db) => makeLastUsedWritesCheap(db),
};
