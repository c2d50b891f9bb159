import type { Runtime } from '../../directus/runtime.js';
import { SYSTEM_ACTOR } from '../../core/token-service.js';

type Filter = (event: string, handler: (...args: any[]) => unknown) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
type Action = (event: string, handler: (meta: Record<string, any>) => void | Promise<void>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any


/**
 * A user who is deleted, suspended, archived or otherwise no longer active loses every token at
 * once, with one "reset" event for validators (the resgate token-reset idea).
 */
export function registerUserLifecycle(filter: Filter, action: Action, runtime: () => Runtime): void {
	// Before the delete: the tokens' rows cascade away with the user, so revoke (and publish) first.
	filter('users.delete', async (keys: unknown[]) => {
		for (const key of keys) await runtime().service.reset(SYSTEM_ACTOR, String(key));
		return keys;
	});

	action('users.update', async ({ keys, payload }) => {
		const status = (payload as { status?: unknown } | undefined)?.status;
		if (status === undefined || status === 'active') return;
		for (const key of keys as unknown[]) {
			await runtime().service.reset(SYSTEM_ACTOR, String(key));
			runtime().authenticator.forgetUser(String(key));
		}
	});
}
