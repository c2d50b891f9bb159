/**
 * Faults (issue 7), against real Directus processes, real databases and the machine's Redis; nothing
 * of theirs is stopped or reconfigured: connections are cut with TCP proxies of our own.
 *
 * 1. A validator cut off from its database AND from Redis at once, while revocations, a scope change,
 *    a regenerate and a user reset happen in Directus: it answers from cache, says `unavailable` for
 *    what it cannot know, recovers by itself (no manual sync), and loses no revocation.
 * 2. Two Directus instances on one PostgreSQL database and one Redis (and again with NOTIFY, without
 *    Redis): a token made on one works through the other at once; a revoke, regenerate, reset or suspension on one is honoured at once by the other
 *    (whose 30 s auth cache must drop it) and by validators.
 *
 * `afterAll` adds a few lines of what was tried to the suite's report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knex, { type Knex } from 'knex';
import { createTokenValidator, postgresChannel, redisChannel, type TokenValidator } from '../src/validator/index.js';
import { generateToken } from '../src/core/token-format.js';
import { knexConfig } from '../scripts/lib/database-env.js';
import type { DatabaseName } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { report } from './helpers/suite-report.js';

const redisUrl = process.env.TEST_REDIS_URL;
/** Lines for the suite's report (`test/helpers/suite-report.ts`), printed after the run. */
const tried: string[] = [];

afterAll(() => {
	if (tried.length === 0) tried.push('(not run: set TEST_REDIS_URL and TEST_PG_URL and/or TEST_MARIADB_URL)');
	for (const line of tried) report('Faults', line);
});

type Created = { token: string; info: { id: string } };

async function createToken(directus: DirectusInstance, user: TestUser, body: Record<string, unknown>): Promise<Created> {
	const response = await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body });
	expect(response.status, JSON.stringify(response.body)).toBe(201);
	return response.body as Created;
}

async function call(directus: DirectusInstance, method: string, path: string, token: string, body?: unknown) {
	const response = await request(directus.url, method, path, { token, ...(body === undefined ? {} : { body }) });
	expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
	return response;
}

