import { describe, expect, it } from 'vitest';
import { formatLifetime, lifetimeSeconds, lifetimeUnits, splitLifetime } from './app-lifetime.js';

describe('app lifetimes', () => {
	it('shows seconds in the largest unit that holds them exactly, singular for one', () => {
		expect(formatLifetime(86_400)).toBe('1 day');
		expect(formatLifetime(7 * 86_400)).toBe('7 days');
		expect(formatLifetime(43_200)).toBe('12 hours');
		expect(formatLifetime(3_600)).toBe('1 hour');
		expect(formatLifetime(5_400)).toBe('90 minutes');
		expect(formatLifetime(90)).toBe('90 seconds');
		expect(formatLifetime(90_000)).toBe('25 hours');
	});

	it('round-trips through the form’s amount and unit', () => {
		for (const seconds of [60, 90, 3_600, 5_400, 86_400, 90_000, 30 * 86_400]) expect(lifetimeSeconds(splitLifetime(seconds))).toBe(seconds);
		expect(lifetimeSeconds({ amount: 2, unit: 'hours' })).toBe(7_200);
	});

	it('offers seconds only when the stored lifetime needs them', () => {
		expect(lifetimeUnits('days').map((u) => u.value)).toEqual(['minutes', 'hours', 'days']);
		expect(lifetimeUnits('seconds').map((u) => u.value)).toEqual(['seconds', 'minutes', 'hours', 'days']);
	});
});
