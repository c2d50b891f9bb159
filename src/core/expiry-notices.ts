/**
 * Expiry notices: which owners to tell, at a given time, that a token is about to expire, and what
 * to tell them. Pure functions; `expiry-notice-store.ts` reads and records, the hook sends.
 *
 * Rules:
 * - only personal and service tokens that are visible (not hidden), live (not revoked, not yet
 *   expired) and have an owner get notices: hidden app tokens are renewed by their page, anonymous
 *   tokens have nobody to tell;
 * - a notice is sent once per token, threshold and expiry: a token whose expiry changes (an extension,
 *   a refresh) gets its notices again for the new expiry;
 * - a token due for several thresholds at once (made with 12 hours left) gets only the smallest one's
 *   notice; the larger ones are recorded as done with it, never sent later.
 */
import type { TokenKind } from '../shared/constants.js';

/** Kinds whose owners get notices. */
export const NOTICE_KINDS: readonly TokenKind[] = ['personal', 'service'];

/** What the selection reads of a token. */
export interface NoticeCandidate {
	id: string;
	kind: TokenKind;
	hidden: boolean;
	user: string | null;
	expires_at: Date | null;
	revoked_at: Date | null;
}

/** A notice to send: `threshold` (ms) is the one the owner hears of; `record` are all thresholds it settles. */
export interface DueNotice {
	token: string;
	user: string;
	expiresAt: Date;
	threshold: number;
	record: number[];
}

/** The key of a notice already given: token, threshold (ms) and the expiry it was for (ms since epoch). */
export const noticeKey = (token: string, threshold: number, expiresAtMs: number) => `${token}:${threshold}:${expiresAtMs}`;

/**
 * The notices due at `now`, given the thresholds (ms, any order) and the keys of notices already given.
 *
 * @example
 * ```ts
 * const due = dueNotices([token], new Set(), new Date(), [7 * DAY, DAY]);
 * // token expires in 12 hours → [{ token: token.id, threshold: DAY, record: [DAY, 7 * DAY], … }]
 * ```
 */
export function dueNotices(tokens: readonly NoticeCandidate[], given: ReadonlySet<string>, now: Date, thresholds: readonly number[]): DueNotice[] {
	const ascending = [...new Set(thresholds)].sort((a, b) => a - b);
	const due: DueNotice[] = [];
	for (const token of tokens) {
		if (!NOTICE_KINDS.includes(token.kind) || token.hidden || !token.user || token.revoked_at || !token.expires_at) continue;
		const left = token.expires_at.getTime() - now.getTime();
		if (left <= 0) continue;
		const reached = ascending.filter((threshold) => left <= threshold);
		const smallest = reached[0];
		if (smallest === undefined || given.has(noticeKey(token.id, smallest, token.expires_at.getTime()))) continue;
		due.push({ token: token.id, user: token.user, expiresAt: token.expires_at, threshold: smallest, record: reached });
	}
	return due;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/**
 * Time left as people say it, rounded up (so "expires in" never says more than is left): days when
 * more than 23 hours are left, hours when more than 59 minutes, else minutes. 6.5 days and 6 days
 * 23 hours are "7 days"; 12 hours is "12 hours".
 */
export function timeLeftText(ms: number): string {
	const up = (size: number) => Math.max(1, Math.ceil(ms / size - 1e-9));
	if (ms > 23 * HOUR) return plural(up(DAY), 'day');
	if (ms > 59 * MINUTE) return plural(up(HOUR), 'hour');
	return plural(up(MINUTE), 'minute');
}

/** Markdown's special characters escaped: a token's name is its owner's text. */
const markdownText = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!<>|~"]/g, (c) => `\\${c}`);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The notification of one due notice: a plain subject (the mail's subject too) and a markdown message
 * with a link to the token's page, where one click regenerates it with a new expiry.
 *
 * @example
 * ```ts
 * noticeText({ name: 'CLI', hint: 'dtp_AbCd…', kind: 'personal', expiresAt, now, tokenUrl: 'https://dash.example.com/admin/tokens/…' }).subject;
 * // 'Your token "CLI" expires in 7 days'
 * ```
 */
export function noticeText(input: { name: string; hint: string; kind: TokenKind; expiresAt: Date; now: Date; tokenUrl: string }): { subject: string; message: string } {
	const left = timeLeftText(input.expiresAt.getTime() - input.now.getTime());
	const when = input.expiresAt.toISOString().slice(0, 16).replace('T', ' ');
	const subject = `Your token "${oneLine(input.name)}" expires in ${left}`;
	const message = [
		`Your ${input.kind} token **${markdownText(oneLine(input.name))}** (\`${input.hint.replace(/`/g, '')}\`) expires in ${left}, on ${when} UTC. After that, whatever uses it is refused.`,
		'',
		`[Renew the token](${input.tokenUrl}): one click on **Regenerate** there gives it a new secret and a new expiry (its lifetime at creation, from then). Put the new token where the old one was used.`,
	].join('\n');
	return { subject, message };
}
