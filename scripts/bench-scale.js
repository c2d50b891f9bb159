/**
 * The validator at scale (sections 5 and 9-12 of `npm run bench`): many tokens in rotation, not one
 * hot token; memory per token once every token was used; the event loop while syncing a million rows
 * on PostgreSQL; last-used times of a million tokens in one flush on each database; a mass revocation
 * seen by a polling and a pushed validator; and the plans of the sync queries. Every figure is set
 * against a baseline measured in the same run.
 */
import { hash as oneShotHash, createHash, randomUUID } from 'node:crypto';
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { TTLCache } from '@isaacs/ttlcache';
import { Redis } from 'ioredis';
import knex from 'knex';
import { createStandInUsersTable, createTokenSchema } from '../lib/core/token-tables.js';
import { createTokenValidator, redisChannel } from '../lib/validator/index.js';
import { generateToken, TOKEN_EVENTS_CHANNEL } from '../lib/core/index.js';
import { createTokenStore } from '../lib/core/token-store.js';
import { fmt, heapUsed, postgresDatabase, REDIS_URL, USER } from './bench-common.js';

const MARIADB_URL = process.env.BENCH_MARIADB_URL ?? process.env.TEST_MARIADB_URL;
const OTHER_USER = '22222222-2222-4222-8222-222222222222';
const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Rounds of section 9: each ratio is the median of theirs. */
const SCALE_ROUNDS = 5;

/**
 * Inserts `count` live personal tokens of `user`, answering every plaintext (in insertion order).
 * Ids ascend, so InnoDB appends to its primary key instead of splitting random pages (a million
 * random UUIDs took MariaDB well over ten minutes with its default 128 MB buffer pool).
 */
async function insertAll(db, count, user = USER) {
	const tokens = new Array(count);
	const ids = Array.from({ length: count }, () => randomUUID()).sort();
	const now = new Date();
	const expires = new Date(Date.now() + 86_400_000);
	let rows = [];
	for (let i = 0; i < count; i++) {
		const { token, hash, hint } = generateToken('personal');
		tokens[i] = token;
		rows.push({ id: ids[i], name: 'bench', kind: 'personal', hidden: false, hash, hint, scopes: '["read"]', origins: '[]', expires_at: expires, refreshable: false, user, date_created: now, date_updated: now });
		if (rows.length === 500) {
			await db.batchInsert('api_tokens', rows, 500);
			rows = [];
		}
	}
	if (rows.length) await db.batchInsert('api_tokens', rows, 500);
	return tokens;
}

async function sqliteDb() {
	const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
	await createStandInUsersTable(db, [USER, OTHER_USER]);
	await createTokenSchema(db);
	return { name: 'SQLite', db, drop: () => db.destroy() };
}

async function mariadbDb() {
	const url = new URL(MARIADB_URL);
	const name = `apitok_bench_${randomUUID().slice(0, 8)}`;
	const connection = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
	const admin = knex({ client: 'mysql2', connection });
	await admin.raw(`create database \`${name}\` character set utf8mb4`);
	await admin.destroy();
	const db = knex({ client: 'mysql2', connection: { ...connection, database: name }, pool: { min: 1, max: 4 } });
	await createStandInUsersTable(db, [USER, OTHER_USER]);
	await createTokenSchema(db);
	return {
		name: 'MariaDB',
		db,
		async drop() {
			await db.raw(`drop database \`${name}\``);
			await db.destroy();
		},
	};
}

async function pgDb() {
	const pg = await postgresDatabase({ poolMax: 6 });
	await pg.db('directus_users').insert({ id: OTHER_USER, status: 'active' });
	return { ...pg, name: 'PostgreSQL' };
}

/** The note's algorithm, plainly: a full load into a TTL map; a miss queries that one token. */
export function plainValidator(db) {
	const cache = new Map();
	const ttl = 120_000;
	return {
		async sync() {
			const rows = await db('api_tokens').whereNull('revoked_at').select('hash', 'user', 'scopes', 'expires_at');
			const until = Date.now() + ttl;
			for (const row of rows) cache.set(row.hash, { valid: true, row, until });
		},
		async validate(token) {
			const hash = createHash('sha256').update(String(token)).digest('hex');
			const hit = cache.get(hash);
			if (hit && hit.until > Date.now()) return hit.valid;
			const row = await db('api_tokens').where({ hash }).first();
			const valid = Boolean(row && !row.revoked_at && (!row.expires_at || Number(row.expires_at) > Date.now()));
			cache.set(hash, { valid, row, until: Date.now() + ttl });
			return valid;
		},
		clear: () => cache.clear(),
	};
}

