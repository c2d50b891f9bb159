/**
 * Shared pieces of the load benchmarks (`bench-middleware.js`, `bench-directus.js`,
 * `bench-flood.js`): databases with the token tables, token rows, statistics, and a real
 * Directus booted the way `npm start` and the tests boot it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { createStandInUsersTable, createTokenSchema } from '../lib/core/token-tables.js';
import { generateToken } from '../lib/core/index.js';
import { directusEnv } from './lib/directus-env.js';
import { prepareExtensions } from './lib/extensions-dir.js';
import { runDirectusCommand, startDirectusServer, waitForPing } from './lib/directus-process.js';
import { finishFirstInstall } from './lib/first-install.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL;
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
export const USER = '11111111-1111-4111-8111-111111111111';

/** Counts queries and rows of a knex instance. */
function counted(db) {
	let queries = 0;
	let rows = 0;
	db.on('query', () => void (queries += 1));
	db.on('query-response', (response) => void (rows += Array.isArray(response) ? response.length : 0));
	return () => ({ queries, rows });
}

async function withTables(db) {
	await createStandInUsersTable(db, [USER]);
	await createTokenSchema(db);
}

/** In-memory SQLite with the token tables. */
export async function sqliteDatabase() {
	const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
	await withTables(db);
	return { name: 'SQLite (in memory)', db, counters: counted(db), drop: () => db.destroy() };
}

/** A fresh PostgreSQL database with the token tables, dropped by `drop()`. */
export async function postgresDatabase({ poolMax = 4 } = {}) {
	const name = `apitok_bench_${randomBytes(4).toString('hex')}`;
	const admin = knex({ client: 'pg', connection: PG_URL });
	await admin.raw(`create database "${name}"`);
	await admin.destroy();
	const url = new URL(PG_URL);
	url.pathname = `/${name}`;
	const connection = url.toString();
	const db = knex({ client: 'pg', connection, pool: { min: 1, max: poolMax } });
	await withTables(db);
	return {
		name: 'PostgreSQL',
		db,
		connection,
		counters: counted(db),
		async drop() {
			await db.destroy();
			const dropper = knex({ client: 'pg', connection: PG_URL });
			await dropper.raw(`drop database if exists "${name}" with (force)`);
			await dropper.destroy();
		},
	};
}

/** Inserts `count` live personal tokens of {@link USER}; returns the first `keep` plaintexts. */
export async function insertTokens(db, count, { keep = 1000, scopes = ['read'] } = {}) {
	const tokens = [];
	const now = new Date();
	const expires = new Date(Date.now() + 86_400_000);
	let rows = [];
	for (let i = 0; i < count; i++) {
		const { token, hash, hint } = generateToken('personal');
		if (i < keep) tokens.push(token);
		rows.push({ id: crypto.randomUUID(), name: 'bench', kind: 'personal', hidden: false, hash, hint, scopes: JSON.stringify(scopes), origins: '[]', expires_at: expires, refreshable: false, user: USER, date_created: now, date_updated: now });
		if (rows.length === 500) {
			await db.batchInsert('api_tokens', rows, 500);
			rows = [];
		}
	}
	if (rows.length) await db.batchInsert('api_tokens', rows, 500);
	return tokens;
}

export function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Bytes in use: the JavaScript heap plus ArrayBuffer contents (typed arrays live outside the heap). */
export function heapUsed() {
	globalThis.gc?.();
	globalThis.gc?.();
	const { heapUsed: heap, arrayBuffers } = process.memoryUsage();
	return heap + arrayBuffers;
}

export const fmt = (n, digits = 0) => Number(n).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export async function freePort() {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * A real Directus 12 with our built bundle on a fresh database (PostgreSQL when configured, else
 * SQLite), Redis when configured, and Directus's rate and pressure limiters off as in the tests.
 * @param {Record<string, string>} extraEnv
 */
export async function startBenchDirectus(extraEnv = {}) {
	const dataDir = mkdtempSync(join(tmpdir(), 'apitok-bench-'));
	const port = await freePort();
	const adminToken = randomBytes(24).toString('hex');
	let dbEnv = {};
	let dropDatabase = async () => {};
	if (PG_URL) {
		const name = `apitok_bench_${randomBytes(4).toString('hex')}`;
		const admin = knex({ client: 'pg', connection: PG_URL });
		await admin.raw(`create database "${name}"`);
		await admin.destroy();
		const url = new URL(PG_URL);
		dbEnv = { DB_CLIENT: 'pg', DB_HOST: url.hostname, DB_PORT: url.port || '5432', DB_USER: decodeURIComponent(url.username), DB_PASSWORD: decodeURIComponent(url.password), DB_DATABASE: name };
		dropDatabase = async () => {
			const dropper = knex({ client: 'pg', connection: PG_URL });
			await dropper.raw(`drop database if exists "${name}" with (force)`);
			await dropper.destroy();
		};
	}
	const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
	const env = directusEnv({
		root: ROOT,
		dataDir,
		env: {
			...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
			...dbEnv,
			PORT: String(port),
			SECRET: randomBytes(32).toString('hex'),
			ADMIN_EMAIL: 'admin@example.com',
			ADMIN_PASSWORD: 'admin-password-1',
			ADMIN_TOKEN: adminToken,
			EXTENSIONS_PATH: join(dataDir, 'extensions'),
			LOG_LEVEL: 'warn',
			LOG_STYLE: 'raw',
			RATE_LIMITER_ENABLED: 'false',
			PRESSURE_LIMITER_ENABLED: 'false',
			CACHE_ENABLED: 'false',
			...(REDIS_URL ? { REDIS: REDIS_URL } : {}),
			...extraEnv,
		},
	});
	prepareExtensions(ROOT, env.EXTENSIONS_PATH);
	let output = '';
	const boot = await runDirectusCommand(['bootstrap'], { env, cwd: ROOT, onOutput: (text) => (output += text) });
	if (boot.code !== 0) throw new Error(`directus bootstrap failed:\n${boot.output}`);
	const db = knex(
		env.DB_CLIENT === 'pg'
			? { client: 'pg', connection: { host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USER, password: env.DB_PASSWORD, database: env.DB_DATABASE } }
			: { client: 'sqlite3', connection: { filename: env.DB_FILENAME }, useNullAsDefault: true },
	);
	await finishFirstInstall(db, 'personal');
	const child = startDirectusServer({ env, cwd: ROOT });
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	await waitForPing(url, { isAlive: () => child.exitCode === null }).catch((error) => {
		child.kill('SIGKILL');
		throw new Error(`${error}\n${output.slice(-3000)}`);
	});
	return {
		url,
		adminToken,
		pid: child.pid,
		database: env.DB_CLIENT === 'pg' ? 'PostgreSQL' : 'SQLite',
		redis: Boolean(REDIS_URL),
		/** knex on Directus's database, for housekeeping between runs. */
		db,
		log: () => output,
		async stop() {
			if (child.exitCode === null) {
				await new Promise((resolveExit) => {
					child.once('exit', resolveExit);
					child.kill('SIGTERM');
					setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
				});
			}
			await db.destroy();
			await dropDatabase();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** JSON over fetch; throws on an unexpected status. */
export async function api(url, method, path, { token, body, expect = [200, 201, 204] } = {}) {
	const response = await fetch(new URL(path, url), {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!expect.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : null;
}

/** Runs `main` when the file is executed directly (`node scripts/bench-x.js`), not when imported. */
export function isMain(importMetaUrl) {
	return process.argv[1] && resolve(process.argv[1]) === new URL(importMetaUrl).pathname;
}
