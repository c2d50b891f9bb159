import { describe, expect, it } from 'vitest';
import { parsePrefill } from './parse-prefill.js';
import { fakeConfig } from './fake-config.js';

const config = fakeConfig(['read', 'write']);
const now = new Date(2026, 10, 23, 12, 0, 0);

describe('parsePrefill', () => {
	it('fills every field from a good link and warns about nothing', () => {
		const prefill = parsePrefill(
			{ name: ' Globalping CLI ', description: 'laptop', scopes: 'read, directus', expires_in: '30', origins: 'https://WWW.example.com/,https://*.example.org', callback: 'http://127.0.0.1:8123/cb', state: 'abc' },
			config,
			now,
		);
		expect(prefill).toMatchObject({
			name: 'Globalping CLI',
			description: 'laptop',
			scopes: ['read', 'directus'],
			expiry: { type: 'days', days: 30 },
			origins: ['https://www.example.com', 'https://*.example.org'],
			callback: { ok: true, url: 'http://127.0.0.1:8123/cb', deliverUrl: 'http://127.0.0.1:8123/cb', display: '127.0.0.1:8123' },
			state: 'abc',
			warnings: {},
		});
	});

	it('keeps what it can from a bad link and warns next to each field', () => {
		const prefill = parsePrefill(
			{ name: 'x'.repeat(150), scopes: 'read,admin,root', expires_in: 'soon', origins: 'ftp://files.example.com,https://ok.example.com', foo: '1', bar: null },
			config,
			now,
		);
		expect(prefill.name).toHaveLength(100);
		expect(prefill.scopes).toEqual(['read']);
		expect(prefill.expiry).toBeUndefined();
		expect(prefill.origins).toEqual(['https://ok.example.com']);
		expect(prefill.warnings.name?.[0]).toMatch(/cut/);
		expect(prefill.warnings.scopes?.[0]).toMatch(/"admin", "root"/);
		expect(prefill.warnings.expiry?.[0]).toMatch(/not a number of days/);
		expect(prefill.warnings.origins?.[0]).toMatch(/ftp:\/\/files\.example\.com.*http or https/);
		expect(prefill.warnings.link?.[0]).toMatch(/"foo", "bar"/);
	});

	it('caps a lifetime beyond the maximum and refuses dates in the past', () => {
		expect(parsePrefill({ expires_in: '1000' }, config, now)).toMatchObject({ expiry: { type: 'days', days: 365 }, warnings: { expiry: [expect.stringMatching(/at most 1 year/)] } });
		expect(parsePrefill({ expire: '2026-12-24' }, config, now).expiry).toEqual({ type: 'date', date: '2026-12-24' });
		expect(parsePrefill({ expire: '2026-12-24T10:00:00' }, config, now).expiry).toEqual({ type: 'date', date: '2026-12-24' });
		expect(parsePrefill({ expire: '2020-01-01' }, config, now).warnings.expiry?.[0]).toMatch(/past/);
		expect(parsePrefill({ expire: '2026-02-30' }, config, now).warnings.expiry?.[0]).toMatch(/not a date/);
		expect(parsePrefill({ expire: '2099-01-01' }, config, now)).toMatchObject({ expiry: { type: 'date', date: '2027-11-23' } });
		expect(parsePrefill({ expires_in: '7', expire: '2026-12-24' }, config, now)).toMatchObject({ expiry: { type: 'days', days: 7 }, warnings: { expiry: [expect.stringMatching(/both/)] } });
	});

	it('refuses callbacks that are not on this computer, and a repeated parameter uses the first', () => {
		const refused = parsePrefill({ callback: 'https://evil.example/cb', state: 's' }, config, now);
		expect(refused.callback).toBeNull();
		expect(refused.state).toBeNull();
		expect(refused.warnings.callback?.[0]).toMatch(/evil\.example.*will not be sent/);
		const twice = parsePrefill({ name: ['first', 'second'] }, config, now);
		expect(twice.name).toBe('first');
		expect(twice.warnings.name?.[0]).toMatch(/2 times/);
		expect(parsePrefill({ callback: 'http://127.0.0.1:1/', state: 's'.repeat(501) }, config, now).callback).toBeNull();
	});
});