/**
 * The same algorithm as jsDelivr runs it in its API services: two TTL caches (valid and invalid
 * hashes, two minutes each) replaced whole by each sync; per request a SHA-256, both caches, the
 * token's allowed origins, and the once-a-day last-used check (a date compared as text). Rows are
 * read as they would be loaded, origins parsed from JSON. Measured in steady state: every token was
 * already used today, so no request writes.
 */
export function anchorValidator(db) {
	const ttl = 120_000;
	let valid = new TTLCache({ ttl });
	let invalid = new TTLCache({ ttl });
	const loaded = (row) => ({ user: row.user, hash: row.hash, expiresAt: row.expires_at, origins: row.origins ? JSON.parse(row.origins) : [], lastUsed: new Date() });
	const startOfToday = () => new Date(new Date().setHours(0, 0, 0, 0));
	const expired = (token) => token.expiresAt !== null && new Date(token.expiresAt) < startOfToday();
	// Awaited on every request, as there: it writes only on a token's first use of the day.
	const noteUse = async (token) => {
		if (token.lastUsed.toDateString() === new Date().toDateString()) return;
		token.lastUsed = new Date();
		await db('api_tokens').where({ hash: token.hash }).update({ last_used_at: token.lastUsed });
	};
	return {
		async sync() {
			const rows = await db('api_tokens').whereNull('revoked_at').select('user', 'hash', 'expires_at', 'origins');
			const nextValid = new TTLCache({ ttl });
			const nextInvalid = new TTLCache({ ttl });
			for (const row of rows) {
				const token = loaded(row);
				if (expired(token)) nextInvalid.set(token.hash, true);
				else nextValid.set(token.hash, token);
			}
			// The replaced caches are emptied here (there they are dropped): a TTL cache's timers keep it,
			// and a million entries, alive for two more minutes, which would weigh on what runs next.
			valid.clear();
			invalid.clear();
			valid = nextValid;
			invalid = nextInvalid;
		},
		async validate(plaintext, origin = 'https://www.example.com') {
			const hash = createHash('sha256').update(String(plaintext)).digest('hex');
			if (invalid.get(hash)) return null;
			let token = valid.get(hash);
			if (!token) {
				const row = await db('api_tokens').whereNull('revoked_at').where({ hash }).first();
				if (!row || expired(loaded(row))) {
					invalid.set(hash, true);
					return null;
				}
				token = loaded(row);
				valid.set(hash, token);
			}
			if (token.origins.length > 0 && !token.origins.includes(origin)) return null;
			await noteUse(token);
			return token.user;
		},
		clear() {
			valid.clear();
			invalid.clear();
		},
	};
}

/** ns per awaited call of `fn(token)` over the tokens `order` picks, after a warm-up pass. */
async function nsPerCall(fn, tokens, order) {
	const warm = Math.min(order.length, 50_000);
	for (let i = 0; i < warm; i++) await fn(tokens[order[i]]);
	const start = process.hrtime.bigint();
	for (let i = 0; i < order.length; i++) await fn(tokens[order[i]]);
	return Number(process.hrtime.bigint() - start) / order.length;
}

/** `count` draws of token indexes: each in turn, or Zipf-like (s = 1: the k-th most used token k times rarer than the first). */
function workload(kind, n, count) {
	const order = new Uint32Array(count);
	if (kind === 'round-robin') {
		for (let i = 0; i < count; i++) order[i] = i % n;
		return order;
	}
	const cumulative = new Float64Array(n);
	let sum = 0;
	for (let k = 0; k < n; k++) cumulative[k] = sum += 1 / (k + 1);
	// Ranks spread over the table, so the hottest tokens are not neighbours in memory.
	const stride = 7_919;
	for (let i = 0; i < count; i++) {
		const target = Math.random() * sum;
		let lo = 0;
		let hi = n - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (cumulative[mid] < target) lo = mid + 1;
			else hi = mid;
		}
		order[i] = (lo * stride) % n;
	}
	return order;
}

