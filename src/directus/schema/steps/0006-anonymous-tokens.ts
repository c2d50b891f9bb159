/**
 * Step 6: anonymous tokens' `subject`, `tier` and `issuer` columns, and the index the per-subject
 * cap and revocations by subject read.
 */
import { addAnonymousColumns } from '../../../core/token-tables.js';
import type { SchemaStep } from '../schema-step.js';

export const anonymousTokensStep: SchemaStep = {
	name: '0006-anonymous-tokens',
	up: (db) => addAnonymousColumns(db),
};
