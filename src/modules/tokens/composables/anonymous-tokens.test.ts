// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fakeHttp } from './fake-http.js';
import { hasAnonymous, issuerLabel, OPEN_ENDPOINT_LABEL } from './anonymous-tokens.js';
import { searchTokens, sortTokens } from './token-rows.js';
import { kindLabel } from './expiry.js';
import { useTokenApi } from './use-token-api.js';
import { useDirectory } from './use-directory.js';
import type { TokenInfo } from '../types.js';

const SERVICE_ID = '5e7c1a9b-0000-4000-8000-000000000001';
const GONE_ID = '0d15ea5e-0000-4000-8000-000000000002';

const token = (row_id: number, extra: Partial<TokenInfo> = {}): TokenInfo => ({
	id: `id-${row_id}`,
	name: `Token ${row_id}`,
	description: null,
	kind: 'anonymous',
	hint: `dtn_${row_id}…`,
	scopes: ['read'],
	origins: [],
	creation_time: new Date(2026, 0, row_id).toISOString(),
	expiration: null,
	refreshable: false,
	last_access: null,
	revoked: false,
	revoked_at: null,
	row_id,
	user: null,
	...extra,
});
const services = [{ id: SERVICE_ID, name: 'Slack bot' }];
const tokens = [
	token(1, { subject: 'slack-T1', tier: 'trusted', issuer: SERVICE_ID }),
	token(2, { subject: 'slack-T2', tier: 'trusted', issuer: GONE_ID }),
	token(3, { subject: null, tier: 'open', issuer: null }),
	token(4, { kind: 'personal', user: 'u1' }),
];
const issuer = (t: TokenInfo) => issuerLabel(t, services);

describe('anonymous tokens in the admin view', () => {
	it('names the issuer: the service token’s name, else the start of its id, else the open endpoint', () => {
		expect(tokens.map(issuer)).toEqual(['Slack bot', '0d15ea5e…', OPEN_ENDPOINT_LABEL, '']);
		expect(issuerLabel({ kind: 'anonymous', issuer: 'short' }, [])).toBe('short');
		expect(issuerLabel({ kind: 'anonymous', issuer: undefined }, services)).toBe('open endpoint');
	});

	it('says when a list holds anonymous tokens, and labels their kind', () => {
		expect(hasAnonymous(tokens)).toBe(true);
		expect(hasAnonymous([tokens[3]!])).toBe(false);
		expect(hasAnonymous([])).toBe(false);
		expect(kindLabel('anonymous')).toBe('Anonymous');
		expect(kindLabel('app')).toBe('App');
	});

	it('searches subject, tier and the issuer’s name', () => {
		const names = (query: string) => searchTokens(tokens, query, { issuer }).map((t) => t.row_id);
		expect(names('SLACK-t1')).toEqual([1]);
		expect(names('trusted')).toEqual([1, 2]);
		expect(names('slack bot')).toEqual([1]);
		expect(names('open endpoint')).toEqual([3]);
	});

	it('sorts by subject, tier and issuer', () => {
		expect(sortTokens(tokens, { by: 'subject', desc: false }, { issuer }).map((t) => t.row_id)).toEqual([4, 3, 1, 2]);
		expect(sortTokens(tokens, { by: 'tier', desc: true }, { issuer }).map((t) => t.row_id)).toEqual([2, 1, 3, 4]);
		expect(sortTokens(tokens, { by: 'issuer', desc: false }, { issuer }).map((t) => t.row_id)).toEqual([4, 2, 3, 1]);
	});
});

describe('the token API for anonymous subjects', () => {
	it('filters a list by subject and revokes every token of a subject', async () => {
		const { http, calls } = fakeHttp({ 'GET /api-tokens': { tokens: [tokens[0]] }, 'POST /api-tokens/reset': { revoked: 2 } });
		const api = useTokenApi(http);
		expect(await api.list({ user: 'all', kind: 'anonymous', includeHidden: true, subject: 'slack-T1' })).toEqual([tokens[0]]);
		expect(await api.resetSubject('slack-T1')).toBe(2);
		expect(calls).toEqual([
			['GET', '/api-tokens', { delta: -500, user: 'all', kind: 'anonymous', include_hidden: 'true', subject: 'slack-T1' }],
			['POST', '/api-tokens/reset', { subject: 'slack-T1' }],
		]);
	});

	it('sends no subject when none is filtered', async () => {
		const { http, calls } = fakeHttp({ 'GET /api-tokens': { tokens: [] } });
		await useTokenApi(http).list({ user: 'all', subject: '' });
		expect(calls[0]![2]).not.toHaveProperty('subject');
	});

	it('the directory names issuers from every user’s service tokens', async () => {
		const { http, calls } = fakeHttp({ 'GET /users': { data: [] }, 'GET /api-tokens/apps': { apps: [] }, 'GET /api-tokens': { tokens: [token(9, { id: SERVICE_ID, kind: 'service', name: 'Slack bot' })] } });
		const directory = useDirectory(http);
		await directory.load();
		expect(calls.find(([, url]) => url === '/api-tokens')![2]).toMatchObject({ user: 'all', kind: 'service', include_hidden: 'true' });
		expect(directory.issuerLabel(tokens[0]!)).toBe('Slack bot');
		expect(directory.issuerLabel(tokens[2]!)).toBe('open endpoint');
		expect(directory.ownerLabel(tokens[0]!)).toBe('—');
	});
});
