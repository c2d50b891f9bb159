import { describe, expect, it } from 'vitest';
import { endedBecause, tokenTimeline } from './token-timeline.js';

const ALICE = '11111111-1111-4111-8111-111111111111';
const now = new Date('2026-11-23T12:00:00Z');
const token = { id: 't', creation_time: '2026-11-01T10:00:00.000Z', last_access: null, expiration: '2026-12-01T10:00:00.000Z', revoked_at: null };

describe('tokenTimeline', () => {
	it('puts the audit events, last use and expiry in time order, with who did what', () => {
		const timeline = tokenTimeline(
			{ ...token, last_access: '2026-11-10T00:00:00.000Z', revoked_at: '2026-11-20T00:00:00.000Z' },
			[
				{ type: 'created', at: '2026-11-01T10:00:00.000Z', actor: ALICE },
				{ type: 'updated', at: '2026-11-05T00:00:00.000Z', actor: ALICE },
				{ type: 'revoked', at: '2026-11-20T00:00:00.000Z', actor: null },
			],
			now,
		);
		expect(timeline.map((entry) => [entry.text, entry.actor])).toEqual([
			['Created', ALICE],
			['Changed (name, description, scopes, origins or expiry)', ALICE],
			['Last used', null],
			['Revoked', null],
		]);
		expect(endedBecause(timeline)?.text).toBe('Revoked');
	});

	it('tells the token a refresh made from the token it replaced', () => {
		const refresh = { type: 'refreshed', at: '2026-11-01T10:00:00.000Z', actor: ALICE };
		expect(tokenTimeline(token, [refresh], now).map((entry) => entry.text)).toEqual(['Created by refreshing an earlier token']);
		const old = tokenTimeline({ ...token, creation_time: '2026-10-01T00:00:00.000Z', revoked_at: refresh.at }, [{ type: 'created', at: '2026-10-01T00:00:00.000Z', actor: ALICE }, refresh], now);
		expect(old.map((entry) => entry.text)).toEqual(['Created', 'Refreshed: replaced by a new token']);
		expect(endedBecause(old)?.text).toBe('Refreshed: replaced by a new token');
	});

	it('adds its expiry once past, and a creation entry when the trail has none (e.g. purged or older than the trail)', () => {
		const timeline = tokenTimeline({ ...token, expiration: '2026-11-20T00:00:00.000Z' }, [], now);
		expect(timeline.map((entry) => entry.text)).toEqual(['Created', 'Expired']);
		expect(endedBecause(timeline)?.at).toBe('2026-11-20T00:00:00.000Z');
		expect(endedBecause(tokenTimeline(token, [], now))).toBeNull();
		expect(tokenTimeline(token, [{ type: 'noticed', at: '2026-11-02T00:00:00.000Z', actor: null }], now).map((entry) => entry.text)).toEqual(['Created', 'Noticed']);
	});
});
