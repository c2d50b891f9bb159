/**
 * The validator in this process against a real Directus in another, on each database: new tokens
 * work at once, a revoke made through Directus reaches the running validator (pushed over Redis or
 * PostgreSQL NOTIFY where available, polled otherwise), and a real outage (a TCP proxy we cut) gives
 * `unavailable` for unknown tokens, answers from cache for known ones, and recovers by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knex, { type Knex } from 'knex';
import { createTokenValidator, postgresChannel, redisChannel, type TokenValidator, type TokenEventChannel } from '../src/validator/index.js';
import { generateToken } from '../src/core/token-format.js';
import { knexConfig } from '../scripts/lib/database-env.js';
import { enabledDatabases, type DatabaseName } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const redisUrl = process.env.TEST_REDIS_URL;

type Created = { token: string; info: { id: string } };
/** Creates a token through Directus's token API as `user`. */
async function createToken(directus: DirectusInstance, user: TestUser, body: Record<string, unknown>): Promise<Created> {
	const response = await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body });
	expect(response.status).toBe(201);
	return response.body as Created;
}

/** A Directus, a user, and a validator whose database or Redis goes through a proxy the test cuts. */
interface OutageRig {
	directus: DirectusInstance;
	user: TestUser;
	proxy: TcpProxy;
	db: Knex;
	validator: TokenValidator;
}
async function stopRig(rig: Partial<OutageRig>) {
	await rig.validator?.stop();
	await rig.db?.destroy();
	await rig.proxy?.close();
	await rig.directus?.stop();
}

/** Which push channel each database gets: Redis when available, else NOTIFY on PostgreSQL, else none. */
function channelFor(name: DatabaseName, db: Knex): TokenEventChannel | undefined {
	if (name === 'mariadb' && redisUrl) return redisChannel(redisUrl);
	if (name === 'postgres') return postgresChannel(db);
	return undefined;
}

describe.each(enabledDatabases())('validator against Directus on %s', (databaseName) => {
	let directus: DirectusInstance;
	let user: TestUser;
	let db: Knex;
	let validator: TokenValidator;

	beforeAll(async () => {
		// MariaDB runs with Redis (when configured) to exercise that channel; PostgreSQL uses NOTIFY.
		directus = await startDirectus(databaseName, databaseName === 'mariadb' && redisUrl ? { REDIS: redisUrl } : {});
		user = await createUser(directus, 'validated');
		db = knex(knexConfig(directus.database.dbEnv));
		const channel = channelFor(databaseName, db);
		validator = createTokenValidator({ db, ...(channel ? { channel } : {}), syncIntervalMs: 60_000 });
		await validator.start();
	});
	afterAll(async () => {
		await validator?.stop();
		await db?.destroy();
		await directus?.stop();
	});

	const create = () => createToken(directus, user, { name: 'svc', scopes: ['read'] });

	it('accepts a token the moment Directus created it', async () => {
		const { token, info } = await create();
		const result = await validator.validate(token, { scopes: ['read'] });
		expect(result).toMatchObject({ valid: true, token: { id: info.id, userId: user.id, kind: 'personal', tier: 'personal' } });
		expect(await validator.validate(token, { scopes: ['write'] })).toEqual({ valid: false, code: 'insufficient_scope' });
	});

	it('sees a revoke made in Directus', async () => {
		const { token, info } = await create();
		expect((await validator.validate(token)).valid).toBe(true);
		const started = Date.now();
		expect((await request(directus.url, 'DELETE', `/api-tokens/${info.id}`, { token: user.accessToken })).status).toBe(204);
		if (validator.status().channel === 'none') {
			// No push channel: the token stays cached until the next sync, then it is gone.
			expect((await validator.validate(token)).valid).toBe(true);
			await validator.sync();
		}
		await expect.poll(async () => (await validator.validate(token)).valid, { timeout: 2_000, interval: 20 }).toBe(false);
		expect(await validator.validate(token)).toEqual({ valid: false, code: 'revoked' });
		if (validator.status().channel !== 'none') {
			expect(validator.status()).toMatchObject({ revocations: 'push', channelUp: true });
			expect(Date.now() - started).toBeLessThan(2_000);
		}
	});

	it('writes last-used times back to the dashboard database', async () => {
		const { token, info } = await create();
		await validator.validate(token);
		await validator.flushLastUsed();
		const info2 = await request(directus.url, 'GET', `/api-tokens/${info.id}`, { token: user.accessToken });
		expect(info2.body.last_access).not.toBeNull();
	});
});

