import type { Runtime } from '../../directus/runtime.js';
import { schemaReady } from '../../directus/schema-gate.js';
import type { RegisterSchedule } from './hook-types.js';

/**
 * Every 10 minutes, deletes tokens revoked or expired longer ago than API_TOKENS_REVOKED_RETENTION,
 * expired app tokens at once, and device authorization requests a day after they expired (hidden, never refreshed: validators check expiry themselves).
 * Revoked rows are kept that long so validators' incremental sync sees the revocation first.
 */
export function registerPurge(schedule: RegisterSchedule, runtime: () => Runtime, logger: { info(m: string): void; error(m: string): void }): void {
	schedule('*/10 * * * *', async () => {
		if (!schemaReady()) return;
		const { store, config } = runtime();
		const before = new Date(Date.now() - config.revokedRetentionMs);
		try {
			const removed = await store.purge({ revokedBefore: before, expiredBefore: before, appExpiredBefore: new Date() });
			if (removed) logger.info(`api-tokens: purged ${removed} revoked or expired tokens`);
			// Device authorizations are kept a day past their expiry (their audit rows stay).
			await runtime().device.purgeRequests(new Date(Date.now() - 86_400_000));
		} catch (error) {
			logger.error(`api-tokens: purge failed: ${(error as Error).message}`);
		}
	});
}
