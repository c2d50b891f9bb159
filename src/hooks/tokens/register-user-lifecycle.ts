import type { Runtime } from '../../directus/runtime.js';
import { schemaInstalled } from '../../directus/schema-gate.js';
import { SYSTEM_ACTOR } from '../../core/token-service.js';
import type { RegisterFilter } from './hook-types.js';

/**
 * A user who is deleted, suspended, archived or otherwise no longer active loses every token at
 * once (and a user made active again gets none back), with one "reset" event for validators (the resgate token-reset idea). Filters, not actions:
 * Directus does not await actions, and the very next request must already be refused. The revocation
 * joins the transaction the change runs in (a batch `PATCH /users` rolls both back together); should
 * the change itself fail outside one, the tokens stay revoked: the safe side.
 */
export function registerUserLifecycle(filter: RegisterFilter, runtime: () => Runtime): void {
	const resetUsers = async (keys: unknown[], database: Parameters<Runtime['joining']>[0]) => {
		if (keys.length === 0 || !(await schemaInstalled(database))) return;
		await runtime().joining(database, async ({ service }) => {
			for (const key of keys) await service.reset(SYSTEM_ACTOR, String(key));
		});
	};

	// Before the delete: the tokens' rows cascade away with the user, so revoke (and publish) first.
	filter('users.delete', async (keys: unknown[], _meta, { database }) => {
		await resetUsers(Array.isArray(keys) ? keys : [], database);
		return keys;
	});

	// Leaving `active`, or coming back to it: tokens never outlive a suspension, even one set behind
	// Directus's services (its login lockout, plain SQL) that the reconciler had not caught yet.
	filter('users.update', async (payload: { status?: unknown }, { keys }: { keys?: unknown[] }, { database }) => {
		if (payload?.status === undefined) return payload;
		const ids = (keys ?? []).map(String);
		const returning = payload.status === 'active' ? (await database('directus_users').whereIn('id', ids).whereNot('status', 'active').select('id')).map((row) => String(row.id)) : ids;
		await resetUsers(returning, database);
		return payload;
	});
}
