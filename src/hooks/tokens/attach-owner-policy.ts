import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { OWNER_POLICY_NAME } from '../../shared/constants.js';

/**
 * Gives a role our "own tokens" policy, so its users can list and revoke their tokens in the app.
 * The migration attaches it to the roles that exist at install time; this covers roles made later.
 * Idempotent: a role that already has the policy is left alone.
 */
export async function attachOwnerPolicy(db: Knex, roleId: string): Promise<boolean> {
	const policy = await db('directus_policies').select('id').where({ name: OWNER_POLICY_NAME }).first();
	if (!policy) return false;
	const existing = await db('directus_access').select('id').where({ role: roleId, policy: policy.id }).first();
	if (existing) return false;
	await db('directus_access').insert({ id: randomUUID(), role: roleId, user: null, policy: policy.id, sort: 1 });
	return true;
}