/** Polls until `check` holds; resolves with the time it took (ms). */
async function within(timeoutMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
	const started = Date.now();
	for (;;) {
		if (await check()) return Date.now() - started;
		if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

const outageDatabases: DatabaseName[] = redisUrl
	? [...(process.env.TEST_PG_URL ? (['postgres'] as const) : []), ...(process.env.TEST_MARIADB_URL ? (['mariadb'] as const) : [])]
	: [];

describe.each(outageDatabases)('validator cut off from %s and from Redis at once', (databaseName) => {
	const SYNC_MS = 2_000;
	const SHORT_TRUST_MS = 3_000;
	let directus: DirectusInstance;
	let owner: TestUser;
	let other: TestUser;
	let dbProxy: TcpProxy;
	let redisProxy: TcpProxy;
	let db: Knex;
	let validator: TokenValidator;
	/** Same proxies, but trusts a sync for 3 s only: shows that staleness is bounded. */
	let shortTrust: TokenValidator;

	beforeAll(async () => {
		// Directus itself reaches the database and Redis directly: only the validator is cut off.
		directus = await startDirectus(databaseName, { REDIS: redisUrl! });
		[owner, other] = [await createUser(directus, 'outage-owner'), await createUser(directus, 'outage-other')];
		const env = directus.database.dbEnv;
		dbProxy = await startTcpProxy(env.DB_HOST!, Number(env.DB_PORT));
		const redisTarget = new URL(redisUrl!);
		redisProxy = await startTcpProxy(redisTarget.hostname, Number(redisTarget.port || 6379));
		db = knex({ ...knexConfig({ ...env, DB_HOST: '127.0.0.1', DB_PORT: String(dbProxy.port) }), acquireConnectionTimeout: 1_500, pool: { min: 0, max: 2 } });
		const proxiedRedis = `redis://127.0.0.1:${redisProxy.port}`;
		validator = createTokenValidator({ db, channel: redisChannel(proxiedRedis), syncIntervalMs: SYNC_MS, trackLastUsed: false });
		shortTrust = createTokenValidator({ db, channel: redisChannel(proxiedRedis), syncIntervalMs: SYNC_MS, cacheTtlMs: SHORT_TRUST_MS, trackLastUsed: false });
		await validator.start();
		await shortTrust.start();
	});
	afterAll(async () => {
		await validator?.stop();
		await shortTrust?.stop();
		await db?.destroy();
		await dbProxy?.close();
		await redisProxy?.close();
		await directus?.stop();
	});

	it('answers from cache, says unavailable for the rest, recovers by itself, and loses no revocation', async () => {
		const make = (user: TestUser, name: string, scopes = ['read']) => createToken(directus, user, { name, scopes });
		const kept = await make(owner, 'kept');
		const revoked = [await make(owner, 'revoked 1'), await make(owner, 'revoked 2'), await make(owner, 'revoked 3')];
		const pushedWhileDbDown = await make(owner, 'revoked while only the database is down');
		const narrowed = await make(owner, 'narrowed', ['read', 'write']);
		const regenerated = await make(owner, 'regenerated');
		const reset = [await make(other, 'reset 1'), await make(other, 'reset 2')];
		const cached = [kept, ...revoked, pushedWhileDbDown, narrowed, regenerated, ...reset];
		for (const v of [validator, shortTrust]) {
			for (const { token } of cached) expect((await v.validate(token)).valid).toBe(true);
			await expect.poll(() => v.status(), { timeout: 5_000 }).toMatchObject({ channelUp: true, revocations: 'push' });
		}

		// --- Both cut at once. Directus goes on working and changes things meanwhile.
		dbProxy.cut();
		redisProxy.cut();
		const outageStarted = Date.now();
		await expect.poll(() => validator.status().revocations, { timeout: 5_000 }).toBe('polling');
		for (const { info } of revoked) await call(directus, 'DELETE', `/api-tokens/${info.id}`, owner.accessToken);
		await call(directus, 'PATCH', `/api-tokens/${narrowed.info.id}`, owner.accessToken, { scopes: ['read'] });
		const renewed = (await call(directus, 'POST', `/api-tokens/${regenerated.info.id}/regenerate`, owner.accessToken, {})).body as Created;
		expect((await call(directus, 'POST', '/api-tokens/reset', directus.adminToken, { user: other.id })).body).toEqual({ revoked: 2 });
		const unseen = await make(owner, 'made during the outage');

		// Cached answers stand (the validator cannot know better); everything else is `unavailable`.
		expect(await validator.validate(kept.token)).toMatchObject({ valid: true });
		for (const { token } of [...revoked, ...reset, regenerated]) expect((await validator.validate(token)).valid).toBe(true);
		expect(await validator.validate(narrowed.token, { scopes: ['write'] })).toMatchObject({ valid: true });
		expect(await validator.validate(unseen.token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.validate(renewed.token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.validate(generateToken('personal').token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.validate('dtp_garbage')).toEqual({ valid: false, code: 'malformed' }); // no DB needed
		expect(await validator.sync()).toBe(false);
		// The short-trust validator's 3 s run out while its syncs fail: never stale-valid, never `unknown`.
		await expect.poll(() => shortTrust.validate(kept.token), { timeout: SHORT_TRUST_MS + 10_000 }).toEqual({ valid: false, code: 'unavailable' });
		// Trust runs from the start of the last sync that succeeded (or a later lookup), never less.
		expect(Date.now() - shortTrust.status().lastSyncAt!.getTime()).toBeGreaterThanOrEqual(SHORT_TRUST_MS);
		expect(validator.status()).toMatchObject({ revocations: 'polling', channelUp: false });
		expect(validator.status().lastSyncError).not.toBeNull();
		expect(await validator.validate(kept.token)).toMatchObject({ valid: true });

		// --- Redis comes back first: a revocation pushed now applies at once, even with the database away.
		redisProxy.restore();
		await expect.poll(() => validator.status().channelUp, { timeout: 8_000 }).toBe(true);
		await call(directus, 'DELETE', `/api-tokens/${pushedWhileDbDown.info.id}`, owner.accessToken);
		const pushLagMs = await within(2_000, async () => !(await validator.validate(pushedWhileDbDown.token)).valid, 'pushed revoke while the database is down');
		expect(await validator.validate(pushedWhileDbDown.token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.validate(kept.token)).toMatchObject({ valid: true });

		// --- The database comes back. No manual sync: the validator's own timer must bring everything.
		dbProxy.restore();
		const restoredAt = Date.now();
		const recoveryMs = await within(
			3 * SYNC_MS + 2_000,
			async () => {
				for (const { token } of [...revoked, pushedWhileDbDown, ...reset, regenerated]) if ((await validator.validate(token)).valid) return false;
				return (await validator.validate(narrowed.token, { scopes: ['write'] })).valid === false;
			},
			'every revocation made during the outage applied after it',
		);
		for (const { token } of [...revoked, pushedWhileDbDown, ...reset]) expect(await validator.validate(token)).toEqual({ valid: false, code: 'revoked' });
		expect((await validator.validate(regenerated.token)).valid).toBe(false);
		expect(await validator.validate(narrowed.token, { scopes: ['write'] })).toEqual({ valid: false, code: 'insufficient_scope' });
		expect(await validator.validate(narrowed.token, { scopes: ['read'] })).toMatchObject({ valid: true });
		for (const { token } of [kept, unseen, renewed]) expect(await validator.validate(token)).toMatchObject({ valid: true });
		expect(await shortTrust.validate(kept.token)).toMatchObject({ valid: true });
		for (const { token } of [...revoked, ...reset]) expect((await shortTrust.validate(token)).valid).toBe(false);
		expect(validator.status()).toMatchObject({ revocations: 'push', channelUp: true, lastSyncError: null });

		// --- Fully back: pushes apply at once again.
		await call(directus, 'DELETE', `/api-tokens/${kept.info.id}`, owner.accessToken);
		const pushAfterMs = await within(2_000, async () => !(await validator.validate(kept.token)).valid, 'push after recovery');

		tried.push(
			`${databaseName} + Redis, both cut ${((restoredAt - outageStarted) / 1000).toFixed(1)} s (sync every ${SYNC_MS / 1000} s): ` +
				`cached tokens kept answering; unknown/new tokens 'unavailable'; a 3 s-trust validator went 'unavailable' after 3 s. ` +
				`Made during the outage: 3 revokes, 1 scope narrowing, 1 regenerate, 1 user reset (2 tokens), 1 new token.`,
			`${databaseName}: Redis back first: a revoke pushed while the DB was still cut applied in ${pushLagMs} ms ('unavailable', not valid); ` +
				`DB back: all ${revoked.length + reset.length + 3} changes applied ${recoveryMs} ms later by the validator's own sync, none lost; push again in ${pushAfterMs} ms.`,
		);
	});
});

/** How the two instances (and the validator) hear each other: Redis pub/sub, or NOTIFY on PostgreSQL without Redis. */
const fleetTransports = process.env.TEST_PG_URL ? [...(redisUrl ? (['Redis'] as const) : []), 'PostgreSQL NOTIFY' as const] : [];

describe.each(fleetTransports)('two Directus instances on one PostgreSQL database, events over %s', (transport) => {
	let a: DirectusInstance;
	let b: DirectusInstance;
	let user: TestUser;
	let db: Knex;
	let validator: TokenValidator;
	const lags: Record<string, number> = {};

	beforeAll(async () => {
		const env: Record<string, string> = transport === 'Redis' ? { REDIS: redisUrl! } : {};
		a = await startDirectus('postgres', env);
		b = await startDirectus('postgres', env, { sharing: a });
		user = await createUser(a, 'fleet'); // its JWT (signed by A) works on B: same SECRET
		db = knex(knexConfig(a.database.dbEnv));
		validator = createTokenValidator({ db, channel: transport === 'Redis' ? redisChannel(redisUrl!) : postgresChannel(db), trackLastUsed: false });
		await validator.start();
		await within(5_000, async () => validator.status().channelUp, 'validator subscribed');
	});
	afterAll(async () => {
		await validator?.stop();
		await db?.destroy();
		await b?.stop(); // B first: A drops the shared database
		await a?.stop();
		if (a) {
			tried.push(
				`two Directus on one PostgreSQL, events over ${transport}: made on one, accepted by the other at once (GET /users/me) and by a validator; ` +
					`other instance refused after revoke ${lags.revoke} ms, regenerate ${lags.regenerate} ms, reset ${lags.reset} ms, suspension ${lags.suspend} ms (its auth cache holds 30 s otherwise)`,
			);
		}
	});

	const me = (directus: DirectusInstance, token: string) => request(directus.url, 'GET', '/users/me?fields=id', { token });
	const make = (on: DirectusInstance, owner: TestUser, name: string) => createToken(on, owner, { name, scopes: ['read', 'directus'] });

	it('accepts a token made on one instance through the other at once, and in validators', async () => {
		const onA = await make(a, user, 'made on A');
		const viaB = await me(b, onA.token);
		expect(viaB.status).toBe(200);
		expect(viaB.body.data.id).toBe(user.id);
		const onB = await make(b, user, 'made on B');
		expect((await me(a, onB.token)).status).toBe(200);
		for (const { token } of [onA, onB]) expect(await validator.validate(token)).toMatchObject({ valid: true, token: { userId: user.id } });
	});

	it('honours a revoke made on the other instance at once (its auth cache is dropped), and in validators', async () => {
		const token = await make(a, user, 'revoked on B');
		expect((await me(a, token.token)).status).toBe(200); // now cached on A for 30 s
		expect((await me(b, token.token)).status).toBe(200);
		expect((await validator.validate(token.token)).valid).toBe(true);
		await call(b, 'DELETE', `/api-tokens/${token.info.id}`, user.accessToken);
		expect((await me(b, token.token)).status).toBe(401);
		lags.revoke = await within(2_000, async () => (await me(a, token.token)).status === 401, 'A refuses a token revoked on B');
		await within(2_000, async () => !(await validator.validate(token.token)).valid, 'validator drops it');
		expect(await validator.validate(token.token)).toEqual({ valid: false, code: 'revoked' });
	});

	it('honours a regenerate made on the other instance at once', async () => {
		const token = await make(b, user, 'regenerated on B');
		expect((await me(a, token.token)).status).toBe(200);
		const renewed = (await call(b, 'POST', `/api-tokens/${token.info.id}/regenerate`, user.accessToken, {})).body as Created;
		lags.regenerate = await within(2_000, async () => (await me(a, token.token)).status === 401, 'A refuses the old secret');
		expect((await me(a, renewed.token)).status).toBe(200);
		await within(2_000, async () => !(await validator.validate(token.token)).valid, 'validator drops the old secret');
		expect((await validator.validate(renewed.token)).valid).toBe(true);
	});

	it('honours a user reset and a suspension made on the other instance at once', async () => {
		const victim = await createUser(b, 'fleet-reset');
		const tokens = [await make(b, victim, 'reset 1'), await make(a, victim, 'reset 2')];
		for (const { token } of tokens) {
			expect((await me(b, token)).status).toBe(200);
			expect((await validator.validate(token)).valid).toBe(true);
		}
		expect((await call(a, 'POST', '/api-tokens/reset', a.adminToken, { user: victim.id })).body).toEqual({ revoked: 2 });
		lags.reset = await within(2_000, async () => {
			for (const { token } of tokens) if ((await me(b, token)).status !== 401) return false;
			return true;
		}, 'B refuses every token of a user reset on A');
		for (const { token } of tokens) await within(2_000, async () => !(await validator.validate(token)).valid, 'validator drops reset tokens');

		// A suspension on A revokes the user's tokens (one reset event); B must not keep the user cached.
		const later = await make(b, victim, 'before suspension');
		expect((await me(b, later.token)).status).toBe(200);
		await call(a, 'PATCH', `/users/${victim.id}`, a.adminToken, { status: 'suspended' });
		lags.suspend = await within(2_000, async () => (await me(b, later.token)).status === 401, 'B refuses a token of a user suspended on A');
		await within(2_000, async () => !(await validator.validate(later.token)).valid, 'validator drops it');
	});
});
