import { describe, expect, it } from 'vitest';
import { loadTokenConfig } from './config.js';
import { ConfigError } from './errors.js';
import { parseDuration } from './duration.js';

describe('loadTokenConfig', () => {
	it('has documented defaults', () => {
		const config = loadTokenConfig({});
		expect(config.scopes).toEqual(['read', 'write', 'directus']);
		expect(config.systemScopes).toEqual(['introspect', 'anonymous:issue']);
		expect(config.prefixes).toEqual({ personal: 'dtp', app: 'dta', service: 'dts', anonymous: 'dtn' });
		expect(config.maxTtlMs).toEqual({ personal: 365 * 86_400_000, app: 86_400_000, service: null, anonymous: 30 * 86_400_000 });
		expect(config.anonymous).toEqual({
			open: true,
			issueLimit: { points: 20, windowMs: 3_600_000 },
			trustedTiers: ['trusted'],
			maxPerSubject: 2,
			scopes: ['read'],
			refreshable: true,
		});
		expect(config.defaultTtlMs).toBe(90 * 86_400_000);
		expect(config.maxActivePerUser).toBe(100);
		expect(config.maxGraceMs).toBe(86_400_000);
		expect(config.appIssueLimit).toEqual({ points: 60, windowMs: 3_600_000 });
		expect(config.ownerCheckSchedule).toBe('* * * * *');
		expect(config.expiryNoticesMs).toEqual([7 * 86_400_000, 86_400_000]);
		expect(config.expiryNoticeSchedule).toBe('0 * * * *');
	});

	it.each([
		['7d,1d', [7 * 86_400_000, 86_400_000]],
		[['1d', '7d', '1d'], [7 * 86_400_000, 86_400_000]],
		['12h', [43_200_000]],
		[3600, [3_600_000]],
		['', []],
		[' ', []],
		[false, []],
	])('reads API_TOKENS_EXPIRY_NOTICES %o (as Directus hands it) largest first; empty turns notices off', (value, expected) => {
		expect(loadTokenConfig({ API_TOKENS_EXPIRY_NOTICES: value }).expiryNoticesMs).toEqual(expected);
	});

	it('reads every variable', () => {
		const config = loadTokenConfig({
			API_TOKENS_SCOPES: 'measurements, purge,purge',
			API_TOKENS_SYSTEM_SCOPES: 'introspect,metrics',
			API_TOKENS_DIRECTUS_SCOPE: 'dashboard',
			API_TOKENS_PREFIX_PERSONAL: 'gp',
			API_TOKENS_MAX_TTL_PERSONAL: '30d',
			API_TOKENS_MAX_TTL_SERVICE: '3650d',
			API_TOKENS_MAX_ACTIVE_PER_USER: '5',
			API_TOKENS_APP_ISSUE_LIMIT: '10/30m',
			API_TOKENS_OWNER_CHECK: '*/5 * * * * *',
			API_TOKENS_EXPIRY_NOTICE_CHECK: '* * * * * *',
			API_TOKENS_PREFIX_ANONYMOUS: 'gpn',
			API_TOKENS_MAX_TTL_ANONYMOUS: '7d',
			API_TOKENS_ANONYMOUS: 'false',
			API_TOKENS_ANONYMOUS_ISSUE_LIMIT: '5/10m',
			API_TOKENS_ANONYMOUS_TIERS: 'partner, trusted',
			API_TOKENS_ANONYMOUS_MAX_PER_SUBJECT: '3',
			API_TOKENS_ANONYMOUS_SCOPES: 'measurements',
			API_TOKENS_ANONYMOUS_REFRESHABLE: '0',
		});
		expect(config.prefixes.anonymous).toBe('gpn');
		expect(config.maxTtlMs.anonymous).toBe(7 * 86_400_000);
		expect(config.anonymous).toEqual({
			open: false,
			issueLimit: { points: 5, windowMs: 600_000 },
			trustedTiers: ['partner', 'trusted'],
			maxPerSubject: 3,
			scopes: ['measurements'],
			refreshable: false,
		});
		expect(config.ownerCheckSchedule).toBe('*/5 * * * * *');
		expect(config.expiryNoticeSchedule).toBe('* * * * * *');
		expect(config.appIssueLimit).toEqual({ points: 10, windowMs: 1_800_000 });
		expect(config.scopes).toEqual(['measurements', 'purge', 'dashboard']);
		expect(config.systemScopes).toEqual(['introspect', 'metrics']);
		expect(config.prefixes.personal).toBe('gp');
		expect(config.maxTtlMs.personal).toBe(30 * 86_400_000);
		expect(config.maxTtlMs.service).toBe(3650 * 86_400_000);
		expect(config.maxActivePerUser).toBe(5);
	});

	it.each([
		[{ API_TOKENS_SCOPES: 'read,Bad Scope' }, /^API_TOKENS_SCOPES: /],
		[{ API_TOKENS_SYSTEM_SCOPES: 'read' }, /^API_TOKENS_SYSTEM_SCOPES: /],
		[{ API_TOKENS_PREFIX_APP: 'dtp' }, /^API_TOKENS_PREFIX_\*: .*share/],
		[{ API_TOKENS_MAX_TTL_PERSONAL: 'never' }, /^API_TOKENS_MAX_TTL_PERSONAL: /],
		[{ API_TOKENS_MAX_TTL_APP: '1 day' }, /^API_TOKENS_MAX_TTL_APP: /],
		[{ API_TOKENS_MAX_ACTIVE_PER_USER: '0' }, /^API_TOKENS_MAX_ACTIVE_PER_USER: /],
		[{ API_TOKENS_DEFAULT_TTL: '-5' }, /^API_TOKENS_DEFAULT_TTL: /],
		[{ API_TOKENS_APP_ISSUE_LIMIT: '60' }, /^API_TOKENS_APP_ISSUE_LIMIT: /],
		[{ API_TOKENS_APP_ISSUE_LIMIT: '0/1h' }, /^API_TOKENS_APP_ISSUE_LIMIT: /],
		[{ API_TOKENS_APP_ISSUE_LIMIT: '5/soon' }, /^API_TOKENS_APP_ISSUE_LIMIT: /],
		[{ API_TOKENS_OWNER_CHECK: 'hourly' }, /^API_TOKENS_OWNER_CHECK: /],
		[{ API_TOKENS_OWNER_CHECK: '* * *' }, /^API_TOKENS_OWNER_CHECK: /],
		[{ API_TOKENS_EXPIRY_NOTICES: '7d,soon' }, /^API_TOKENS_EXPIRY_NOTICES: "soon"/],
		[{ API_TOKENS_EXPIRY_NOTICES: '7d,never' }, /^API_TOKENS_EXPIRY_NOTICES: /],
		[{ API_TOKENS_EXPIRY_NOTICES: '7d,,1d' }, /^API_TOKENS_EXPIRY_NOTICES: /],
		[{ API_TOKENS_EXPIRY_NOTICES: '99999d' }, /^API_TOKENS_EXPIRY_NOTICES: /],
		[{ API_TOKENS_EXPIRY_NOTICE_CHECK: 'hourly' }, /^API_TOKENS_EXPIRY_NOTICE_CHECK: /],
		[{ API_TOKENS_MAX_TTL_ANONYMOUS: 'never' }, /^API_TOKENS_MAX_TTL_ANONYMOUS: /],
		[{ API_TOKENS_ANONYMOUS: 'maybe' }, /^API_TOKENS_ANONYMOUS: /],
		[{ API_TOKENS_ANONYMOUS_SCOPES: 'read,directus' }, /^API_TOKENS_ANONYMOUS_SCOPES: .*Directus scope/],
		[{ API_TOKENS_ANONYMOUS_TIERS: 'open' }, /^API_TOKENS_ANONYMOUS_TIERS: /],
		[{ API_TOKENS_ANONYMOUS_TIERS: 'Gold Tier' }, /^API_TOKENS_ANONYMOUS_TIERS: /],
		[{ API_TOKENS_ANONYMOUS_TIERS: ' , ' }, /^API_TOKENS_ANONYMOUS_TIERS: /],
		[{ API_TOKENS_ANONYMOUS_MAX_PER_SUBJECT: '0' }, /^API_TOKENS_ANONYMOUS_MAX_PER_SUBJECT: /],
		[{ API_TOKENS_ANONYMOUS_ISSUE_LIMIT: '1/x' }, /^API_TOKENS_ANONYMOUS_ISSUE_LIMIT: /],
		[{ API_TOKENS_DEVICE_POLL_INTERVAL: '1500ms' }, /^API_TOKENS_DEVICE_POLL_INTERVAL: /],
		[{ API_TOKENS_DEVICE_POLL_INTERVAL: '10m' }, /^API_TOKENS_DEVICE_POLL_INTERVAL: /],
		[{ API_TOKENS_DEVICE_CODE_TTL: '2d' }, /^API_TOKENS_DEVICE_CODE_TTL: /],
		[{ API_TOKENS_DEVICE_CODE_ATTEMPTS: 'ten' }, /^API_TOKENS_DEVICE_CODE_ATTEMPTS: /],
		[{ API_TOKENS_DEVICE_FLOW: 'maybe' }, /^API_TOKENS_DEVICE_FLOW: /],
	])('names the variable in a one-line error: %o', (env, message) => {
		expect(() => loadTokenConfig(env)).toThrow(ConfigError);
		expect(() => loadTokenConfig(env)).toThrow(message);
		try {
			loadTokenConfig(env);
		} catch (error) {
			expect((error as Error).message).not.toContain('\n');
		}
	});
});

