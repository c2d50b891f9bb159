import { describe, expect, it } from 'vitest';
import { searchTokens, sortTokens } from './token-rows.js';
import { statusChip, tokenStatus } from './token-status.js';
import { relativeTime } from './format-time.js';
import { graceOptions } from './grace-options.js';
import type { TokenInfo } from '../types.js';

const token = (row_id: number, name: string, expiration: string | null, extra: Partial<TokenInfo> = {}): TokenInfo => ({
	id: `id-${row_id}`,
	name,
	description: null,
	kind: 'personal',
	hint: `dtp_${row_id}…`,
	scopes: ['read'],
	origins: [],
	creation_time: new Date(2026, 0, row_id).toISOString(),
	expiration,
	refreshable: false,
	last_access: null,
	revoked: false,
	revoked_at: null,
	row_id,
	...extra,
});
const tokens = [
	token(1, 'Deploy bot', '2026-12-01T00:00:00Z', { scopes: ['write'] }),
	token(2, 'cli laptop', null, { last_access: '2026-11-01T00:00:00Z' }),
	token(3, 'Backup', '2026-11-25T00:00:00Z', { origins: ['https://www.example.com'] }),
];

describe('token rows', () => {
	it('searches every word in name, hint, scopes and origins, case-insensitively', () => {
		expect(searchTokens(tokens, 'DEPLOY write').map((t) => t.name)).toEqual(['Deploy bot']);
		expect(searchTokens(tokens, 'example.com').map((t) => t.name)).toEqual(['Backup']);
		expect(searchTokens(tokens, 'owner-a', { owner: (t) => (t.row_id === 2 ? 'owner-a@example.com' : '') }).map((t) => t.name)).toEqual(['cli laptop']);
		expect(searchTokens(tokens, '  ')).toHaveLength(3);
		expect(searchTokens(tokens, null)).toHaveLength(3); // an emptied v-input
	});

	it('sorts by any column; never-expiring last, never-used first', () => {
		expect(sortTokens(tokens, { by: 'expiration', desc: false }).map((t) => t.row_id)).toEqual([3, 1, 2]);
		expect(sortTokens(tokens, { by: 'name', desc: false }).map((t) => t.name)).toEqual(['Backup', 'cli laptop', 'Deploy bot']);
		expect(sortTokens(tokens, { by: 'last_access', desc: true }).map((t) => t.row_id)[0]).toBe(2);
		expect(sortTokens(tokens, { by: 'creation_time', desc: true }).map((t) => t.row_id)).toEqual([3, 2, 1]);
		expect(sortTokens(tokens, { by: null, desc: false })).toEqual(tokens);
	});

	it('says when a token expires soon or has expired, in words that agree with the relative time', () => {
		const now = new Date('2026-11-23T00:02:00Z');
		const soon = tokenStatus({ expiration: '2026-11-26T00:00:00Z' }, now);
		expect(soon).toMatchObject({ state: 'expiring', daysLeft: 3 });
		expect(statusChip(soon)).toEqual({ text: 'Expires in 3 days', kind: 'warning' });
		expect(relativeTime('2026-11-26T00:00:00Z', now)).toBe('in 3 days');
		expect(statusChip(tokenStatus({ expiration: '2026-11-23T05:00:00Z' }, now))?.text).toBe('Expires within a day');
		expect(statusChip(tokenStatus({ expiration: '2026-11-01T00:00:00Z' }, now))).toEqual({ text: 'Expired', kind: 'danger' });
		expect(statusChip(tokenStatus({ expiration: '2027-11-01T00:00:00Z' }, now))).toBeNull();
		expect(statusChip(tokenStatus({ expiration: null }, now))?.text).toBe('Never expires');
		expect(relativeTime('2026-11-23T00:01:40Z', now)).toBe('just now');
		expect(relativeTime('2026-11-22T21:02:00Z', now)).toBe('3 hours ago');
	});

	it('offers grace periods up to the server maximum', () => {
		expect(graceOptions(3600).map((o) => o.value)).toEqual([0, 900, 3600]);
		expect(graceOptions(7200).map((o) => o.text)).toEqual(['No grace period: stop at once', '15 minutes', '1 hour', '2 hours (the maximum)']);
		expect(graceOptions(0).map((o) => o.value)).toEqual([0]);
	});
});
