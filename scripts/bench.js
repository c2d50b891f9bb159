#!/usr/bin/env node
/**
 * `npm run bench`: the validator against the jsDelivr note's algorithm implemented plainly (the
 * baseline) and against the floor (one SHA-256 + one Map lookup), all measured in this run on the
 * same in-memory SQLite database with the token tables. Figures are ratios, never absolutes
 * to assert. BENCH_TOKENS sets the largest table (default 1,000,000): the many-token workloads, memory,
 * syncs, flushes and the mass revocation of sections 5 and 9-13 (`bench-scale.js`).
 * Sections 6-8 (load: middleware vs no auth, issuance through a real Directus vs its refresh, a
 * flood of unknown tokens) live in `bench-middleware.js`, `bench-directus.js`, `bench-flood.js`.
 */
import { hash as oneShotHash, randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import knex from 'knex';
import { createStandInUsersTable, createTokenSchema } from '../lib/core/token-tables.js';
import { createTokenValidator } from '../lib/validator/index.js';
import { generateToken, hashToken, tokenHint, TOKEN_EVENTS_CHANNEL, PG_NOTIFY_CHANNEL } from '../lib/core/index.js';
import { middlewareBench } from './bench-middleware.js';
import { directusBench } from './bench-directus.js';
import { floodBench } from './bench-flood.js';
import { postgresDatabase } from './bench-common.js';
import { manyTokensBench, plainValidator, postgresScaleBench } from './bench-scale.js';

const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;

const USER = '11111111-1111-4111-8111-111111111111';
const N = Number(process.env.BENCH_TOKENS ?? 1_000_000);
const ITERATIONS = 300_000;

async function database() {
	const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
	await createStandInUsersTable(db, [USER]);
	await createTokenSchema(db);
	let queries = 0;
	db.on('query', () => void (queries += 1));
	return { db, queries: () => queries };
}

async function insertTokens(db, count) {
	const tokens = [];
	const now = Date.now();
	let rows = [];
	for (let i = 0; i < count; i++) {
		const { token, hash, hint } = generateToken('personal');
		if (i < 1000) tokens.push(token);
		rows.push({ id: crypto.randomUUID(), name: 'bench', kind: 'personal', hidden: false, hash, hint, scopes: '["read"]', origins: '[]', expires_at: now + 86_400_000, refreshable: false, user: USER, date_created: now, date_updated: now });
		if (rows.length === 500) {
			await db.batchInsert('api_tokens', rows, 500);
			rows = [];
		}
	}
	if (rows.length) await db.batchInsert('api_tokens', rows, 500);
	return tokens;
}

async function nsPerOp(fn) {
	for (let i = 0; i < 20_000; i++) await fn(); // warm up
	const start = process.hrtime.bigint();
	for (let i = 0; i < ITERATIONS; i++) await fn();
	return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

async function main() {
	const out = [];
	const line = (text) => {
		out.push(text);
		console.log(text);
	};
	line(`# validator benchmark (node ${process.versions.node}, ${N.toLocaleString('en')} tokens in SQLite, ${ITERATIONS.toLocaleString('en')} iterations)`);

	// 1. Cached valid token: ours vs baseline vs floor.
	const small = await database();
	const sample = await insertTokens(small.db, 1000);
	const ours = createTokenValidator({ db: small.db, trackLastUsed: true });
	await ours.sync({ full: true });
	const seed = plainValidator(small.db);
	await seed.sync();
	const token = sample[0];
	const floorMap = new Map([[hashToken(token), { ok: true }]]);
	const floor = async () => floorMap.get(oneShotHash('sha256', token, 'hex'));
	const floorNs = await nsPerOp(floor);
	const oursNs = await nsPerOp(() => ours.validate(token, { scopes: ['read'] }));
	const seedNs = await nsPerOp(() => seed.validate(token));
	line('');
	line('## 1. cached valid token (ns/op, lower is better)');
	line(`floor (crypto.hash + Map.get): ${floorNs.toFixed(0)} ns`);
	line(`baseline (note's algorithm):   ${seedNs.toFixed(0)} ns`);
	line(`ours:                          ${oursNs.toFixed(0)} ns`);
	line(`ours vs baseline throughput: ${(seedNs / oursNs).toFixed(2)}x (target >= 5x); ours vs floor: ${(oursNs / floorNs).toFixed(2)}x (target <= 1.5x)`);

	// 2. Database queries for garbage, unknown and racing tokens.
	line('');
	line('## 2. database queries');
	const garbage = [
		...Array.from({ length: 10_000 }, () => randomBytes(24).toString('base64url')),
		...Array.from({ length: 10_000 }, () => generateToken('personal', { personal: 'ghp', app: 'gha', service: 'ghs' }).token),
	];
	let before = small.queries();
	for (const g of garbage) await ours.validate(g);
	const oursGarbage = small.queries() - before;
	before = small.queries();
	for (const g of garbage) await seed.validate(g);
	const seedGarbage = small.queries() - before;
	line(`20,000 random + foreign-prefix strings: ours ${oursGarbage} queries (target 0), baseline ${seedGarbage}`);

	const unknown = Array.from({ length: 10_000 }, () => generateToken('personal').token);
	const twice = [...unknown, ...unknown].sort(() => Math.random() - 0.5);
	async function flood(validator) {
		const start = small.queries();
		let next = 0;
		await Promise.all(Array.from({ length: 100 }, async () => {
			while (next < twice.length) await validator.validate(twice[next++]);
		}));
		return small.queries() - start;
	}
	line(`10,000 unknown well-formed tokens x2, 100 in flight: ours ${await flood(ours)} queries (target <= 10,000), baseline ${await flood(seed)}`);

	const fresh = generateToken('personal');
	await small.db('api_tokens').insert({ id: crypto.randomUUID(), name: 'new', kind: 'personal', hidden: false, hash: fresh.hash, hint: tokenHint(fresh.token), scopes: '[]', origins: '[]', expires_at: Date.now() + 86_400_000, refreshable: false, user: USER, date_created: Date.now(), date_updated: Date.now() });
	before = small.queries();
	await Promise.all(Array.from({ length: 1000 }, () => ours.validate(fresh.token)));
	const oursRace = small.queries() - before;
	const fresh2 = generateToken('personal');
	await small.db('api_tokens').insert({ id: crypto.randomUUID(), name: 'new2', kind: 'personal', hidden: false, hash: fresh2.hash, hint: tokenHint(fresh2.token), scopes: '[]', origins: '[]', expires_at: Date.now() + 86_400_000, refreshable: false, user: USER, date_created: Date.now(), date_updated: Date.now() });
	before = small.queries();
	await Promise.all(Array.from({ length: 1000 }, () => seed.validate(fresh2.token)));
	line(`1,000 requests racing for one new token: ours ${oursRace} query (target 1), baseline ${small.queries() - before}`);
	await small.db.destroy();

	await manyTokensBench(line, [...new Set([Math.min(100_000, N), N])]);

	if (PG_URL) {
		await revocationLatency(line);
		await postgresScaleBench(line, N);
	} else {
		line('\n(sections 3, 10-13 need PostgreSQL: set BENCH_PG_URL or TEST_PG_URL, and BENCH_REDIS_URL or TEST_REDIS_URL)');
	}

	// 6-8. Under load (issue 7): each against a baseline measured in the same run.
	await middlewareBench(line);
	await directusBench(line);
	await floodBench(line);
	console.log('\n(run: npm run bench)');
}

function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** 3. A revoke made here, seen by a validator in another process: pushed (Redis, NOTIFY) or polled. */
async function revocationLatency(line) {
	line('');
	line('## 3. revocation seen by a validator in a second process (ms)');
	const pg = await postgresDatabase();
	const redis = REDIS_URL ? new Redis(REDIS_URL) : null;
	const syncIntervalMs = 2000;
	const channels = [...(redis ? ['redis'] : []), 'postgres', 'none'];
	for (const channel of channels) {
		const child = fork(fileURLToPath(new URL('./bench-revocation-child.js', import.meta.url)), [JSON.stringify({ connection: pg.connection, channel, syncIntervalMs })], {
			env: { ...process.env, BENCH_REDIS_URL: REDIS_URL ?? '' },
		});
		const messages = [];
		const waiters = [];
		child.on('message', (m) => {
			messages.push(m);
			for (const w of waiters.splice(0)) w();
		});
		const next = async (type) => {
			for (;;) {
				const index = messages.findIndex((m) => m.type === type || m.type === 'error');
				if (index >= 0) {
					const [m] = messages.splice(index, 1);
					if (m.type === 'error') throw new Error(m.message);
					return m;
				}
				await new Promise((r) => waiters.push(r));
			}
		};
		await next('ready');
		const latencies = [];
		const rounds = channel === 'none' ? 20 : 50;
		for (let i = 0; i < rounds; i++) {
			const { token, hash, hint } = generateToken('personal');
			const id = crypto.randomUUID();
			await pg.db('api_tokens').insert({ id, name: 'r', kind: 'personal', hidden: false, hash, hint, scopes: '[]', origins: '[]', expires_at: new Date(Date.now() + 86_400_000), refreshable: false, user: USER, date_created: new Date(), date_updated: new Date() });
			child.send({ type: 'watch', id, token });
			await next('watching');
			// Without push, a revocation waits for the next sync: revoke at a random point of the interval.
			if (channel === 'none') await new Promise((r) => setTimeout(r, Math.random() * syncIntervalMs));
			const start = Date.now();
			await pg.db('api_tokens').where({ id }).update({ revoked_at: new Date(), date_updated: new Date() });
			const event = JSON.stringify({ type: 'revoked', tokenIds: [id], userId: USER, at: new Date().toISOString() });
			if (channel === 'redis') await redis.publish(TOKEN_EVENTS_CHANNEL, event);
			if (channel === 'postgres') await pg.db.raw('select pg_notify(?, ?)', [PG_NOTIFY_CHANNEL, event]);
			const seen = await next('revoked');
			latencies.push(seen.at - start);
		}
		child.send({ type: 'stop' });
		await new Promise((r) => child.on('exit', r));
		const label = channel === 'none' ? `polling (sync every ${syncIntervalMs} ms)` : channel === 'redis' ? 'Redis pub/sub' : 'PostgreSQL NOTIFY';
		line(`${label}: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms over ${rounds} revocations${channel === 'none' ? ` (target <= sync interval: p99/interval = ${(percentile(latencies, 99) / syncIntervalMs).toFixed(2)})` : ' (target p99 < 1000 ms)'}`);
	}
	redis?.disconnect();
	await pg.drop();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