/** 9 and 5: many tokens in rotation at 100k and 1M, against the floor and the plain algorithm; then memory at the largest size. */
export async function manyTokensBench(line, sizes) {
	line('');
	line('## 9. many tokens in rotation (ns per cached validation, awaited; lower is better)');
	line('floor: one SHA-256 and one Map.get over the same tokens (the faster of a hex and a binary key); anchor: the note\'s algorithm as jsDelivr runs it; plain: the same algorithm pared to a Map and a SHA-256; memo off: hashMemoSize 0');
	line(`${SCALE_ROUNDS} rounds of every variant (alternate rounds in reverse order): median ns, and the median of each round's ratio`);
	const sqlite = await sqliteDb();
	const tokens = [];
	let memoryLine = '';
	for (const size of sizes) {
		for (const token of await insertAll(sqlite.db, size - tokens.length)) tokens.push(token);
		const floorHex = new Map(tokens.map((t) => [oneShotHash('sha256', t, 'hex'), { ok: true }]));
		const floorBin = new Map(tokens.map((t) => [oneShotHash('sha256', t, 'latin1'), { ok: true }]));
		const plain = plainValidator(sqlite.db);
		await plain.sync();
		const anchor = anchorValidator(sqlite.db);
		await anchor.sync();
		const ours = createTokenValidator({ db: sqlite.db, trackLastUsed: true });
		await ours.sync({ full: true });
		const memoOff = createTokenValidator({ db: sqlite.db, trackLastUsed: true, hashMemoSize: 0 });
		await memoOff.sync({ full: true });
		// As a service would, every validator syncs once a minute: cached answers are trusted for two
		// minutes, and the rounds at a million tokens take longer than that.
		let syncedAt = Date.now();
		const syncIfDue = async () => {
			if (Date.now() - syncedAt < 60_000) return;
			await Promise.all([plain.sync(), anchor.sync(), ours.sync(), memoOff.sync()]);
			syncedAt = Date.now();
		};
		const calls = Math.max(300_000, size);
		for (const kind of ['round-robin', 'zipf']) {
			const order = workload(kind, size, calls);
			const variants = {
				floorHex: async (t) => floorHex.get(oneShotHash('sha256', t, 'hex')),
				floorBin: async (t) => floorBin.get(oneShotHash('sha256', t, 'latin1')),
				anchor: (t) => anchor.validate(t),
				plain: (t) => plain.validate(t),
				ours: (t) => ours.validate(t, { scopes: ['read'] }),
				off: (t) => memoOff.validate(t, { scopes: ['read'] }),
			};
			// Rounds of every variant, in one order and then the reverse; each ratio is the median of the
			// rounds' ratios, so a pass the garbage collector or a busy neighbour slowed does not decide it.
			const rounds = [];
			for (let round = 0; round < SCALE_ROUNDS; round++) {
				const names = round % 2 === 0 ? Object.keys(variants) : Object.keys(variants).reverse();
				const ns = {};
				for (const name of names) {
					await syncIfDue();
					ns[name] = await nsPerCall(variants[name], tokens, order);
				}
				rounds.push({ ...ns, floor: Math.min(ns.floorHex, ns.floorBin) });
			}
			const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
			const ns = (name) => median(rounds.map((r) => r[name]));
			const ratio = (top, bottom) => median(rounds.map((r) => r[top] / r[bottom]));
			line(
				`${fmt(size)} tokens, ${kind.padEnd(11)}: floor ${fmt(ns('floor'))} ns, anchor ${fmt(ns('anchor'))} ns, plain ${fmt(ns('plain'))} ns, ours ${fmt(ns('ours'))} ns (memo off ${fmt(ns('off'))} ns)` +
					` | ours/floor ${ratio('ours', 'floor').toFixed(2)}x (target <= 1.5x), anchor/ours ${ratio('anchor', 'ours').toFixed(1)}x (target >= 5x), plain/ours ${ratio('plain', 'ours').toFixed(1)}x, memo on/off ${ratio('ours', 'off').toFixed(2)}x (target <= 1)`,
			);
		}
		anchor.clear();
		plain.clear();
		await memoOff.stop();
		await ours.stop();
		if (size === sizes[sizes.length - 1]) memoryLine = await memoryFigures(sqlite.db, tokens);
	}
	line('');
	line(`## 5. memory at ${fmt(tokens.length)} cached tokens (heap per token; target <= 300 B in steady state)`);
	line(memoryLine);
	line('');
	line('## 11. last-used times of every cached token, in one flush (window: 60 s)');
	line(await flushFigure(sqlite, tokens));
	await sqlite.drop();
}

