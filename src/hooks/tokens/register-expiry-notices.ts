import type { Knex } from 'knex';
import type { TokenConfig } from '../../core/config.js';
import { dueNotices, noticeText } from '../../core/expiry-notices.js';
import { createExpiryNoticeStore } from '../../core/expiry-notice-store.js';
import { schemaReady } from '../../directus/schema-gate.js';
import type { RegisterSchedule } from './hook-types.js';

/** A Directus notification (`directus_notifications`): the bell, and a mail when mail is set up and its recipient allows it. */
export interface Notification {
	recipient: string;
	subject: string;
	message: string;
}

/** Creates notifications in the transaction it is given (Directus's NotificationsService, which also mails them). */
export type Notify = (trx: Knex, notification: Notification) => Promise<void>;

export interface ExpiryNoticeDeps {
	database: Knex;
	config: () => TokenConfig;
	/** Directus's PUBLIC_URL: links in notices point at `<PUBLIC_URL>/admin/tokens/<id>?renew=1` (Regenerate with a renewed expiry, open). */
	publicUrl: string;
	/** Called once per check, before any transaction (it may read Directus's schema on a connection of its own). */
	notifier(): Promise<Notify>;
	logger: { info(m: string): void; error(m: string): void };
	/** Whether the tables exist yet (checks start before the install at start has run). */
	schemaReady?: () => boolean;
}

/**
 * On `API_TOKENS_EXPIRY_NOTICE_CHECK` (hourly by default), tells owners of personal and service tokens
 * that expire within a threshold of `API_TOKENS_EXPIRY_NOTICES` (`7d,1d`), with a link to the token's
 * page. A notice is sent once per token, threshold and expiry, however many Directus instances run
 * this: each claims a notice by inserting its row first (`expiry-notice-store.ts`). A failure is
 * logged and tried again at the next check; it never stops the others.
 */
export function registerExpiryNotices(schedule: RegisterSchedule, deps: ExpiryNoticeDeps): void {
	const { expiryNoticesMs: thresholds, expiryNoticeSchedule: cron } = deps.config();
	if (thresholds.length === 0) return;
	const store = createExpiryNoticeStore(deps.database);
	const base = deps.publicUrl.replace(/\/+$/, '');
	// One check at a time in this process: a slow one is not overlapped by the next tick.
	let running = false;

	schedule(cron, async () => {
		if (running || !(deps.schemaReady ?? schemaReady)()) return;
		running = true;
		try {
			const now = new Date();
			const tokens = await store.candidates(now, Math.max(...thresholds));
			if (tokens.length === 0) return;
			const due = dueNotices(tokens, await store.given(tokens.map((token) => token.id)), now, thresholds);
			if (due.length === 0) return;
			const notify = await deps.notifier();
			let sent = 0;
			for (const notice of due) {
				try {
					const mine = await store.sendOnce(notice, now, async (trx, token) => {
						const text = noticeText({ name: token.name, hint: token.hint, kind: token.kind, expiresAt: notice.expiresAt, now, tokenUrl: `${base}/admin/tokens/${token.id}?renew=1` });
						await notify(trx, { recipient: notice.user, ...text });
					});
					if (mine) sent += 1;
				} catch (error) {
					deps.logger.error(`api-tokens: expiry notice for token ${notice.token} failed: ${(error as Error).message}`);
				}
			}
			if (sent) deps.logger.info(`api-tokens: sent ${sent} expiry notice${sent === 1 ? '' : 's'}`);
		} catch (error) {
			deps.logger.error(`api-tokens: expiry notices check failed: ${(error as Error).message}`);
		} finally {
			running = false;
		}
	});
}