describe.runIf(process.env.TEST_PG_URL)('validator through a database outage', () => {
	const rig: Partial<OutageRig> = {};

	beforeAll(async () => {
		rig.directus = await startDirectus('postgres');
		rig.user = await createUser(rig.directus, 'outage');
		const env = rig.directus.database.dbEnv;
		rig.proxy = await startTcpProxy(env.DB_HOST!, Number(env.DB_PORT));
		rig.db = knex({ ...knexConfig({ ...env, DB_HOST: '127.0.0.1', DB_PORT: String(rig.proxy.port) }), acquireConnectionTimeout: 1_500, pool: { min: 0, max: 2 } });
		rig.validator = createTokenValidator({ db: rig.db, channel: postgresChannel(rig.db) });
		await rig.validator.start();
	});
	afterAll(() => stopRig(rig));

	it('answers from cache, says unavailable for the rest, falls back to polling, and recovers', async () => {
		const { directus, user, proxy, validator } = rig as OutageRig;
		const create = (name: string) => createToken(directus, user, { name });
		const cached = await create('cached');
		const revokedDuringOutage = await create('revoked later');
		expect((await validator.validate(cached.token)).valid).toBe(true);
		expect((await validator.validate(revokedDuringOutage.token)).valid).toBe(true);
		await expect.poll(() => validator.status().channelUp).toBe(true);

		proxy.cut();
		const unseen = await create('made during the outage');
		await request(directus.url, 'DELETE', `/api-tokens/${revokedDuringOutage.info.id}`, { token: user.accessToken });
		await expect.poll(() => validator.status().revocations, { timeout: 5_000 }).toBe('polling');
		expect(await validator.validate(cached.token)).toMatchObject({ valid: true });
		expect(await validator.validate(unseen.token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.validate(generateToken('personal').token)).toEqual({ valid: false, code: 'unavailable' });
		expect(await validator.sync()).toBe(false);

		proxy.restore();
		expect((await validator.validate(unseen.token)).valid).toBe(true);
		// The revocation made while we were cut off is not lost: the next sync brings it.
		expect(await validator.sync()).toBe(true);
		expect(await validator.validate(revokedDuringOutage.token)).toEqual({ valid: false, code: 'revoked' });
		await expect.poll(() => validator.status().channelUp, { timeout: 6_000 }).toBe(true);
	});
});

describe.runIf(redisUrl)('validator through a Redis outage', () => {
	const rig: Partial<OutageRig> = {};

	beforeAll(async () => {
		rig.directus = await startDirectus('sqlite', { REDIS: redisUrl! });
		rig.user = await createUser(rig.directus, 'redis-outage');
		const target = new URL(redisUrl!);
		rig.proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
		rig.db = knex(knexConfig(rig.directus.database.dbEnv));
		rig.validator = createTokenValidator({ db: rig.db, channel: redisChannel(`redis://127.0.0.1:${rig.proxy.port}`) });
		await rig.validator.start();
	});
	afterAll(() => stopRig(rig));

	it('falls back to polling while Redis is unreachable, loses no revocation, and pushes again after', async () => {
		const { directus, user, proxy, validator } = rig as OutageRig;
		const create = (name: string) => createToken(directus, user, { name });
		await expect.poll(() => validator.status()).toMatchObject({ channel: 'redis', channelUp: true, revocations: 'push' });
		const during = await create('revoked while Redis is away');
		expect((await validator.validate(during.token)).valid).toBe(true);

		proxy.cut();
		await expect.poll(() => validator.status().revocations, { timeout: 5_000 }).toBe('polling');
		await request(directus.url, 'DELETE', `/api-tokens/${during.info.id}`, { token: user.accessToken });
		expect((await validator.validate(during.token)).valid).toBe(true); // the push was lost: cached until the sync
		expect(await validator.sync()).toBe(true);
		expect(await validator.validate(during.token)).toEqual({ valid: false, code: 'revoked' });

		proxy.restore();
		await expect.poll(() => validator.status().revocations, { timeout: 8_000 }).toBe('push');
		const after = await create('revoked after recovery');
		expect((await validator.validate(after.token)).valid).toBe(true);
		await request(directus.url, 'DELETE', `/api-tokens/${after.info.id}`, { token: user.accessToken });
		await expect.poll(async () => (await validator.validate(after.token)).valid, { timeout: 2_000, interval: 20 }).toBe(false);
	});
});
