/**
 * The `api_tokens` table through knex, for Directus's side (read-write) and validators (read-only).
 * Query-builder only, so SQLite, PostgreSQL and MySQL/MariaDB behave alike; no `.returning()`
 * (MySQL lacks it): writes re-read by id.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TOKENS_TABLE, type TokenKind } from '../shared/constants.js';
import { rowToRecord, toDate, toStringArray, type TokenRecord } from './token-record.js';
import { databaseKind } from './database-kind.js';
import { EVENTS_TABLE } from './token-audit.js';

/**
 * Ids bound in one statement at most: far below every database's limit of bound parameters (SQLite
 * 32,766; PostgreSQL and MySQL 65,535), so a statement over a list of ids never fails for its length.
 */
export const MAX_IDS_PER_STATEMENT = 5_000;

export interface NewTokenInput {
	name: string;
	description?: string | null;
	kind: TokenKind;
	hidden?: boolean;
	app?: string | null;
	hash: string;
	hint: string;
	scopes: readonly string[];
	origins: readonly string[];
	expires_at: Date | null;
	refreshable?: boolean;
	user: string | null;
	user_created?: string | null;
	subject?: string | null;
	tier?: string | null;
	issuer?: string | null;
	device_client?: string | null;
}

export type TokenPatch = Partial<Pick<TokenRecord, 'name' | 'description' | 'scopes' | 'origins' | 'expires_at' | 'refreshable'>>;

export interface Page {
	/** Whose tokens; `null` for every user's (admin views). */
	user: string | null;
	kind?: TokenKind;
	/** GNU Taler pagination: negative = the |delta| rows older than `start`, newest first; positive = newer, oldest first. */
	delta: number;
	start?: number;
	includeHidden?: boolean;
	includeRevoked?: boolean;
	/** Only anonymous tokens issued for this subject. */
	subject?: string;
}

/** A token row with its owner's state, as every liveness judgement needs it. */
export type LiveRecord = TokenRecord & {
	/** The owner exists and is an `active` Directus user, or the token has no owner. */
	ownerActive: boolean;
};

/** What a validator keeps of a row: the columns its syncs read, and nothing else to parse. */
export type SyncRecord = Pick<LiveRecord, 'id' | 'row_id' | 'kind' | 'hash' | 'scopes' | 'origins' | 'expires_at' | 'revoked_at' | 'previous_hash' | 'grace_until' | 'user' | 'tier' | 'date_created' | 'date_updated' | 'ownerActive'>;
const SYNC_COLUMNS = ['id', 'row_id', 'kind', 'hash', 'scopes', 'origins', 'expires_at', 'revoked_at', 'previous_hash', 'grace_until', 'user', 'tier', 'date_created', 'date_updated'] as const;

export interface HashMatch {
	record: LiveRecord;
	/** `previous` when the hash is the old secret of a token regenerated with a grace period (live or over). */
	matched: 'current' | 'previous';
}

/** Directus's users table, whose `status` decides whether an owner's tokens may work. */
export const USERS_TABLE = 'directus_users';

/**
 * @example
 * ```ts
 * const store = createTokenStore(knex);
 * const match = await store.findByHash(hashToken(bearer));
 * ```
 */
