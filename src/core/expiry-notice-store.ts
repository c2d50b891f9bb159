/**
 * The expiry notices given, in `api_token_notices` (token, threshold in seconds, the expiry it was
 * for): one row per notice, its primary key the rule "once per token, threshold and expiry". Several
 * Directus instances run the same schedule; the one whose insert of the row succeeds sends the notice,
 * in the same transaction, and every other one meets a unique violation and sends nothing. Rows go
 * with their token (a foreign key that cascades when tokens are purged).
 */
import type { Knex } from 'knex';
import { TOKENS_TABLE, type TokenKind } from '../shared/constants.js';
import { NOTICE_KINDS, noticeKey, type DueNotice, type NoticeCandidate } from './expiry-notices.js';
import { USERS_TABLE } from './token-store.js';
import { toDate } from './token-record.js';
import { isUniqueViolation } from './unique-violation.js';

export const NOTICES_TABLE = 'api_token_notices';

/** A candidate with what a notice says of it. */
export interface NoticeToken extends NoticeCandidate {
	name: string;
	hint: string;
}

const IDS_PER_QUERY = 500;

const toNoticeToken = (row: Record<string, unknown>): NoticeToken => ({
	id: String(row.id),
	name: String(row.name),
	hint: String(row.hint),
	kind: String(row.kind) as TokenKind,
	hidden: Boolean(row.hidden),
	user: row.user == null ? null : String(row.user),
	expires_at: toDate(row.expires_at),
	revoked_at: toDate(row.revoked_at),
});

/**
 * @example
 * ```ts
 * const notices = createExpiryNoticeStore(knex);
 * const tokens = await notices.candidates(now, 7 * 86_400_000);
 * const due = dueNotices(tokens, await notices.given(tokens.map((t) => t.id)), now, thresholds);
 * for (const notice of due) await notices.sendOnce(notice, now, async (trx, token) => { ... });
 * ```
 */
export function createExpiryNoticeStore(db: Knex) {
	return {
		/** Live, visible personal and service tokens of active owners that expire within `withinMs` of `now`. */
		async candidates(now: Date, withinMs: number): Promise<NoticeToken[]> {
			const rows: Array<Record<string, unknown>> = await db(`${TOKENS_TABLE} as t`)
				.join(`${USERS_TABLE} as u`, 'u.id', 't.user')
				.where('u.status', 'active')
				.whereIn('t.kind', NOTICE_KINDS)
				.where('t.hidden', false)
				.whereNull('t.revoked_at')
				.where('t.expires_at', '>', now)
				.where('t.expires_at', '<=', new Date(now.getTime() + withinMs))
				.select('t.id', 't.name', 't.hint', 't.kind', 't.hidden', 't.user', 't.expires_at', 't.revoked_at');
			return rows.map(toNoticeToken);
		},

		/** Keys (`noticeKey`) of the notices given for these tokens. */
		async given(tokenIds: readonly string[]): Promise<Set<string>> {
			const keys = new Set<string>();
			for (let i = 0; i < tokenIds.length; i += IDS_PER_QUERY) {
				const rows: Array<{ token: unknown; threshold: unknown; expiry_ms: unknown }> = await db(NOTICES_TABLE)
					.whereIn('token', tokenIds.slice(i, i + IDS_PER_QUERY))
					.select('token', 'threshold', 'expiry_ms');
				for (const row of rows) keys.add(noticeKey(String(row.token), Number(row.threshold) * 1000, Number(row.expiry_ms)));
			}
			return keys;
		},

		/**
		 * Sends `notice` once, whatever other processes do: in one transaction, inserts its row first
		 * (a unique violation: another process has it; nothing is sent), checks the token is still live
		 * with the same expiry, records the larger thresholds it settles, and calls `send` with the
		 * transaction (the notification commits with the row; a failure rolls both back, to be tried
		 * at the next check). Answers whether this call sent it.
		 */
		async sendOnce(notice: DueNotice, now: Date, send: (trx: Knex.Transaction, token: NoticeToken) => Promise<void>): Promise<boolean> {
			const row = (threshold: number, sent: boolean) => ({
				token: notice.token,
				threshold: Math.round(threshold / 1000),
				expiry_ms: notice.expiresAt.getTime(),
				user: notice.user,
				sent_at: sent ? now : null,
			});
			try {
				return await db.transaction(async (trx) => {
					await trx(NOTICES_TABLE).insert(row(notice.threshold, true));
					const current = await trx(TOKENS_TABLE).where({ id: notice.token }).first('id', 'name', 'hint', 'kind', 'hidden', 'user', 'expires_at', 'revoked_at');
					const token = current ? toNoticeToken(current) : null;
					if (!token || token.revoked_at || token.user !== notice.user || token.expires_at?.getTime() !== notice.expiresAt.getTime()) throw new Stale();
					const settled = notice.record.filter((threshold) => threshold !== notice.threshold);
					if (settled.length) await trx(NOTICES_TABLE).insert(settled.map((threshold) => row(threshold, false))).onConflict(['token', 'threshold', 'expiry_ms']).ignore();
					await send(trx, token);
					return true;
				});
			} catch (error) {
				if (error instanceof Stale || isUniqueViolation(error)) return false;
				throw error;
			}
		},
	};
}

/** The token changed between the read and the claim (revoked, new expiry): nothing to send, the transaction rolls back. */
class Stale extends Error {}

export type ExpiryNoticeStore = ReturnType<typeof createExpiryNoticeStore>;
