import { describe, expect, it } from 'vitest';
import { defaultExpiry, expiryOptions, expiryProblem, expiryRequest } from './expiry.js';
import type { TokenServerConfig } from '../types.js';

const config = {
	maxTtlSeconds: { personal: 180 * 86_400, app: 86_400, service: null },
	defaultTtlSeconds: 90 * 86_400,
} as TokenServerConfig;
const now = new Date(2026, 10, 23, 12, 0, 0);

describe('expiry', () => {
	it('offers the presets within the maximum, the link’s own number of days, a date, and never only where allowed', () => {
		expect(expiryOptions('personal', config, { type: 'days', days: 14 }).map((o) => o.text)).toEqual(['14 days', '30 days', '90 days', '180 days', 'Custom date…']);
		expect(expiryOptions('service', config).map((o) => o.value)).toEqual(['days:30', 'days:90', 'days:180', 'days:365', 'date', 'never']);
		expect(defaultExpiry('personal', config)).toEqual({ type: 'days', days: 90 });
	});

	it('names what is wrong with a choice', () => {
		expect(expiryProblem({ type: 'never' }, 'personal', config, now)).toMatch(/must expire/);
		expect(expiryProblem({ type: 'never' }, 'service', config, now)).toBeNull();
		expect(expiryProblem({ type: 'days', days: 365 }, 'personal', config, now)).toMatch(/at most 180 days/);
		expect(expiryProblem({ type: 'date', date: '' }, 'personal', config, now)).toMatch(/Pick/);
		expect(expiryProblem({ type: 'date', date: '2026-11-22' }, 'personal', config, now)).toMatch(/future/);
		expect(expiryProblem({ type: 'date', date: '2027-06-01' }, 'personal', config, now)).toMatch(/until 2027-05-22/);
		expect(expiryProblem({ type: 'date', date: '2027-01-01' }, 'personal', config, now)).toBeNull();
	});

	it('turns a choice into the request fields', () => {
		expect(expiryRequest({ type: 'days', days: 30 })).toEqual({ duration: 30 * 86_400 });
		expect(expiryRequest({ type: 'never' })).toEqual({ duration: null });
		expect(expiryRequest({ type: 'date', date: '2027-01-01' })).toEqual({ expires_at: new Date(2027, 0, 1, 23, 59, 59, 999).toISOString() });
	});
});
