/**
 * Events that tell validators (and auditors) what happened to tokens. They carry ids, never a
 * secret or a hash. Published on the `api-tokens:events` channel (Redis pub/sub, or PostgreSQL
 * NOTIFY) by the Directus hooks; validators drop the named tokens from their caches at once.
 *
 * @example
 * ```ts
 * await events.publish({ type: 'revoked', tokenIds: [id], userId, at: new Date().toISOString() });
 * ```
 */
export const TOKEN_EVENTS_CHANNEL = 'api-tokens:events';
/** The same events over PostgreSQL NOTIFY (a channel name must be an identifier there). */
export const PG_NOTIFY_CHANNEL = 'api_tokens_events';

/**
 * `access`: users, roles, policies, access or permissions changed in Directus; no token is named,
 * but what tokens may do in Directus's own API changed (Directus instances forget owners' access).
 */
export type TokenEventType = 'created' | 'updated' | 'regenerated' | 'refreshed' | 'revoked' | 'reset' | 'access';

export interface TokenEvent {
	type: TokenEventType;
	/** Tokens concerned (for `reset`: every token of the user that was live). */
	tokenIds: string[];
	/** Owner; for `reset`, the user whose tokens were all revoked (the resgate "token reset"). */
	userId: string | null;
	/** Who did it (a user id); `null` for the system (user lifecycle, purge). */
	actor?: string | null;
	/** ISO time of the change. */
	at: string;
}

/** Where events go. Publishing must never make the request fail: implementations log and go on. */
export interface TokenEventSink {
	publish(event: TokenEvent): Promise<void>;
}

/** Sends events nowhere (no Redis configured). */
export const NO_EVENTS: TokenEventSink = { publish: async () => {} };

/** Parses an event received from a channel; `null` when it is not one of ours. */
export function parseTokenEvent(message: string): TokenEvent | null {
	try {
		const value = JSON.parse(message) as Partial<TokenEvent>;
		if (typeof value.type !== 'string' || !Array.isArray(value.tokenIds) || typeof value.at !== 'string') return null;
		return { type: value.type as TokenEventType, tokenIds: value.tokenIds.map(String), userId: value.userId ?? null, actor: value.actor ?? null, at: value.at };
	} catch {
		return null;
	}
}

/**
 * An event as parts whose JSON is at most `maxBytes` each (PostgreSQL NOTIFY payloads end at 8,000
 * bytes): the same event, its token ids split among the parts. A mass revocation (an app disabled,
 * a large user reset) is then told in full, a part at a time.
 *
 * @example
 * ```ts
 * for (const part of splitEvent(event, 7_500)) await db.raw('select pg_notify(?, ?)', [channel, JSON.stringify(part)]);
 * ```
 */
export function splitEvent(event: TokenEvent, maxBytes: number): TokenEvent[] {
	const whole = JSON.stringify(event);
	if (whole.length <= maxBytes) return [event];
	const frame = JSON.stringify({ ...event, tokenIds: [] }).length;
	const parts: TokenEvent[] = [];
	let ids: string[] = [];
	let size = frame;
	for (const id of event.tokenIds) {
		const cost = id.length + 3; // quotes and a comma
		if (ids.length > 0 && size + cost > maxBytes) {
			parts.push({ ...event, tokenIds: ids });
			ids = [];
			size = frame;
		}
		ids.push(id);
		size += cost;
	}
	if (ids.length > 0 || parts.length === 0) parts.push({ ...event, tokenIds: ids });
	return parts;
}
