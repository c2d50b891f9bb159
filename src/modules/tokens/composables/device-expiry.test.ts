import { describe, expect, it } from 'vitest';
import { approvalExpiry, expiryDateRange } from './device-expiry.js';

// Local times, so the test holds in every time zone.
const now = new Date(2026, 11, 4, 10, 0, 0);
const token = {
	name: 'Globalping CLI on 2026-12-04',
	default_expires_at: new Date(2027, 2, 4, 10, 0, 0).toISOString(),
	max_expires_at: new Date(2027, 11, 4, 10, 0, 0).toISOString(),
};

describe('device approval expiry', () => {
	it('offers today to the day of the server’s maximum, starting on the proposed day', () => {
		expect(expiryDateRange(token, now)).toEqual({ min: '2026-12-04', max: '2027-12-04', initial: '2027-03-04' });
	});

	it('keeps the server’s default on the proposed day (nothing sent) and ends at the maximum on the last day', () => {
		expect(approvalExpiry('2027-03-04', token, now)).toEqual({ ok: true, at: new Date(token.default_expires_at) });
		expect(approvalExpiry('2027-12-04', token, now)).toEqual({ ok: true, at: new Date(token.max_expires_at), expiresAt: token.max_expires_at });
	});

	it('ends any other day at its last local millisecond', () => {
		const end = new Date(2027, 0, 31, 23, 59, 59, 999);
		expect(approvalExpiry('2027-01-31', token, now)).toEqual({ ok: true, at: end, expiresAt: end.toISOString() });
		expect(approvalExpiry('2026-12-04', token, now)).toMatchObject({ ok: true, expiresAt: new Date(2026, 11, 4, 23, 59, 59, 999).toISOString() });
	});

	it('refuses days outside the bounds, and no date', () => {
		expect(approvalExpiry('2026-12-03', token, now)).toEqual({ ok: false, problem: 'The date must be today or later.' });
		expect(approvalExpiry('2027-12-05', token, now)).toMatchObject({ ok: false, problem: expect.stringMatching(/may last until .* at the latest/) });
		expect(approvalExpiry('', token, now)).toEqual({ ok: false, problem: 'Pick the date the token expires.' });
		expect(approvalExpiry('2027-02-30', token, now)).toEqual({ ok: false, problem: 'Pick the date the token expires.' });
	});

	it('fits a lifetime shorter than a day: today is the proposed and the last day', () => {
		const short = { ...token, default_expires_at: new Date(2026, 11, 4, 11, 0).toISOString(), max_expires_at: new Date(2026, 11, 4, 18, 0).toISOString() };
		expect(expiryDateRange(short, now)).toEqual({ min: '2026-12-04', max: '2026-12-04', initial: '2026-12-04' });
		expect(approvalExpiry('2026-12-04', short, now)).toEqual({ ok: true, at: new Date(short.default_expires_at) });
		expect(approvalExpiry('2026-12-05', short, now).ok).toBe(false);
	});
});