async function memoryFigures(db, tokens) {
	const empty = heapUsed();
	const validator = createTokenValidator({ db, trackLastUsed: true });
	const started = Date.now();
	await validator.sync({ full: true });
	const syncMs = Date.now() - started;
	const loaded = heapUsed();
	for (const token of tokens) await validator.validate(token);
	const used = heapUsed();
	await validator.stop();
	const per = (bytes) => `${fmt(bytes / tokens.length)} B`;
	return `full sync ${fmt(syncMs)} ms (SQLite in memory); after the load ${per(loaded - empty)}; after every token was used once (answers built, uses pending) ${per(used - empty)}`;
}

/** Every token used once, then one flush: how long, in how many statements, and whether all were written. */
async function flushFigure(database, tokens) {
	const { db } = database;
	const validator = createTokenValidator({ db, trackLastUsed: true, lastUsedFlushMs: 60_000 });
	await validator.sync({ full: true });
	for (const token of tokens) validator.validateNow(token);
	let statements = 0;
	const count = (query) => void (/^update/i.test(query.sql) && (statements += 1));
	db.on('query', count);
	const started = Date.now();
	await validator.flushLastUsed();
	const ms = Date.now() - started;
	db.off('query', count);
	const written = Number((await db('api_tokens').whereNotNull('last_used_at').count({ n: '*' }).first()).n);
	await validator.stop();
	return `${database.name}: ${fmt(tokens.length)} tokens used once, one flush: ${fmt(ms)} ms in ${statements} statements, ${fmt(written)} rows written (${written === tokens.length ? 'all' : 'NOT ALL'}; ${(ms / 60_000).toFixed(3)} of the window)`;
}

/** Samples the event loop and the validations a request would make while `work` runs. */
async function underLoad(validator, tokens, work) {
	const delay = monitorEventLoopDelay({ resolution: 1 });
	// A histogram, not an array: an array of millions of samples grows by copying, and the copies
	// held the event loop 50 ms by themselves.
	const latencies = createHistogram();
	let running = true;
	const ticker = (async () => {
		let i = 0;
		while (running) {
			for (let j = 0; j < 20; j++) {
				const token = tokens[i++ % tokens.length];
				const t0 = process.hrtime.bigint();
				validator.validateNow(token, { scopes: ['read'] });
				latencies.record(Math.max(1, Number(process.hrtime.bigint() - t0)));
			}
			await tick();
		}
	})();
	delay.enable();
	const started = Date.now();
	await work();
	const ms = Date.now() - started;
	delay.disable();
	running = false;
	await ticker;
	return { ms, maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6, p99Ns: latencies.percentile(99) };
}

/**
 * 10: the event loop and cached validations while a validator syncs `tokens` (already in `db`):
 * idle for 3 s, `fullSyncs` full syncs paced as by default, 20 incremental ones, then (another validator) as many full syncs flat out (`fullSyncShare: 1`, the baseline).
 */
