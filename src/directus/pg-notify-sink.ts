import type { Knex } from 'knex';
import { PG_NOTIFY_CHANNEL, type TokenEventSink } from '../core/token-events.js';

/**
 * Publishes token events with PostgreSQL NOTIFY, for Directus on PostgreSQL without Redis: validators
 * LISTEN on the same database. Failures are logged; validators then rely on their sync.
 */
export function createPgNotifySink(db: Knex, logger: { warn(message: string): void }): TokenEventSink {
	return {
		async publish(event) {
			try {
				await db.raw('select pg_notify(?, ?)', [PG_NOTIFY_CHANNEL, JSON.stringify(event)]);
			} catch (error) {
				logger.warn(`api-tokens: could not NOTIFY ${event.type} event: ${(error as Error).message}`);
			}
		},
	};
}
