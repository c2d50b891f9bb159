/**
 * `api_token_device_codes`: one row per device authorization request (RFC 8628), found by the hash
 * of its device code (the client polling) or of its user code (the user approving). Every change of
 * state is one conditional UPDATE (`where status = 'pending'`, `where status = 'approved'`), so of
 * two racing requests exactly one wins, on every database and across Directus instances.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DEVICE_CODES_TABLE } from '../shared/constants.js';
import { EVENTS_TABLE } from './token-audit.js';
import { toStringArray } from './token-record.js';

export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

export interface DeviceCodeRecord {
	id: string;
	/** The device client's row id. */
	client: string;
	/** The scopes the client asked for. */
	scopes: string[];
	status: DeviceCodeStatus;
	/** Seconds the client must wait between polls (grows by 5 with each `slow_down`). */
	poll_interval: number;
	expires_ms: number;
	last_poll_ms: number | null;
	/** Set by the approval (or denial): who decided, and the token they chose. */
	user: string | null;
	token_name: string | null;
	token_scopes: string[] | null;
	token_expires_ms: number | null;
}

/** What the approving user chose for the token. */
export interface ApprovedToken {
	name: string;
	scopes: string[];
	expiresMs: number;
}

/** Audit trail entries of the flow (`api_token_events.type`, at most 16 characters). */
export type DeviceEventType = 'device_requested' | 'device_approved' | 'device_denied' | 'device_redeemed' | 'device_bad_code';

const int = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function rowToDeviceCode(row: Record<string, unknown>): DeviceCodeRecord {
	return {
		id: String(row.id),
		client: String(row.client),
		scopes: toStringArray(row.scopes),
		status: String(row.status) as DeviceCodeStatus,
		poll_interval: Number(row.poll_interval),
		expires_ms: Number(row.expires_ms),
		last_poll_ms: int(row.last_poll_ms),
		user: row.user == null ? null : String(row.user),
		token_name: row.token_name == null ? null : String(row.token_name),
		token_scopes: row.token_scopes == null ? null : toStringArray(row.token_scopes),
		token_expires_ms: int(row.token_expires_ms),
	};
}

/**
 * @example
 * ```ts
 * const codes = createDeviceCodeStore(trx);
 * const request = await codes.findByDeviceHash(hashCode(deviceCode));
 * ```
 */
export function createDeviceCodeStore(db: Knex) {
	const table = DEVICE_CODES_TABLE;
	const findBy = async (where: Record<string, string>) => {
		const row = await db(table).where(where).first();
		return row ? rowToDeviceCode(row) : null;
	};
	return {
		async insert(input: { client: string; deviceHash: string; userCodeHash: string; scopes: readonly string[]; pollInterval: number; expiresMs: number }): Promise<string> {
			const id = randomUUID();
			await db(table).insert({
				id,
				client: input.client,
				device_hash: input.deviceHash,
				user_code_hash: input.userCodeHash,
				scopes: JSON.stringify(input.scopes),
				status: 'pending',
				poll_interval: input.pollInterval,
				expires_ms: input.expiresMs,
				date_created: new Date(),
			});
			return id;
		},

		findByDeviceHash: (hash: string) => findBy({ device_hash: hash }),
		findByUserCodeHash: (hash: string) => findBy({ user_code_hash: hash }),

		/**
		 * Records a poll at `nowMs` if the previous one was at or before `notAfterMs`; `false` when it
		 * came too soon (then the client must slow down).
		 */
		async notePoll(id: string, nowMs: number, notAfterMs: number): Promise<boolean> {
			const changed = await db(table)
				.where({ id })
				.andWhere((where) => where.whereNull('last_poll_ms').orWhere('last_poll_ms', '<=', notAfterMs))
				.update({ last_poll_ms: nowMs });
			return changed > 0;
		},

		/** A poll that came too soon: it counts as the last poll, and the client's interval grows by 5 s. */
		async slowDown(id: string, nowMs: number): Promise<void> {
			await db(table).where({ id }).update({ last_poll_ms: nowMs, poll_interval: db.raw('?? + 5', ['poll_interval']) });
		},

		/** Approves a pending, unexpired request for `user`; `false` when it is no longer pending. */
		async approve(id: string, user: string, token: ApprovedToken, nowMs: number): Promise<boolean> {
			const changed = await db(table)
				.where({ id, status: 'pending' })
				.andWhere('expires_ms', '>', nowMs)
				.update({ status: 'approved', user, token_name: token.name, token_scopes: JSON.stringify(token.scopes), token_expires_ms: token.expiresMs });
			return changed > 0;
		},

		/** Denies a pending, unexpired request; `false` when it is no longer pending. */
		async deny(id: string, user: string, nowMs: number): Promise<boolean> {
			const changed = await db(table).where({ id, status: 'pending' }).andWhere('expires_ms', '>', nowMs).update({ status: 'denied', user });
			return changed > 0;
		},

		/** Takes an approved request for its one token; `false` when another poll took it first. */
		async claim(id: string, tokenId: string): Promise<boolean> {
			return (await db(table).where({ id, status: 'approved' }).update({ status: 'redeemed', token: tokenId })) > 0;
		},

		/** Deletes requests that expired before `beforeMs` (answered or not). */
		async purge(beforeMs: number): Promise<number> {
			return db(table).where('expires_ms', '<', beforeMs).delete();
		},

		/** One step of the flow in the audit trail (ids only, never a code). */
		async audit(type: DeviceEventType, device: string | null, user: string | null, actor: string | null = user): Promise<void> {
			await db(EVENTS_TABLE).insert({ type, token: null, user, actor, device, at: new Date() });
		},
	};
}

export type DeviceCodeStore = ReturnType<typeof createDeviceCodeStore>;
