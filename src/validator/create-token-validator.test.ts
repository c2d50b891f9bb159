/**
 * Validator rules with a frozen clock, on a real in-memory SQLite database with the migration's own
 * tables; queries are counted with knex's query event.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import knex, { type Knex } from 'knex';
import { createStandInUsersTable, createTokenSchema } from '../core/token-tables.js';
import { loadTokenConfig } from '../core/config.js';
import { createTokenStore } from '../core/token-store.js';
import { createTokenService, type Actor } from '../core/token-service.js';
import { generateToken } from '../core/token-format.js';
import { createTokenValidator, type TokenValidator } from './create-token-validator.js';
import { createAnonymousTokenIssuer } from '../core/anonymous-token-issuer.js';

const USER = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const actor: Actor = { userId: USER, admin: false };
const MINUTE = 60_000;

describe('createTokenValidator', () => {
	let db: Knex;
	let clock: number;
	let queries: number;
	let validator: TokenValidator;
	let service: ReturnType<typeof createTokenService>;
	const countQuery = () => void (queries += 1);

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
		await createStandInUsersTable(db);
		await db('directus_users').insert([{ id: USER }, { id: OTHER }]);
		await createTokenSchema(db);
		clock = Date.parse('2030-01-01T00:00:00Z');
		const now = () => new Date(clock);
		service = createTokenService({ store: createTokenStore(db, { now }), config: loadTokenConfig({}), now });
		validator = createTokenValidator({ db, now: () => clock, trackLastUsed: true, negativeCacheMax: 100 });
		await validator.sync({ full: true });
		queries = 0;
		db.on('query', countQuery);
	});
	afterEach(async () => {
		db.off('query', countQuery);
		await db.destroy();
	});

	async function newToken(body: Record<string, unknown> = {}, as: Actor = actor) {
		db.off('query', countQuery);
		const result = await service.create(as, { name: 't', scopes: ['read'], ...body });
		db.on('query', countQuery);
		if (!result.ok) throw new Error(result.message);
		return result.value;
	}

	it('rejects garbage, foreign and mistyped tokens with no query', async () => {
		const { token } = generateToken('personal');
		const inputs = [undefined, '', 'Bearer x', 'x'.repeat(10_000), token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'), generateToken('personal', { personal: 'gh', app: 'gha', service: 'ghs', anonymous: 'ghn' }).token];
		for (const input of inputs) expect(await validator.validate(input)).toEqual({ valid: false, code: 'malformed' });
		expect(queries).toBe(0);
	});

	it('accepts a token created a moment ago on first use, then from memory', async () => {
		const { token, info } = await newToken({ scopes: ['read', 'write'] });
		const first = await validator.validate(token, { scopes: ['read'] });
		expect(first).toEqual({
			valid: true,
			token: { id: info.id, userId: USER, kind: 'personal', scopes: ['read', 'write'], origins: [], tier: 'personal', expiresAt: new Date(info.expiration!) },
		});
		expect(queries).toBe(1);
		for (let i = 0; i < 100; i++) await validator.validate(token);
		expect(queries).toBe(1);
	});

	it('accepts anonymous tokens with their tier, on a miss and after a full sync; their subject is not a user', async () => {
		db.off('query', countQuery);
		const issuer = createAnonymousTokenIssuer({ store: createTokenStore(db, { now: () => new Date(clock) }), config: loadTokenConfig({}), now: () => new Date(clock) });
		const open = await issuer.issueOpen({});
		const trusted = await issuer.issueTrusted({ tokenId: OTHER }, { subject: 'discord-42', tier: 'trusted' });
		if (!open.ok || !trusted.ok) throw new Error('not issued');
		expect(await validator.validate(open.value.token, { scopes: ['read'] })).toMatchObject({ valid: true, token: { kind: 'anonymous', tier: 'open', userId: null, scopes: ['read'] } });
		expect(await validator.validate(trusted.value.token, { scopes: ['write'] })).toEqual({ valid: false, code: 'insufficient_scope' });
		const fresh = createTokenValidator({ db, now: () => clock });
		await fresh.sync({ full: true });
		expect(fresh.validateNow(trusted.value.token)).toMatchObject({ valid: true, token: { kind: 'anonymous', tier: 'trusted', userId: null } });
		expect(fresh.validateNow(open.value.token)).toMatchObject({ valid: true, token: { tier: 'open' } });
		await fresh.stop();
	});

	it('answers synchronously from memory, and only from memory', async () => {
		const { token } = await newToken();
		const unknown = generateToken('personal').token;
		expect(validator.validateNow('garbage')).toEqual({ valid: false, code: 'malformed' });
		expect(validator.validateNow(token)).toBeUndefined(); // not loaded yet: only the database can tell
		expect(validator.validateNow(unknown)).toBeUndefined();
		expect(queries).toBe(0);
		await validator.validate(token);
		await validator.validate(unknown);
		expect(validator.validateNow(token, { scopes: ['read'] })).toMatchObject({ valid: true, token: { userId: USER } });
		expect(validator.validateNow(token, { scopes: ['write'] })).toEqual({ valid: false, code: 'insufficient_scope' });
		expect(validator.validateNow(unknown)).toEqual({ valid: false, code: 'unknown' });
		expect(queries).toBe(2);
	});

	it('coalesces 1,000 concurrent misses for one token into one query', async () => {
		const { token } = await newToken();
		const results = await Promise.all(Array.from({ length: 1000 }, () => validator.validate(token)));
		expect(results.every((r) => r.valid)).toBe(true);
		expect(queries).toBe(1);
	});

	it('remembers unknown tokens for two minutes in a bounded LRU', async () => {
		const unknown = generateToken('personal').token;
		expect(await validator.validate(unknown)).toEqual({ valid: false, code: 'unknown' });
		expect(await validator.validate(unknown)).toEqual({ valid: false, code: 'unknown' });
		expect(queries).toBe(1);
		clock += 2 * MINUTE + 1;
		await validator.validate(unknown);
		expect(queries).toBe(2);
		for (let i = 0; i < 300; i++) await validator.validate(generateToken('personal').token);
		expect(validator.status().cachedInvalid).toBeLessThanOrEqual(100);
	});

	it('checks expiry on every call, not only at sync', async () => {
		const { token } = await newToken({ duration: 60 });
		expect((await validator.validate(token)).valid).toBe(true);
		clock += 61_000;
		expect(await validator.validate(token)).toEqual({ valid: false, code: 'expired' });
		expect(queries).toBe(1);
	});

	it('applies a pushed revocation at once, and a polled one at the next sync', async () => {
		const pushed = await newToken();
		const polled = await newToken();
		expect((await validator.validate(pushed.token)).valid).toBe(true);
		expect((await validator.validate(polled.token)).valid).toBe(true);
		db.off('query', countQuery);
		await service.revoke(actor, pushed.info.id);
		await service.revoke(actor, polled.info.id);
		db.on('query', countQuery);
		validator.applyEvent({ type: 'revoked', tokenIds: [pushed.info.id], userId: USER, at: new Date(clock).toISOString() });
		expect(await validator.validate(pushed.token)).toEqual({ valid: false, code: 'revoked' });
		expect((await validator.validate(polled.token)).valid).toBe(true); // not pushed: cached until the sync
		clock += 1000;
		expect(await validator.sync()).toBe(true);
		expect(await validator.validate(polled.token)).toEqual({ valid: false, code: 'revoked' });
	});


	it('sees a revocation whose transaction committed after a sync began, stamped before it', async () => {
		const late = await newToken();
		expect((await validator.validate(late.token)).valid).toBe(true);
		clock += MINUTE;
		const stampedAt = new Date(clock);
		clock += 20_000; // a long transaction (a reset of many tokens): a sync ran meanwhile
		expect(await validator.sync()).toBe(true);
		db.off('query', countQuery);
		await db('api_tokens').where({ id: late.info.id }).update({ revoked_at: stampedAt, date_updated: stampedAt });
		db.on('query', countQuery);
		clock += 5_000;
		expect(await validator.sync()).toBe(true);
		expect(await validator.validate(late.token)).toEqual({ valid: false, code: 'revoked' });
	});
	it('keeps a token cached when its own "created" event arrives after its first use', async () => {
		const { token, info } = await newToken();
		expect((await validator.validate(token)).valid).toBe(true);
		validator.applyEvent({ type: 'created', tokenIds: [info.id], userId: USER, at: new Date(clock).toISOString() });
		const before = queries;
		expect((await validator.validate(token)).valid).toBe(true);
		expect(queries).toBe(before);
	});

	it('drops every token of a user on a reset event', async () => {
		const a = await newToken();
		const b = await newToken();
		await validator.validate(a.token);
		await validator.validate(b.token);
		db.off('query', countQuery);
		await service.reset({ userId: 'x', admin: true }, USER);
		db.on('query', countQuery);
		validator.applyEvent({ type: 'reset', tokenIds: [], userId: USER, at: new Date(clock).toISOString() });
		expect(await validator.validate(a.token)).toEqual({ valid: false, code: 'revoked' });
		expect(await validator.validate(b.token)).toEqual({ valid: false, code: 'revoked' });
	});

	it('trusts a loaded token for two minutes after the last successful sync, then asks again', async () => {
		const { token } = await newToken();
		await validator.validate(token);
		clock += MINUTE;
		await validator.sync();
		clock += MINUTE + 30_000; // 90 s after the sync: still trusted
		const before = queries;
		expect((await validator.validate(token)).valid).toBe(true);
		expect(queries).toBe(before);
		clock += MINUTE; // 150 s after the last sync: stale
		expect((await validator.validate(token)).valid).toBe(true);
		expect(queries).toBe(before + 1);
	});

	it('keeps an old secret only for its grace period, even when cached', async () => {
		const { token, info } = await newToken();
		expect((await validator.validate(token)).valid).toBe(true);
		db.off('query', countQuery);
		const regenerated = await service.regenerate(actor, info.id, { grace_seconds: 60 });
		db.on('query', countQuery);
		validator.applyEvent({ type: 'regenerated', tokenIds: [info.id], userId: USER, at: new Date(clock).toISOString() });
		expect((await validator.validate(token)).valid).toBe(true);
		expect(regenerated.ok && (await validator.validate(regenerated.value.token)).valid).toBe(true);
		clock += 61_000;
		expect(await validator.validate(token)).toEqual({ valid: false, code: 'revoked' });
		expect(regenerated.ok && (await validator.validate(regenerated.value.token)).valid).toBe(true);
	});

	it('checks origins and scopes', async () => {
		const { token } = await newToken({ origins: ['https://www.example.com', 'https://*.example.org'] });
		expect((await validator.validate(token, { origin: 'https://www.example.com' })).valid).toBe(true);
		expect((await validator.validate(token, { origin: 'https://a.example.org' })).valid).toBe(true);
		expect(await validator.validate(token, { origin: 'https://evil.example' })).toEqual({ valid: false, code: 'origin_not_allowed' });
		// A personal token's origins bind browsers, which always send Origin; a program sends none.
		expect((await validator.validate(token, { origin: null })).valid).toBe(true);
		expect((await validator.validate(token)).valid).toBe(true);
		expect(await validator.validate(token, { scopes: ['write'] })).toEqual({ valid: false, code: 'insufficient_scope' });
	});

	it("refuses the tokens of an owner the database says is not active, whatever changed it, within one sync", async () => {
		const { token } = await newToken();
		expect((await validator.validate(token)).valid).toBe(true);
		// As Directus's login lockout does it: one UPDATE, no hook.
		await db('directus_users').where({ id: USER }).update({ status: 'suspended' });
		expect((await validator.validate(token)).valid).toBe(true); // still cached: the sync has not run
		await validator.sync();
		expect(await validator.validate(token)).toEqual({ valid: false, code: 'owner_inactive' });
		expect(validator.validateNow(token)).toEqual({ valid: false, code: 'owner_inactive' });
		// A miss reads the owner with the token.
		const other = await newToken();
		expect(await validator.validate(other.token)).toEqual({ valid: false, code: 'owner_inactive' });
		await db('directus_users').where({ id: USER }).delete();
		await validator.sync({ full: true });
		expect(await validator.validate(token)).toEqual({ valid: false, code: 'owner_inactive' });
	});

	it('answers unavailable, not unknown, while the database is gone, and recovers', async () => {
		const cached = await newToken();
		const fresh = await newToken();
		await validator.validate(cached.token);
		await db.schema.renameTable('api_tokens', 'api_tokens_away'); // every query on the table now fails
		expect(await validator.validate(fresh.token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.validate(generateToken('personal').token)).toEqual({ valid: false, code: 'unavailable' });
		expect((await validator.validate(cached.token)).valid).toBe(true);
		expect(await validator.sync()).toBe(false);
		expect(validator.status().lastSyncError).toBeTruthy();
		await db.schema.renameTable('api_tokens_away', 'api_tokens');
		expect((await validator.validate(fresh.token)).valid).toBe(true);
		expect(await validator.sync()).toBe(true);
		expect(validator.status().lastSyncError).toBeNull();
	});

	it('writes last-used times behind, in one statement', async () => {
		const a = await newToken();
		const b = await newToken();
		await validator.validate(a.token);
		clock += 5_000;
		await validator.validate(b.token);
		await validator.validate(a.token);
		expect(validator.status().pendingLastUsed).toBe(2);
		const before = queries;
		await validator.flushLastUsed();
		expect(queries).toBe(before + 1);
		const rows = await db('api_tokens').select('id', 'last_used_at');
		for (const row of rows) expect(Number(row.last_used_at)).toBe(clock);
	});

	it('reloads everything on a full sync, forgetting hard-deleted tokens', async () => {
		const kept = await newToken();
		const deleted = await newToken({}, { userId: OTHER, admin: false });
		await validator.sync({ full: true });
		expect(validator.status().cachedValid).toBe(2);
		db.off('query', countQuery);
		await db('api_tokens').where({ id: deleted.info.id }).delete();
		db.on('query', countQuery);
		await validator.sync({ full: true });
		expect(validator.status().cachedValid).toBe(1);
		const before = queries;
		expect((await validator.validate(kept.token)).valid).toBe(true);
		expect(queries).toBe(before);
		expect(await validator.validate(deleted.token)).toEqual({ valid: false, code: 'unknown' });
	});

	it('paces a reload beside a serving cache, resting after each page while the old one answers; never the first load, never past its trust window', async () => {
		db.off('query', countQuery);
		const tokens: string[] = [];
		const rows = Array.from({ length: 1_800 }, () => {
			const { token, hash, hint } = generateToken('personal');
			tokens.push(token);
			const at = new Date(clock);
			return { id: crypto.randomUUID(), name: 'many', kind: 'personal', hidden: false, hash, hint, scopes: '["read"]', origins: '[]', refreshable: false, user: USER, date_created: at, date_updated: at };
		});
		await db.batchInsert('api_tokens', rows, 300);
		const flatOut = createTokenValidator({ db, now: () => clock, trackLastUsed: false, fullSyncShare: 1 });
		// A share of 0.05 rests nineteen times as long as each page took: always a timer, never a bare yield.
		const paced = createTokenValidator({ db, now: () => clock, trackLastUsed: false, fullSyncShare: 0.05 });
		// Answers trusted no longer than the interval between syncs: no time to rest in.
		const noSlack = createTokenValidator({ db, now: () => clock, trackLastUsed: false, fullSyncShare: 0.05, syncIntervalMs: MINUTE, cacheTtlMs: MINUTE });
		// Only timers are faked: a rest is a pending timer the reload waits on, and nothing else runs one.
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const settled = (promise: Promise<unknown>) => {
				let done = false;
				void promise.then(() => (done = true));
				return () => done;
			};
			const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
			/** Runs `sync` to its end, counting the rests it waited on. */
			async function restsOf(sync: Promise<boolean>) {
				const done = settled(sync);
				let rests = 0;
				while (!done()) {
					await nextTurn();
					if (vi.getTimerCount() > 0) {
						rests += 1;
						// Between pages the serving generation answers.
						if (paced.status().cachedValid > 0) expect(paced.validateNow(tokens[rests * 97]!)).toMatchObject({ valid: true });
						vi.runOnlyPendingTimers();
					}
				}
				expect(await sync).toBe(true);
				return rests;
			}
			expect(await restsOf(paced.sync({ full: true }))).toBe(0);
			expect(paced.status().cachedValid).toBe(1_800);
			// 1,800 rows in pages of 500: four pages, a rest after each.
			expect(await restsOf(paced.sync({ full: true }))).toBe(4);
			expect(paced.status().cachedValid).toBe(1_800);
			expect(await restsOf(flatOut.sync({ full: true }))).toBe(0);
			expect(await restsOf(flatOut.sync({ full: true }))).toBe(0);
			expect(await restsOf(noSlack.sync({ full: true }))).toBe(0);
			expect(await restsOf(noSlack.sync({ full: true }))).toBe(0);
			expect(noSlack.status().cachedValid).toBe(1_800);
		} finally {
			vi.useRealTimers();
			await paced.stop();
			await flatOut.stop();
			await noSlack.stop();
		}
	});
});
