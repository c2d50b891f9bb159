import type { TokenKind } from '../shared/constants.js';

/** A row of `api_tokens`, with database differences (JSON as text, 0/1 booleans, epoch dates) smoothed out. */
export interface TokenRecord {
	id: string;
	row_id: number;
	name: string;
	description: string | null;
	kind: TokenKind;
	hidden: boolean;
	app: string | null;
	hash: string;
	hint: string;
	scopes: string[];
	origins: string[];
	expires_at: Date | null;
	refreshable: boolean;
	last_used_at: Date | null;
	revoked_at: Date | null;
	/** Hash of the previous secret while a regenerate grace period runs. */
	previous_hash: string | null;
	/** The previous secret works until then. */
	grace_until: Date | null;
	user: string | null;
	/** Anonymous tokens: the opaque id their issuer gave (a visitor, a bot installation), if any. */
	subject: string | null;
	/** Anonymous tokens: their rate-limit tier (`open` from the open endpoint, else the issuer's choice). */
	tier: string | null;
	/** Anonymous tokens: the service token that issued it; `null` for the open endpoint. */
	issuer: string | null;
	/** Personal tokens a user approved for a device client (RFC 8628): that client's `client_id`. */
	device_client: string | null;
	date_created: Date;
	date_updated: Date | null;
}

/**
 * SQLite (as Directus writes it) keeps timestamps as epoch milliseconds, sometimes as text;
 * PostgreSQL and MariaDB drivers return `Date`s.
 */
export function toDate(value: unknown): Date | null {
	if (value === null || value === undefined || value === '') return null;
	if (value instanceof Date) return value;
	if (typeof value === 'number') return new Date(value);
	if (typeof value === 'string') {
		const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value.includes('T') || value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`);
		return Number.isNaN(date.getTime()) ? null : date;
	}
	return null;
}

export function toStringArray(value: unknown): string[] {
	const parsed = typeof value === 'string' ? safeJson(value) : value;
	return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

/**
 * Normalises a raw `api_tokens` row from any of the supported databases.
 *
 * @example
 * ```ts
 * const record = rowToRecord(await db('api_tokens').where({ id }).first());
 * ```
 */
export function rowToRecord(row: Record<string, unknown>): TokenRecord {
	return {
		id: String(row.id),
		row_id: Number(row.row_id),
		name: String(row.name),
		description: row.description == null ? null : String(row.description),
		kind: String(row.kind) as TokenKind,
		hidden: Boolean(row.hidden),
		app: row.app == null ? null : String(row.app),
		hash: String(row.hash),
		hint: String(row.hint),
		scopes: toStringArray(row.scopes),
		origins: toStringArray(row.origins),
		expires_at: toDate(row.expires_at),
		refreshable: Boolean(row.refreshable),
		last_used_at: toDate(row.last_used_at),
		revoked_at: toDate(row.revoked_at),
		previous_hash: row.previous_hash == null ? null : String(row.previous_hash),
		grace_until: toDate(row.grace_until),
		user: row.user == null ? null : String(row.user),
		subject: row.subject == null ? null : String(row.subject),
		tier: row.tier == null ? null : String(row.tier),
		issuer: row.issuer == null ? null : String(row.issuer),
		device_client: row.device_client == null ? null : String(row.device_client),
		date_created: toDate(row.date_created) ?? new Date(0),
		date_updated: toDate(row.date_updated),
	};
}
