import type { TokenRecord } from './token-record.js';

/**
 * A token as the token API shows it to its owner (the `TokenInfo` of the GNU Taler token API, plus
 * our kind, hint and origins). Never carries the secret or its hash.
 *
 * @example
 * ```ts
 * res.json({ tokens: records.map(toTokenInfo) });
 * ```
 */
export interface TokenInfo {
	id: string;
	name: string;
	description: string | null;
	kind: TokenRecord['kind'];
	hint: string;
	scopes: string[];
	origins: string[];
	creation_time: string;
	/** ISO time, or `null` for a service token that never expires. */
	expiration: string | null;
	refreshable: boolean;
	last_access: string | null;
	revoked: boolean;
	/** ISO time the token was revoked (or replaced by a refresh), `null` while it is not. */
	revoked_at: string | null;
	row_id: number;
	/** The device client (its `client_id`) the owner approved this token for, if any (RFC 8628). */
	device_client: string | null;
	/** Only shown to admins. */
	user?: string | null;
	app?: string | null;
	/** Only shown to admins, for anonymous tokens: whom and by whom it was issued, and its tier. */
	subject?: string | null;
	tier?: string | null;
	issuer?: string | null;
}

/**
 * One entry of a token's history, from the audit trail (`api_token_events`): what happened, when, and
 * who did it (a user id; `null` for the system: user lifecycle, schedules).
 */
export interface TokenHistoryEvent {
	type: string;
	at: string | null;
	actor: string | null;
}

export function toTokenInfo(record: TokenRecord, { withOwner = false } = {}): TokenInfo {
	return {
		id: record.id,
		name: record.name,
		description: record.description,
		kind: record.kind,
		hint: record.hint,
		scopes: record.scopes,
		origins: record.origins,
		creation_time: record.date_created.toISOString(),
		expiration: record.expires_at?.toISOString() ?? null,
		refreshable: record.refreshable,
		last_access: record.last_used_at?.toISOString() ?? null,
		revoked: record.revoked_at !== null,
		revoked_at: record.revoked_at?.toISOString() ?? null,
		row_id: record.row_id,
		device_client: record.device_client,
		...(withOwner ? { user: record.user, app: record.app } : {}),
		...(withOwner && record.kind === 'anonymous' ? { subject: record.subject, tier: record.tier, issuer: record.issuer } : {}),
	};
}
