import type { Knex } from 'knex';
import { DATA_TABLES, LEGACY_OWNER_POLICY_ID, SECRET_FIELDS } from './tables.js';

/**
 * Deletes what Directus's own tables say about ours: the "own tokens" policy of earlier versions with
 * its role links, every permission, preset, relation and collection row of our tables, and their
 * field rows (but the concealed secret fields, when `keepConcealed`).
 */
export async function forgetDirectusMetadata(db: Knex, { keepConcealed }: { keepConcealed: boolean }): Promise<void> {
	const ours = [...DATA_TABLES];
	await db('directus_access').where({ policy: LEGACY_OWNER_POLICY_ID }).delete();
	await db('directus_permissions').whereIn('collection', ours).orWhere({ policy: LEGACY_OWNER_POLICY_ID }).delete();
	await db('directus_policies').where({ id: LEGACY_OWNER_POLICY_ID }).delete();
	await db('directus_presets').whereIn('collection', ours).delete();
	await db('directus_relations').whereIn('many_collection', ours).orWhereIn('one_collection', ours).delete();
	await db('directus_collections').whereIn('collection', ours).delete();
	for (const collection of ours) {
		const kept = keepConcealed ? [...(SECRET_FIELDS[collection] ?? [])] : [];
		await db('directus_fields').where({ collection }).whereNotIn('field', kept).delete();
	}
}
