import type { Knex } from 'knex';
import { PG_NOTIFY_CHANNEL, splitEvent, type TokenEventSink } from '../core/token-events.js';

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes and more. */
const MAX_PAYLOAD = 7_500;

/**
 * Publishes token events with PostgreSQL NOTIFY, for Directus on PostgreSQL without Redis: validators
 * LISTEN on the same database, in parts under NOTIFY's payload limit. Failures are logged; validators
 * then rely on their sync.
 */
export function createPgNotifySink(db: Knex, logger: { warn(message: string): void }): TokenEventSink {
	return {
		async publish(event) {
			try {
				for (const part of splitEvent(event, MAX_PAYLOAD)) await db.raw('select pg_notify(?, ?)', [PG_NOTIFY_CHANNEL, JSON.stringify(part)]);
			} catch (error) {
				logger.warn(`api-tokens: could not NOTIFY ${event.type} event: ${(error as Error).message}`);
			}
		},
	};
}
