/**
 * The validator at scale, against a real Directus on each database: last-used times of more tokens
 * than any database takes bound parameters in one statement (70,000: past SQLite's 32,766 and
 * PostgreSQL's and MySQL's 65,535) are all written by one flush; a mass revocation (a reset of
 * 100,000 tokens in one call) is honoured by a polling validator within one sync, however many rows
 * changed at one time, and by a pushed one (Redis, or PostgreSQL NOTIFY in parts) within a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { generateToken } from '../src/core/token-format.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { MAX_IDS_PER_STATEMENT } from '../src/core/token-store.js';
import { createTokenValidator, postgresChannel, redisChannel, type TokenValidator } from '../src/validator/index.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { report } from './helpers/suite-report.js';

const redisUrl = process.env.TEST_REDIS_URL;
const FLUSHED = 70_000;
const REVOKED = 100_000;
const SYNC_MS = 3_000;

/** Inserts `count` live tokens of `user` straight into the table, as the token API would; answers the plaintexts. */
async function insertTokens(db: Knex, user: string, count: number): Promise<string[]> {
	const tokens: string[] = [];
	const at = new Date();
	let rows: Array<Record<string, unknown>> = [];
	for (let i = 0; i < count; i++) {
		const { token, hash, hint } = generateToken('personal');
		tokens.push(token);
		rows.push({ id: randomUUID(), name: 'scale', kind: 'personal', hidden: false, hash, hint, scopes: '["read"]', origins: '[]', expires_at: new Date(at.getTime() + 86_400_000), refreshable: false, user, date_created: at, date_updated: at });
		if (rows.length === 400) {
			await db.batchInsert(TOKENS_TABLE, rows, 400); // SQLite: at most 500 rows in one insert
			rows = [];
		}
	}
	if (rows.length) await db.batchInsert(TOKENS_TABLE, rows, 400);
	return tokens;
}

/** Polls `check` until it holds or `timeoutMs` passes; answers how long it took (ms), or null. */
async function within(timeoutMs: number, check: () => boolean): Promise<number | null> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) return null;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	return Date.now() - started;
}

describe.each(enabledDatabases())('the validator at scale on %s', (databaseName) => {
	let directus: DirectusInstance;
	let carol: TestUser;
	let db: Knex;
	let polling: TokenValidator;
	let pushed: TokenValidator | null = null;
	const channelFor = (connection: Knex) => (redisUrl ? redisChannel(redisUrl) : databaseName === 'postgres' ? postgresChannel(connection) : null);

	beforeAll(async () => {
		directus = await startDirectus(databaseName, redisUrl ? { REDIS: redisUrl } : {});
		carol = await createUser(directus, 'carol');
		db = directus.database.connect();
		polling = createTokenValidator({ db, syncIntervalMs: SYNC_MS, trackLastUsed: true, lastUsedFlushMs: 3_600_000 });
		await polling.start();
		const channel = channelFor(db);
		if (channel) {
			pushed = createTokenValidator({ db, channel, syncIntervalMs: 3_600_000, trackLastUsed: false });
			await pushed.start();
			if ((await within(10_000, () => pushed!.status().channelUp)) === null) throw new Error('the pushed validator never subscribed');
		}
	}, 300_000);
	afterAll(async () => {
		await polling?.stop();
		await pushed?.stop();
		await db?.destroy();
		await directus?.stop();
	});

	it(`writes the last-used times of ${FLUSHED.toLocaleString('en')} tokens in one flush, in chunks, one statement each`, async () => {
		const tokens = await insertTokens(db, carol.id, FLUSHED);
		await polling.sync({ full: true });
		for (const token of tokens) expect(polling.validateNow(token)?.valid).toBe(true);
		let statements = 0;
		const count = (query: { sql: string }) => void (/^update/i.test(query.sql) && (statements += 1));
		db.on('query', count);
		const started = Date.now();
		await polling.flushLastUsed();
		const took = Date.now() - started;
		db.off('query', count);
		const written = await db(TOKENS_TABLE).where({ user: carol.id }).whereNotNull('last_used_at').count({ n: '*' }).first();
		expect(Number(written?.n)).toBe(FLUSHED);
		expect(polling.status().pendingLastUsed).toBe(0);
		expect(statements).toBeGreaterThanOrEqual(FLUSHED / MAX_IDS_PER_STATEMENT);
		expect(statements).toBeLessThanOrEqual(FLUSHED / MAX_IDS_PER_STATEMENT + 60); // a chunk per second of uses at most beyond that
		report('Validator at scale', `${databaseName}: last-used of ${FLUSHED.toLocaleString('en')} tokens written by one flush in ${statements} statements, ${took} ms`);
	}, 300_000);

	it(`honours a reset of ${REVOKED.toLocaleString('en')} tokens made in one call: pushed within 1 s, polled within one sync`, async () => {
		const dave = await createUser(directus, 'dave');
		const tokens = await insertTokens(db, dave.id, REVOKED);
		await Promise.all([polling.sync({ full: true }), pushed?.sync({ full: true })]);
		const sample = tokens.filter((_, i) => i % 100 === 0);
		for (const validator of [polling, pushed]) if (validator) for (const token of sample) expect(validator.validateNow(token)?.valid).toBe(true);

		const asked = Date.now();
		const reset = await request(directus.url, 'POST', '/api-tokens/reset', { token: directus.adminToken, body: { user: dave.id } });
		expect(reset.body).toEqual({ revoked: REVOKED });
		// Counted from the answer: the revocation is committed then.
		const resetAt = Date.now();
		const resetMs = resetAt - asked;
		const refusedBy = (validator: TokenValidator) => () => sample.every((token) => validator.validateNow(token)?.valid !== true);
		const [pushMs, pollMs] = await Promise.all([
			pushed ? within(10_000, refusedBy(pushed)).then(() => Date.now() - resetAt) : Promise.resolve(null),
			within(10_000, refusedBy(polling)).then(() => Date.now() - resetAt),
		]);
		if (pushMs !== null) expect(pushMs, 'pushed: every sampled token refused within 1 s of the reset').toBeLessThan(1_000);
		expect(pollMs, 'polled: every sampled token refused within one sync').toBeLessThan(2 * SYNC_MS);
		// Every one of them, not a first page of changes: the next sync leaves nothing of dave's valid.
		await polling.sync();
		expect(tokens.filter((token) => polling.validateNow(token)?.valid === true)).toHaveLength(0);
		report('Validator at scale', `${databaseName}: a reset of ${REVOKED.toLocaleString('en')} tokens in one call (answered in ${resetMs} ms) honoured ${pushMs !== null ? `pushed after ${pushMs} ms, ` : ''}polled after ${pollMs} ms (sync every ${SYNC_MS / 1000} s)`);
	}, 300_000);
});