export function createTokenStore(db: Knex, options: { table?: string; now?: () => Date } = {}) {
	const table = options.table ?? TOKENS_TABLE;
	const now = options.now ?? (() => new Date());
	const json = (value: readonly string[]) => JSON.stringify(value);

	/** A user's tokens that are neither revoked nor expired. */
	const activeQuery = (user: string) =>
		db(table)
			.where({ user })
			.whereNull('revoked_at')
			.andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now()));

	/** Rows of our table with their owner's status beside them (`owner_status`; null: no such user). */
	const withOwner = () =>
		db(`${table} as t`)
			.leftJoin(`${USERS_TABLE} as u`, 'u.id', 't.user')
			.select('t.*', 'u.status as owner_status');
	const toLive = (row: Record<string, unknown>): LiveRecord => ({
		...rowToRecord(row),
		ownerActive: row.user == null || row.owner_status === 'active',
	});
	/** The rows a validator's syncs read: only the columns it keeps (a million rows of every column cost twice the parsing). */
	const forSync = () =>
		db(`${table} as t`)
			.leftJoin(`${USERS_TABLE} as u`, 'u.id', 't.user')
			.select(...SYNC_COLUMNS.map((column) => `t.${column}`), 'u.status as owner_status');
	const toSync = (row: Record<string, unknown>): SyncRecord => ({
		id: String(row.id),
		row_id: Number(row.row_id),
		kind: String(row.kind) as TokenKind,
		hash: String(row.hash),
		scopes: toStringArray(row.scopes),
		origins: toStringArray(row.origins),
		expires_at: toDate(row.expires_at),
		revoked_at: toDate(row.revoked_at),
		previous_hash: row.previous_hash == null ? null : String(row.previous_hash),
		grace_until: toDate(row.grace_until),
		user: row.user == null ? null : String(row.user),
		tier: row.tier == null ? null : String(row.tier),
		date_created: toDate(row.date_created)!,
		date_updated: toDate(row.date_updated),
		ownerActive: row.user == null || row.owner_status === 'active',
	});

	/**
	 * Revokes every live token matching `where`, however many: their ids are read first, then revoked
	 * in chunks of ids well under every database's limit of bound parameters (a reset of 100,000
	 * tokens in one list would pass them all). Answers the ids it revoked.
	 */
	async function revokeAllWhere(where: Record<string, string>, at: Date): Promise<string[]> {
		return db.transaction(async (trx) => {
			const ids = (await trx(table).where(where).whereNull('revoked_at').select('id')).map((row) => String(row.id));
			for (let i = 0; i < ids.length; i += MAX_IDS_PER_STATEMENT) {
				await trx(table).whereIn('id', ids.slice(i, i + MAX_IDS_PER_STATEMENT)).update({ revoked_at: at, date_updated: at, grace_until: null });
			}
			return ids;
		});
	}

	async function inactiveUserIds(): Promise<string[]> {
		return (await db(USERS_TABLE).whereNot('status', 'active').select('id')).map((row: { id: unknown }) => String(row.id));
	}

	/** Inserts a token; answers its id. */
	async function add(input: NewTokenInput, trx: Knex = db): Promise<string> {
		const id = randomUUID();
		const at = now();
		await trx(table).insert({
			id,
			name: input.name,
			description: input.description ?? null,
			kind: input.kind,
			hidden: input.hidden ?? false,
			app: input.app ?? null,
			hash: input.hash,
			hint: input.hint,
			scopes: json(input.scopes),
			origins: json(input.origins),
			expires_at: input.expires_at,
			refreshable: input.refreshable ?? false,
			user: input.user,
			user_created: input.user_created ?? input.user,
			subject: input.subject ?? null,
			tier: input.tier ?? null,
			issuer: input.issuer ?? null,
			device_client: input.device_client ?? null,
			date_created: at,
			date_updated: at,
		});
		return id;
	}

	async function findById(id: string, trx: Knex = db): Promise<TokenRecord | null> {
		const row = await trx(table).where({ id }).first();
		return row ? rowToRecord(row) : null;
	}

	return {
		findById: (id: string) => findById(id),

		async insert(input: NewTokenInput, trx: Knex = db): Promise<TokenRecord> {
			const id = await add(input, trx);
			const record = await findById(id, trx);
			if (!record) throw new Error(`token ${id} vanished after insert`);
			return record;
		},

		/** Inserts a token and answers only its id, for callers that know what they wrote (one query fewer than `insert`). */
		add: (input: NewTokenInput) => add(input),

		/**
		 * The token whose current or previous secret has this hash, with its owner's state. Whether it
		 * is live (a previous secret past its grace period is not) is for `judgeToken` to say.
		 */
		async findByHash(hash: string): Promise<HashMatch | null> {
			const rows = await withOwner().where('t.hash', hash).orWhere('t.previous_hash', hash).limit(2);
			const current = rows.find((row) => row.hash === hash);
			if (current) return { record: toLive(current), matched: 'current' };
			return rows[0] ? { record: toLive(rows[0]), matched: 'previous' } : null;
		},

		async list(page: Page): Promise<TokenRecord[]> {
			const query = db(table);
			if (page.user !== null) query.where({ user: page.user });
			if (page.kind) query.andWhere({ kind: page.kind });
			if (page.subject !== undefined) query.andWhere({ kind: 'anonymous', subject: page.subject });
			if (!page.includeHidden) query.andWhere({ hidden: false });
			if (!page.includeRevoked) query.whereNull('revoked_at');
			if (page.delta < 0) {
				if (page.start !== undefined) query.andWhere('row_id', '<', page.start);
				query.orderBy('row_id', 'desc');
			} else {
				if (page.start !== undefined) query.andWhere('row_id', '>', page.start);
				query.orderBy('row_id', 'asc');
			}
			const rows = await query.limit(Math.min(Math.abs(page.delta) || 20, 1000));
			return rows.map(rowToRecord);
		},

		/**
		 * A token's audit trail (`api_token_events`), oldest first, at most `limit` rows (the newest
		 * ones when there are more): what happened, when and by whom. Never a secret.
		 */
		async history(tokenId: string, limit = 200): Promise<Array<{ type: string; at: Date | null; actor: string | null }>> {
			const rows = await db(EVENTS_TABLE).where({ token: tokenId }).select('type', 'at', 'actor').orderBy('id', 'desc').limit(limit);
			return rows.reverse().map((row: Record<string, unknown>) => ({
				type: String(row.type),
				at: toDate(row.at),
				actor: row.actor == null ? null : String(row.actor),
			}));
		},

		/** Active = not revoked and not expired. Hidden (app) tokens count only when asked for by kind. */
		async countActiveForUser(user: string, kind?: TokenKind): Promise<number> {
			const query = activeQuery(user);
			if (kind) query.andWhere({ kind });
			else query.andWhere({ hidden: false });
			const row = await query.count({ n: '*' }).first();
			return Number(row?.n ?? 0);
		},

		/** Ids of a user's active tokens of one app, newest first. */
		async activeAppTokenIds(user: string, app: string): Promise<string[]> {
			const rows = await activeQuery(user).andWhere({ app }).orderBy('row_id', 'desc').select('id');
			return rows.map((row) => String(row.id));
		},

		/** Ids of the live anonymous tokens `issuer` gave `subject`, newest first. */
		async liveSubjectTokenIds(subject: string, issuer: string): Promise<string[]> {
			const rows = await db(table)
				.where({ subject, issuer, kind: 'anonymous' })
				.whereNull('revoked_at')
				.andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now()))
				.orderBy('row_id', 'desc')
				.select('id');
			return rows.map((row) => String(row.id));
		},

		/**
		 * Inside a transaction, makes others that also lock this issuing token wait until it ends (its
		 * own row, `FOR UPDATE`), so a count of what it issued and the insert it allows hold together.
		 */
		async lockIssuer(tokenId: string): Promise<void> {
			if (!db.isTransaction || databaseKind(db) === 'sqlite') return;
			await db(table).where({ id: tokenId }).select('id').forUpdate();
		},

		/**
		 * Inside a transaction, makes others that also lock this owner wait until it ends, so a
		 * count and the insert it allows hold together (caps under concurrency). A row lock on the
		 * owner's user row (`FOR NO KEY UPDATE` on PostgreSQL, which foreign-key checks do not wait
		 * for; `FOR UPDATE` on MySQL/MariaDB); SQLite runs one writer at a time anyway.
		 */
		async lockOwner(user: string): Promise<void> {
			const kind = databaseKind(db);
			if (!db.isTransaction || kind === 'sqlite') return;
			const query = db(USERS_TABLE).where({ id: user }).select('id');
			await (kind === 'pg' ? query.forNoKeyUpdate() : query.forUpdate());
		},

		/** Ends a regenerated token's previous secret now; false when it had none. */
		async endGrace(id: string, at: Date = now()): Promise<boolean> {
			const changed = await db(table).where({ id }).whereNotNull('previous_hash').update({ previous_hash: null, grace_until: null, date_updated: at });
			return changed > 0;
		},

		async revokeMany(ids: readonly string[], at: Date = now()): Promise<number> {
			if (ids.length === 0) return 0;
			return db(table).whereIn('id', ids).whereNull('revoked_at').update({ revoked_at: at, date_updated: at, grace_until: null });
		},

		async revoke(id: string, at: Date = now()): Promise<boolean> {
			const changed = await db(table).where({ id }).whereNull('revoked_at').update({ revoked_at: at, date_updated: at, grace_until: null });
			return changed > 0;
		},

		/** Revokes every live token of a user at once (ban, suspension, deletion, "reset"); answers their ids. */
		revokeAllForUser: (user: string, at: Date = now()) => revokeAllWhere({ user }, at),

		/** Revokes every live anonymous token issued for `subject` (by any issuer); answers their ids. */
		revokeAllForSubject: (subject: string, at: Date = now()) => revokeAllWhere({ kind: 'anonymous', subject }, at),

		/** Revokes every live token of an app (the admin disabled or deleted it); answers their ids. */
		revokeAllForApp: (app: string, at: Date = now()) => revokeAllWhere({ app }, at),

		async update(id: string, patch: TokenPatch): Promise<TokenRecord | null> {
			const values: Record<string, unknown> = { date_updated: now() };
			for (const [key, value] of Object.entries(patch)) {
				if (value === undefined) continue;
				values[key] = key === 'scopes' || key === 'origins' ? json(value as string[]) : value;
			}
			await db(table).where({ id }).update(values);
			return findById(id);
		},

		/** New secret for the same token; the old one keeps working until `graceUntil` (if given). */
		async replaceSecret(id: string, secret: { hash: string; hint: string; previousHash: string | null; graceUntil: Date | null; expiresAt?: Date | null }) {
			await db(table).where({ id }).update({
				hash: secret.hash,
				hint: secret.hint,
				previous_hash: secret.previousHash,
				grace_until: secret.graceUntil,
				...(secret.expiresAt !== undefined ? { expires_at: secret.expiresAt } : {}),
				date_updated: now(),
			});
			return findById(id);
		},

		/**
		 * Sets the last-used time of these tokens to `at`, never moving a time backwards: one
		 * statement, one bound parameter per id (callers chunk far below the databases' limits).
		 */
		async touchLastUsed(ids: readonly string[], at: Date): Promise<number> {
			if (ids.length === 0) return 0;
			return db(table)
				.whereIn('id', [...ids])
				.andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', at))
				.update({ last_used_at: at });
		},

		/**
		 * The next page of rows after `afterRowId` by `row_id`, for a validator's full sync: a plain
		 * range of `row_id`'s unique index, whatever a planner makes of the other columns (with a
		 * filter on `revoked_at` in the query, planners chose that index and sorted the whole table for
		 * each page). Answers the tokens among them that can still authenticate at `at`, and the last
		 * `row_id` read (`null`: that was the last page).
		 */
		async livePage(afterRowId: number, limit: number, at: Date = now()): Promise<{ live: SyncRecord[]; lastRowId: number | null }> {
			const rows = (await forSync().where('t.row_id', '>', afterRowId).orderBy('t.row_id', 'asc').limit(limit)).map(toSync);
			const live = rows.filter((row) => row.revoked_at === null && (row.expires_at === null || row.expires_at > at));
			return { live, lastRowId: rows.length < limit ? null : rows[rows.length - 1]!.row_id };
		},

		/**
		 * A page of the rows changed since `after`, oldest change first: keyset pages over the index
		 * on (`date_updated`, `id`), so a sync reads every change however many share one time (a mass
		 * revocation), and no more. `after.id` is the last row read at `after.at`; `null` starts at
		 * that time, its rows included.
		 */
		async changedPage(after: { at: Date; id: string | null } | null, limit: number): Promise<SyncRecord[]> {
			const ordered = (query: Knex.QueryBuilder) => query.orderBy('t.date_updated', 'asc').orderBy('t.id', 'asc').limit(limit);
			if (!after) return (await ordered(forSync())).map(toSync);
			if (after.id === null) return (await ordered(forSync().where('t.date_updated', '>=', after.at))).map(toSync);
			// Two plain index ranges rather than one `(a > x or (a = x and b > y))`, which not every
			// planner reads as a range: the rest of the rows changed at the cursor's time, then later ones.
			const same = await forSync().where('t.date_updated', after.at).andWhere('t.id', '>', after.id).orderBy('t.id', 'asc').limit(limit);
			const later = same.length < limit ? await ordered(forSync().where('t.date_updated', '>', after.at)).limit(limit - same.length) : [];
			return [...same, ...later].map(toSync);
		},

		/**
		 * Directus users who are not active (suspended, archived, locked out by Directus, changed by
		 * plain SQL). Read from the users table, which is small beside the tokens: no scan of tokens.
		 */
		inactiveUserIds,

		/** Inactive owners of live tokens, with those tokens' ids (an index lookup by owner, in chunks). */
		async tokensOfInactiveOwners(at: Date = now()): Promise<Array<{ user: string; tokenIds: string[] }>> {
			const inactive = await inactiveUserIds();
			const byUser = new Map<string, string[]>();
			for (let i = 0; i < inactive.length; i += 500) {
				const rows: Array<{ id: unknown; user: unknown }> = await db(table)
					.whereIn('user', inactive.slice(i, i + 500))
					.whereNull('revoked_at')
					.andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', at))
					.select('id', 'user');
				for (const row of rows) byUser.set(String(row.user), [...(byUser.get(String(row.user)) ?? []), String(row.id)]);
			}
			return [...byUser].map(([user, tokenIds]) => ({ user, tokenIds }));
		},

		/**
		 * Deletes revoked rows older than `revokedBefore`, rows expired before `expiredBefore`, and app
		 * and anonymous tokens expired before `appExpiredBefore` (hidden from every list: nothing needs
		 * them once expired).
		 */
		async purge({ revokedBefore, expiredBefore, appExpiredBefore = expiredBefore }: { revokedBefore: Date; expiredBefore: Date; appExpiredBefore?: Date }): Promise<number> {
			return db(table)
				.where('revoked_at', '<', revokedBefore)
				.orWhere('expires_at', '<', expiredBefore)
				.orWhere((q) => q.whereIn('kind', ['app', 'anonymous']).andWhere('expires_at', '<', appExpiredBefore))
				.delete();
		},
	};
}

export type TokenStore = ReturnType<typeof createTokenStore>;