describe('device authorization config', () => {
	it('defaults: on, codes live 10 minutes, polls every 5 s, 10 wrong codes per 15 minutes', () => {
		expect(loadTokenConfig({}).device).toEqual({ enabled: true, codeTtlMs: 600_000, intervalSeconds: 5, attemptLimit: { points: 10, windowMs: 900_000 } });
	});

	it('reads each variable, as Directus hands them over (parsed) too', () => {
		const config = loadTokenConfig({ API_TOKENS_DEVICE_FLOW: false, API_TOKENS_DEVICE_CODE_TTL: '15m', API_TOKENS_DEVICE_POLL_INTERVAL: 2, API_TOKENS_DEVICE_CODE_ATTEMPTS: '3/1h' });
		expect(config.device).toEqual({ enabled: false, codeTtlMs: 900_000, intervalSeconds: 2, attemptLimit: { points: 3, windowMs: 3_600_000 } });
	});
});

describe('parseDuration', () => {
	it.each([
		['45s', 45_000],
		['30m', 1_800_000],
		['12h', 43_200_000],
		['1d', 86_400_000],
		['3600', 3_600_000],
		['never', null],
		['0', undefined],
		['1w', undefined],
		['', undefined],
	])('%s → %s', (input, expected) => {
		expect(parseDuration(input)).toBe(expected);
	});
});
