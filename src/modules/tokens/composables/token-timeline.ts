/**
 * A token's history as its page shows it: the audit events (created, changed, regenerated,
 * refreshed, revoked, reset), its last use and its expiry, in time order, each with who did it. Pure.
 */
import type { TokenHistoryEvent, TokenInfo } from '../types.js';

export interface TimelineEntry {
	key: string;
	/** What happened, in words. */
	text: string;
	at: string;
	/** Who did it (a user id), `null` when the system did or nobody is named. */
	actor: string | null;
	icon: string;
	/** Ends the token (revoked, reset, replaced, expired). */
	ending: boolean;
}

const TEXT: Record<string, { text: string; icon: string; ending?: boolean }> = {
	created: { text: 'Created', icon: 'add_circle' },
	updated: { text: 'Changed (name, description, scopes, origins or expiry)', icon: 'edit' },
	regenerated: { text: 'New secret (regenerated)', icon: 'autorenew' },
	revoked: { text: 'Revoked', icon: 'block', ending: true },
	reset: { text: 'Revoked with all tokens of its owner', icon: 'delete_sweep', ending: true },
};

/**
 * @example
 * ```ts
 * tokenTimeline(token, await api.events(token.id), new Date());
 * // [{ text: 'Created', at: '…', actor: '…' }, { text: 'Last used', … }, …]
 * ```
 */
export function tokenTimeline(token: Pick<TokenInfo, 'id' | 'creation_time' | 'last_access' | 'expiration' | 'revoked_at'>, events: readonly TokenHistoryEvent[], now: Date): TimelineEntry[] {
	const entries: TimelineEntry[] = [];
	const hasCreated = events.some((event) => event.type === 'created');
	events.forEach((event, index) => {
		const at = event.at ?? token.creation_time;
		if (event.type === 'refreshed') {
			// The same event names the old and the new token: the first thing the new one saw was its birth.
			const born = !hasCreated && index === 0 && Math.abs(Date.parse(at) - Date.parse(token.creation_time)) < 60_000;
			entries.push(
				born
					? { key: `e${index}`, text: 'Created by refreshing an earlier token', at, actor: event.actor, icon: 'add_circle', ending: false }
					: { key: `e${index}`, text: 'Refreshed: replaced by a new token', at, actor: event.actor, icon: 'update', ending: true },
			);
			return;
		}
		const known = TEXT[event.type] ?? { text: event.type.charAt(0).toUpperCase() + event.type.slice(1), icon: 'info' };
		entries.push({ key: `e${index}`, text: known.text, at, actor: event.actor, icon: known.icon, ending: known.ending ?? false });
	});
	if (!entries.some((entry) => entry.icon === 'add_circle')) {
		entries.unshift({ key: 'created', text: 'Created', at: token.creation_time, actor: null, icon: 'add_circle', ending: false });
	}
	if (token.last_access) entries.push({ key: 'used', text: 'Last used', at: token.last_access, actor: null, icon: 'login', ending: false });
	if (token.expiration && Date.parse(token.expiration) <= now.getTime() && !(token.revoked_at && Date.parse(token.revoked_at) < Date.parse(token.expiration))) {
		entries.push({ key: 'expired', text: 'Expired', at: token.expiration, actor: null, icon: 'timer_off', ending: true });
	}
	return entries.map((entry, order) => ({ entry, order })).sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.order - b.order).map(({ entry }) => entry);
}

/**
 * Why a token ended, in words, from its timeline; `null` while it is live.
 *
 * @example
 * ```ts
 * endedBecause(tokenTimeline(token, events, now)); // 'Refreshed: replaced by a new token'
 * ```
 */
export function endedBecause(timeline: readonly TimelineEntry[]): TimelineEntry | null {
	return [...timeline].reverse().find((entry) => entry.ending) ?? null;
}
