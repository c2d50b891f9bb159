import type { Runtime } from '../../directus/runtime.js';
import { schemaReady } from '../../directus/schema-gate.js';
import { SYSTEM_ACTOR } from '../../core/token-service.js';
import type { RegisterSchedule } from './hook-types.js';

/**
 * Every minute (`API_TOKENS_OWNER_CHECK`), revokes the live tokens of owners who are no longer active users but were changed
 * behind Directus's services, where no hook runs: Directus's own login lockout (a direct update), an
 * SSO deprovisioning, plain SQL. Validators and the `authenticate` hook refuse such tokens already
 * (they read the owner's state); revoking them makes it last: a user made active again gets none
 * back. Several instances may run it at once: revoking is idempotent.
 */
export function registerOwnerReconciler(schedule: RegisterSchedule, runtime: () => Runtime, logger: { error(m: string): void }): void {
	schedule(runtime().config.ownerCheckSchedule, async () => {
		if (!schemaReady()) return;
		try {
			const owners = await runtime().store.tokensOfInactiveOwners();
			for (const { user } of owners) {
				await runtime().inTransaction((tx) => tx.service.reset(SYSTEM_ACTOR, user), () => {});
			}
		} catch (error) {
			logger.error(`api-tokens: revoking the tokens of inactive users failed: ${(error as Error).message}`);
		}
	});
}
