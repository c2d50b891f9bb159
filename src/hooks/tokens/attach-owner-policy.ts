import type { HookExtensionContext } from '@directus/extensions';
import { OWNER_POLICY_NAME } from '../../shared/constants.js';

/**
 * Gives a role our "own tokens" policy, so its users can list and revoke their tokens in the app.
 * The migration attaches it to the roles that exist at install time; this covers roles made later.
 * Goes through Directus's AccessService, which also clears Directus's permission caches.
 * Idempotent: a role that already has the policy is left alone.
 */
export async function attachOwnerPolicy(context: HookExtensionContext, roleId: string): Promise<boolean> {
	const { database, services, getSchema } = context;
	const policy = await database('directus_policies').select('id').where({ name: OWNER_POLICY_NAME }).first();
	if (!policy) return false;
	const existing = await database('directus_access').select('id').where({ role: roleId, policy: policy.id }).first();
	if (existing) return false;
	const access = new services.AccessService({ schema: await getSchema(), knex: database });
	await access.createOne({ role: roleId, policy: policy.id });
	return true;
}
