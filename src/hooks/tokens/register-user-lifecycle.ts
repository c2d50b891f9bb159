import type { Runtime } from '../../directus/runtime.js';
import { SYSTEM_ACTOR } from '../../core/token-service.js';
import type { RegisterFilter } from './hook-types.js';



/**
 * A user who is deleted, suspended, archived or otherwise no longer active loses every token at
 * once, with one "reset" event for validators (the resgate token-reset idea).
 */
export function registerUserLifecycle(filter: RegisterFilter, runtime: () => Runtime): void {
	// Before the delete: the tokens' rows cascade away with the user, so revoke (and publish) first.
	filter('users.delete', async (keys: unknown[]) => {
		for (const key of keys) await runtime().service.reset(SYSTEM_ACTOR, String(key));
		return keys;
	});

	// A filter, not an action: Directus does not await actions, and the very next request must
	// already be refused. (Should the update then fail, the tokens stay revoked: the safe side.)
	filter('users.update', async (payload: { status?: unknown }, { keys }: { keys?: unknown[] }) => {
		if (payload?.status === undefined || payload.status === 'active') return payload;
		for (const key of keys ?? []) {
			await runtime().service.reset(SYSTEM_ACTOR, String(key));
			runtime().authenticator.forgetUser(String(key));
		}
		return payload;
	});
}