export async function syncStallBench(line, db, tokens, fullSyncs = 3) {
	const paced = createTokenValidator({ db, trackLastUsed: false });
	const flatOut = createTokenValidator({ db, trackLastUsed: false, fullSyncShare: 1 });
	await paced.sync({ full: true });
	const heapLoaded = heapUsed();
	const sample = tokens.slice(0, 10_000);
	const idle = await underLoad(paced, sample, () => new Promise((resolve) => setTimeout(resolve, 3_000)));
	const fulls = [];
	for (let run = 0; run < fullSyncs; run++) fulls.push(await underLoad(paced, sample, () => paced.sync({ full: true })));
	const heapAfter = heapUsed();
	// Twenty in a row, each after 100 rows changed: one lasts milliseconds, too few samples for a p99.
	const incremental = await underLoad(paced, sample, async () => {
		for (let run = 0; run < 20; run++) {
			await touchSome(db, 100);
			await paced.sync();
		}
	});
	await paced.stop();
	await flatOut.sync({ full: true });
	const flatOuts = [];
	for (let run = 0; run < fullSyncs; run++) flatOuts.push(await underLoad(flatOut, sample, () => flatOut.sync({ full: true })));
	await flatOut.stop();
	const show = (label, m) => `${label}: ${fmt(m.ms)} ms, event loop blocked at most ${m.maxDelayMs.toFixed(1)} ms (p99 ${m.p99DelayMs.toFixed(1)} ms; target <= 50 ms), validation p99 ${fmt(m.p99Ns)} ns`;
	line(show('idle (3 s)', idle));
	for (const [run, full] of fulls.entries()) line(`${show(`full sync ${run + 1} of ${fullSyncs}, paced (default)`, full)} (${(full.p99Ns / idle.p99Ns).toFixed(2)}x idle; target <= 2x)`);
	for (const [run, full] of flatOuts.entries()) line(`${show(`full sync ${run + 1} of ${fullSyncs}, flat out (fullSyncShare 1)`, full)} (${(full.p99Ns / idle.p99Ns).toFixed(2)}x idle)`);
	line(`${show('20 incremental syncs (100 changed before each)', incremental)} (${(incremental.p99Ns / idle.p99Ns).toFixed(2)}x idle)`);
	line(`heap after the first load ${fmt(heapLoaded / 1e6)} MB, after ${fullSyncs} more full syncs ${fmt(heapAfter / 1e6)} MB (a replaced generation is let go; target: no growth)`);
}

/** 10 and 12: PostgreSQL at 1M tokens: the event loop during syncs, a flush, a mass revocation; the sync plans. */
export async function postgresScaleBench(line, size) {
	line('');
	line(`## 10. syncing ${fmt(size)} tokens on PostgreSQL: the event loop and cached validations meanwhile`);
	const pg = await pgDb();
	const tokens = await insertAll(pg.db, size);
	await syncStallBench(line, pg.db, tokens);

	line('');
	line('## 11. last-used times of every cached token, in one flush (window: 60 s), continued');
	line(await flushFigure(pg, tokens));
	if (MARIADB_URL) {
		const maria = await mariadbDb();
		const mariaTokens = await insertAll(maria.db, size);
		line(await flushFigure(maria, mariaTokens));
		await planFigures(line, maria);
		await maria.drop();
	} else line('(MariaDB: set BENCH_MARIADB_URL or TEST_MARIADB_URL)');
	await planFigures(line, pg);
	await massRevocation(line, pg);
	await pg.drop();
}

