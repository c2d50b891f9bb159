import { describe, expect, it } from 'vitest';
import { byStatus, tokenEnd } from './token-status.js';

const now = new Date('2026-11-23T12:00:00Z');
const live = { expiration: '2026-12-23T12:00:00Z', revoked: false, revoked_at: null };
const never = { expiration: null, revoked: false, revoked_at: null };
const expired = { expiration: '2026-11-20T12:00:00Z', revoked: false, revoked_at: null };
const revoked = { expiration: '2026-12-23T12:00:00Z', revoked: true, revoked_at: '2026-11-22T08:00:00Z' };

describe('tokenEnd and byStatus', () => {
	it('says why and since when a token stopped working', () => {
		expect(tokenEnd(live, now)).toBeNull();
		expect(tokenEnd(never, now)).toBeNull();
		expect(tokenEnd(expired, now)).toEqual({ reason: 'expired', at: new Date('2026-11-20T12:00:00Z') });
		expect(tokenEnd(revoked, now)).toEqual({ reason: 'revoked', at: new Date('2026-11-22T08:00:00Z') });
		// Revoked wins over expired: it is why it ended first, or why it would have.
		expect(tokenEnd({ ...revoked, expiration: '2026-11-23T00:00:00Z' }, now)).toMatchObject({ reason: 'revoked' });
	});

	it('splits a list into active and inactive tokens', () => {
		const tokens = [live, never, expired, revoked];
		expect(byStatus(tokens, 'active', now)).toEqual([live, never]);
		expect(byStatus(tokens, 'inactive', now)).toEqual([expired, revoked]);
	});
});
