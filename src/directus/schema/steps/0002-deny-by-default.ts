/**
 * Step 2: earlier versions made our tables Directus collections and gave every role a policy to read
 * and revoke its own tokens, which a stack of hooks then had to narrow route by route. Now nobody but
 * admins holds any permission on our tables, and they are no collections (see step 1): this removes
 * that policy, every permission on our tables, and their collection, field (but those step 1
 * writes), relation and preset metadata. On a fresh install there is nothing to remove.
 */
import { forgetDirectusMetadata } from '../directus-metadata.js';
import type { SchemaStep } from '../schema-step.js';

export const denyByDefaultStep: SchemaStep = {
	name: '0002-deny-by-default',
	up: (db) => forgetDirectusMetadata(db, { keepDescribed: true }),
};