/** The plans of the queries a full and an incremental sync send (the first of each kind). */
async function planFigures(line, database) {
	const { db, name } = database;
	const seen = [];
	const capture = (query) => {
		if (/^select/i.test(query.sql) && /api_tokens/.test(query.sql) && !/count\(/i.test(query.sql)) seen.push(query);
	};
	const validator = createTokenValidator({ db, trackLastUsed: false });
	db.on('query', capture);
	await validator.sync({ full: true });
	const fullQuery = seen[0];
	seen.length = 0;
	await touchSome(db, 3);
	await validator.sync();
	const changedQuery = seen.find((q) => /date_updated/.test(q.sql));
	db.off('query', capture);
	await validator.stop();
	// Plans as a live database would have them: with the statistics autovacuum or ANALYZE keeps.
	await db.raw(name === 'PostgreSQL' ? 'analyze api_tokens' : 'analyze table api_tokens');
	line('');
	line(`## 12. sync query plans on ${name}`);
	for (const [label, query] of [['full sync page', fullQuery], ['incremental sync page', changedQuery]]) {
		if (!query) continue;
		const sql = query.sql.replace(/\$\d+/g, '?');
		const result = await db.raw(`explain ${sql}`, query.bindings);
		const rows = name === 'PostgreSQL' ? result.rows.map((r) => r['QUERY PLAN']) : result[0].map((r) => `${r.table}: type ${r.type}, key ${r.key}, rows ${r.rows}, ${r.Extra ?? ''}`);
		line(`${label}:`);
		for (const row of rows) line(`    ${row}`);
	}
}

/** 100,000 tokens of one user revoked in one statement: when a polling and a pushed validator refuse them all. */
async function massRevocation(line, pg) {
	const count = 100_000;
	const syncIntervalMs = 2_000;
	line('');
	line(`## 13. a mass revocation (${fmt(count)} tokens of one user, one call) beside ${fmt(await countRows(pg.db))} other tokens`);
	const tokens = await insertAll(pg.db, count, OTHER_USER);
	const polling = createTokenValidator({ db: pg.db, trackLastUsed: false, syncIntervalMs, fullSyncEvery: 1_000 });
	await polling.start();
	const redis = REDIS_URL ? new Redis(REDIS_URL) : null;
	const pushed = REDIS_URL ? createTokenValidator({ db: pg.db, trackLastUsed: false, syncIntervalMs: 3_600_000, channel: redisChannel(REDIS_URL) }) : null;
	await pushed?.start();
	for (let i = 0; pushed && !pushed.status().channelUp && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
	const allRefused = (validator) => tokens.every((token) => validator.validateNow(token)?.valid !== true);
	const store = createTokenStore(pg.db);
	const started = Date.now();
	const ids = await store.revokeAllForUser(OTHER_USER);
	const revokedMs = Date.now() - started;
	const publishedAt = Date.now();
	await redis?.publish(TOKEN_EVENTS_CHANNEL, JSON.stringify({ type: 'reset', tokenIds: ids, userId: OTHER_USER, actor: null, at: new Date().toISOString() }));
	const waitFor = async (validator) => {
		while (!allRefused(validator)) await new Promise((r) => setTimeout(r, 5));
		return Date.now() - publishedAt;
	};
	const [pushMs, pollMs] = await Promise.all([pushed ? waitFor(pushed) : null, waitFor(polling)]);
	line(`revoked in the database in ${fmt(revokedMs)} ms; every one refused by a polling validator (sync every ${syncIntervalMs / 1000} s) after ${fmt(pollMs)} ms (target <= one interval + one sync)` + (pushMs !== null ? `, by a Redis-pushed one after ${fmt(pushMs)} ms (target < 1,000 ms)` : ''));
	await polling.stop();
	await pushed?.stop();
	redis?.disconnect();
}

/** Marks `count` tokens changed now (MariaDB takes no LIMIT in a subquery: two statements). */
async function touchSome(db, count) {
	const ids = (await db('api_tokens').select('id').limit(count)).map((row) => row.id);
	await db('api_tokens').whereIn('id', ids).update({ date_updated: new Date() });
}

async function countRows(db) {
	return Number((await db('api_tokens').count({ n: '*' }).first()).n);
}

// `npm run bench:scale`: these sections alone, as `npm run bench` runs them (BENCH_TOKENS sets the largest size).
// `BENCH_ONLY=sync-stall`: section 10 alone, with five full syncs (PostgreSQL).
if (import.meta.url === `file://${process.argv[1]}`) {
	const size = Number(process.env.BENCH_TOKENS ?? 1_000_000);
	const line = (text) => console.log(text);
	if (process.env.BENCH_ONLY === 'sync-stall') {
		line(`## 10. syncing ${fmt(size)} tokens on PostgreSQL: the event loop and cached validations meanwhile`);
		const pg = await pgDb();
		await syncStallBench(line, pg.db, await insertAll(pg.db, size), 5);
		await pg.drop();
		process.exit(0);
	}
	await manyTokensBench(line, [...new Set([Math.min(100_000, size), size])]);
	if (process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL) await postgresScaleBench(line, size);
	else line('\n(sections 10-13: set BENCH_PG_URL or TEST_PG_URL)');
	process.exit(0);
}
