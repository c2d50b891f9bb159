import type { Knex } from 'knex';
import type { TokenEvent, TokenEventSink } from './token-events.js';

export const EVENTS_TABLE = 'api_token_events';

/**
 * Records token events in `api_token_events` (one row per token; one row for a reset that found no
 * live token). Ids and times only, never a secret or a hash.
 *
 * @example
 * ```ts
 * const events = fanOut(createAuditSink(knex), redisSink);
 * ```
 */
export function createAuditSink(db: Knex, logger?: { warn(message: string): void }): TokenEventSink {
	return {
		async publish(event: TokenEvent) {
			if (event.type === 'access') return; // about Directus's permissions, not a token's life
			const at = new Date(event.at);
			const ids: Array<string | null> = event.tokenIds.length ? event.tokenIds : [null];
			try {
				await db(EVENTS_TABLE).insert(ids.map((token) => ({ type: event.type, token, user: event.userId, actor: event.actor ?? null, at })));
			} catch (error) {
				logger?.warn(`api-tokens: could not record ${event.type} event: ${(error as Error).message}`);
			}
		},
	};
}
