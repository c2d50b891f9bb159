import type { Knex } from 'knex';
import { DATA_TABLES, FIELD_SPECIALS, LEGACY_OWNER_POLICY_ID } from './tables.js';

/**
 * Deletes what Directus's own tables say about ours: the "own tokens" policy of earlier versions with
 * its role links, every permission, preset, relation and collection row of our tables, and their
 * field rows (but those the schema describes, `FIELD_SPECIALS`, when `keepDescribed`).
 */
export async function forgetDirectusMetadata(db: Knex, { keepDescribed }: { keepDescribed: boolean }): Promise<void> {
	const ours = [...DATA_TABLES];
	await db('directus_access').where({ policy: LEGACY_OWNER_POLICY_ID }).delete();
	await db('directus_permissions').whereIn('collection', ours).orWhere({ policy: LEGACY_OWNER_POLICY_ID }).delete();
	await db('directus_policies').where({ id: LEGACY_OWNER_POLICY_ID }).delete();
	await db('directus_presets').whereIn('collection', ours).delete();
	await db('directus_relations').whereIn('many_collection', ours).orWhereIn('one_collection', ours).delete();
	await db('directus_collections').whereIn('collection', ours).delete();
	for (const collection of ours) {
		const kept = keepDescribed ? Object.keys(FIELD_SPECIALS[collection] ?? {}) : [];
		await db('directus_fields').where({ collection }).whereNotIn('field', kept).delete();
	}
}
