/**
 * Anonymous token issuance with a frozen clock, on a real in-memory SQLite database holding the
 * token tables.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knex, { type Knex } from 'knex';
import { createStandInUsersTable, createTokenSchema } from './token-tables.js';
import { createAnonymousTokenIssuer } from './anonymous-token-issuer.js';
import { loadTokenConfig } from './config.js';
import { createTokenStore } from './token-store.js';
import type { TokenEvent } from './token-events.js';
import { hashToken } from './token-hash.js';
import { parseToken } from './token-format.js';
import { createTokenService } from './token-service.js';

const ISSUER = { tokenId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' };
const OTHER_ISSUER = { tokenId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc' };
const DAY = 86_400_000;

describe('anonymous token issuer', () => {
	let db: Knex;
	let clock: Date;
	let events: TokenEvent[];
	let store: ReturnType<typeof createTokenStore>;
	const config = loadTokenConfig({ API_TOKENS_ANONYMOUS_TIERS: 'trusted,partner', API_TOKENS_MAX_TTL_ANONYMOUS: '30d' });
	const issuerWith = (env: Record<string, string> = {}) =>
		createAnonymousTokenIssuer({ store, config: { ...config, ...loadTokenConfig({ ...env }) }, events: { publish: async (event) => void events.push(event) }, now: () => clock });
	let issuer: ReturnType<typeof createAnonymousTokenIssuer>;

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		await createStandInUsersTable(db);
		await createTokenSchema(db);
		clock = new Date('2030-06-01T00:00:00Z');
		events = [];
		store = createTokenStore(db, { now: () => clock });
		issuer = createAnonymousTokenIssuer({ store, config, events: { publish: async (event) => void events.push(event) }, now: () => clock });
	});
	afterEach(async () => {
		await db.destroy();
	});

	const rowOf = async (token: string) => (await store.findByHash(hashToken(token)))!.record;

	it('open path: an ownerless hidden token of the open tier with the anonymous scopes, for the longest lifetime', async () => {
		const issued = await issuer.issueOpen({});
		expect(issued).toMatchObject({ ok: true, value: { scopes: ['read'], tier: 'open', expires_at: new Date(clock.getTime() + 30 * DAY).toISOString(), refreshable: true } });
		if (!issued.ok) return;
		expect(parseToken(issued.value.token, config.prefixes)).toMatchObject({ ok: true, kind: 'anonymous', prefix: 'dtn' });
		const row = await rowOf(issued.value.token);
		expect(row).toMatchObject({ kind: 'anonymous', user: null, hidden: true, subject: null, tier: 'open', issuer: null, origins: [] });
		expect(events).toEqual([expect.objectContaining({ type: 'created', tokenIds: [row.id], userId: null })]);
		// A shorter life may be asked for, a longer one is capped.
		expect(await issuer.issueOpen({ duration: 3600 })).toMatchObject({ ok: true, value: { expires_at: new Date(clock.getTime() + 3_600_000).toISOString() } });
		expect(await issuer.issueOpen({ duration: 365 * 86_400 })).toMatchObject({ ok: true, value: { expires_at: new Date(clock.getTime() + 30 * DAY).toISOString() } });
	});

	it('open path refuses a subject, a tier, unknown fields, and everything when it is turned off; nothing is stored', async () => {
		expect(await issuer.issueOpen({ subject: 'me' })).toMatchObject({ ok: false, status: 403, field: 'subject' });
		expect(await issuer.issueOpen({ tier: 'trusted' })).toMatchObject({ ok: false, status: 403, field: 'tier' });
		expect(await issuer.issueOpen({ user: 'x' })).toMatchObject({ ok: false, status: 400, code: 'invalid_request' });
		expect(await issuer.issueOpen([])).toMatchObject({ ok: false, status: 400 });
		expect(await issuerWith({ API_TOKENS_ANONYMOUS: 'false' }).issueOpen({})).toMatchObject({ ok: false, status: 403, code: 'feature_disabled' });
		expect(await db('api_tokens').count({ n: '*' }).first()).toMatchObject({ n: 0 });
	});

	it('trusted path: the subject and tier the issuer names; the default tier is the first configured', async () => {
		const issued = await issuer.issueTrusted(ISSUER, { subject: 'slack-T024BE7LD', tier: 'partner' });
		expect(issued).toMatchObject({ ok: true, value: { tier: 'partner' } });
		if (!issued.ok) return;
		expect(await rowOf(issued.value.token)).toMatchObject({ subject: 'slack-T024BE7LD', tier: 'partner', issuer: ISSUER.tokenId, user: null, name: 'Anonymous: slack-T024BE7LD' });
		expect(await issuer.issueTrusted(ISSUER, {})).toMatchObject({ ok: true, value: { tier: 'trusted' } });
	});

	it.each([
		[{ tier: 'gold' }, 'invalid_tier'],
		[{ tier: 'open' }, 'invalid_tier'],
		[{ tier: 5 }, 'invalid_tier'],
		[{ subject: 'x'.repeat(201) }, 'invalid_subject'],
		[{ subject: 'a\u0000b' }, 'invalid_subject'],
		[{ subject: 'line\nbreak' }, 'invalid_subject'],
		[{ subject: '' }, 'invalid_subject'],
		[{ subject: 42 }, 'invalid_subject'],
		[{ duration: -1 }, 'invalid_request'],
		[{ hash: 'x' }, 'invalid_request'],
	])('trusted path refuses %o with 400 %s and stores nothing', async (body, code) => {
		expect(await issuer.issueTrusted(ISSUER, body)).toMatchObject({ ok: false, status: 400, code });
		expect(await db('api_tokens').count({ n: '*' }).first()).toMatchObject({ n: 0 });
	});

	it('one subject of one issuer holds at most the cap: issuing more revokes the oldest, other subjects and issuers untouched', async () => {
		const tokens: string[] = [];
		for (let i = 0; i < 4; i++) {
			clock = new Date(clock.getTime() + 1000);
			const issued = await issuer.issueTrusted(ISSUER, { subject: 'install-1' });
			if (issued.ok) tokens.push(issued.value.token);
		}
		const other = await issuer.issueTrusted(ISSUER, { subject: 'install-2' });
		const otherIssuer = await issuer.issueTrusted(OTHER_ISSUER, { subject: 'install-1' });
		const revoked = await Promise.all(tokens.map(async (token) => (await rowOf(token)).revoked_at !== null));
		expect(revoked).toEqual([true, true, false, false]);
		expect(other.ok && (await rowOf(other.value.token)).revoked_at).toBeNull();
		expect(otherIssuer.ok && (await rowOf(otherIssuer.value.token)).revoked_at).toBeNull();
		expect(events.filter((event) => event.type === 'revoked').flatMap((event) => event.tokenIds)).toHaveLength(2);
	});

	it('refresh: a new token with the same subject, tier, issuer and lifetime; the old one is revoked, once', async () => {
		const issued = await issuer.issueTrusted(ISSUER, { subject: 'install-9', tier: 'partner', duration: 7 * 86_400 });
		if (!issued.ok) throw new Error('not issued');
		const old = await rowOf(issued.value.token);
		clock = new Date(clock.getTime() + DAY);
		const refreshed = await issuer.refresh(old.id);
		expect(refreshed).toMatchObject({ ok: true, value: { tier: 'partner', expires_at: new Date(clock.getTime() + 7 * DAY).toISOString() } });
		if (!refreshed.ok) return;
		expect(await rowOf(refreshed.value.token)).toMatchObject({ subject: 'install-9', tier: 'partner', issuer: ISSUER.tokenId });
		expect((await store.findById(old.id))!.revoked_at).not.toBeNull();
		expect(await issuer.refresh(old.id)).toMatchObject({ ok: false, status: 404 });
		const notRefreshable = issuerWith({ API_TOKENS_ANONYMOUS_REFRESHABLE: 'false' });
		const fixed = await notRefreshable.issueOpen({});
		if (!fixed.ok) throw new Error('not issued');
		expect(await notRefreshable.refresh((await rowOf(fixed.value.token)).id)).toMatchObject({ ok: false, status: 409, code: 'not_refreshable' });
	});

	it('admins list a subject’s tokens and revoke them all at once; users never see them', async () => {
		for (const subject of ['s1', 's1', 's2']) await issuer.issueTrusted(ISSUER, { subject });
		await issuer.issueOpen({});
		const service = createTokenService({ store, config, now: () => clock });
		const admin = { userId: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', admin: true };
		const listed = await service.list(admin, { user: 'all', include_hidden: 'true', kind: 'anonymous', subject: 's1' });
		expect(listed.ok && listed.value.map((info) => [info.subject, info.tier, info.issuer])).toEqual([
			['s1', 'trusted', ISSUER.tokenId],
			['s1', 'trusted', ISSUER.tokenId],
		]);
		const all = await service.list(admin, { user: 'all', include_hidden: 'true', kind: 'anonymous' });
		expect(all.ok && all.value).toHaveLength(4);
		expect(await service.list({ userId: admin.userId, admin: false }, { subject: 's1' })).toMatchObject({ ok: false, status: 403 });
		expect(await service.resetSubject({ ...admin, admin: false }, 's1')).toMatchObject({ ok: false, status: 403 });
		expect(await service.resetSubject(admin, 'x\u0007')).toMatchObject({ ok: false, status: 400, code: 'invalid_subject' });
		expect(await service.resetSubject(admin, 's1')).toEqual({ ok: true, value: { revoked: 2 } });
		const left = await service.list(admin, { user: 'all', include_hidden: 'true', kind: 'anonymous' });
		expect(left.ok && left.value.map((info) => info.subject).sort()).toEqual([null, 's2']);
	});
});
