/**
 * Boots a real Directus 12 process with our built bundle and migrations on a fresh database, for
 * integration tests that talk HTTP to it. One instance per suite (`beforeAll`), stopped in `afterAll`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Knex } from 'knex';
import { directusEnv } from '../../scripts/lib/directus-env.js';
import { prepareExtensions } from '../../scripts/lib/extensions-dir.js';
import { runDirectusCommand, startDirectusServer, waitForPing } from '../../scripts/lib/directus-process.js';
import { finishFirstInstall } from '../../scripts/lib/first-install.js';
import { createTestDatabase, type DatabaseName, type TestDatabase } from './databases.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-1';

export interface DirectusInstance {
	name: DatabaseName;
	url: string;
	/** Static token of the first admin. */
	adminToken: string;
	database: TestDatabase;
	/** The test's own knex connection to Directus's database (for asserting what is stored). */
	db: Knex;
	env: Record<string, string>;
	/** Everything the server and the CLI printed so far. */
	log(): string;
	/** Runs a Directus CLI command (e.g. `database migrate:down`) against the same database. */
	cli(...args: string[]): Promise<{ code: number; output: string }>;
	stopServer(): Promise<void>;
	startServer(): Promise<void>;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
		});
	});
}

/** Only what Directus needs from our environment: vitest sets NODE_ENV=test and friends. */
function baseEnv(): Record<string, string> {
	const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
	return Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
}

export async function startDirectus(name: DatabaseName, extraEnv: Record<string, string> = {}): Promise<DirectusInstance> {
	const dataDir = mkdtempSync(join(tmpdir(), 'apitok-directus-'));
	const database = await createTestDatabase(name);
	const port = await freePort();
	const adminToken = randomBytes(24).toString('hex');
	const env = directusEnv({
		root: ROOT,
		dataDir,
		env: {
			...baseEnv(),
			...database.dbEnv,
			PORT: String(port),
			SECRET: randomBytes(32).toString('hex'),
			ADMIN_EMAIL,
			ADMIN_PASSWORD,
			ADMIN_TOKEN: adminToken,
			EXTENSIONS_PATH: join(dataDir, 'extensions'),
			LOG_LEVEL: 'info',
			LOG_STYLE: 'raw',
			RATE_LIMITER_ENABLED: 'false',
			// Several Directus processes share two cores in CI: don't let event-loop lag answer 503.
			PRESSURE_LIMITER_ENABLED: 'false',
			CACHE_ENABLED: 'false',
			...extraEnv,
		},
	});
	prepareExtensions(ROOT, env.EXTENSIONS_PATH!);

	let output = '';
	const append = (text: string) => {
		output += text;
	};
	const cli = (...args: string[]) => runDirectusCommand(args, { env, cwd: ROOT, onOutput: append });
	const boot = await cli('bootstrap');
	if (boot.code !== 0) throw new Error(`directus bootstrap failed on ${name}:\n${boot.output}`);
	const db = database.connect();
	await finishFirstInstall(db, 'personal');

	const url = `http://127.0.0.1:${port}`;
	let server: ChildProcess | undefined;

	async function startServer() {
		const child = startDirectusServer({ env, cwd: ROOT });
		child.stdout?.on('data', (chunk: Buffer) => append(chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => append(chunk.toString()));
		server = child;
		await waitForPing(url, { isAlive: () => child.exitCode === null && child.signalCode === null }).catch((error) => {
			throw new Error(`${String(error)}\n${output.slice(-4000)}`);
		});
	}

	async function stopServer() {
		const child = server;
		server = undefined;
		if (!child || child.exitCode !== null) return;
		await new Promise<void>((resolveExit) => {
			child.once('exit', () => resolveExit());
			child.kill('SIGTERM');
			setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
		});
	}

	await startServer();

	return {
		name,
		url,
		adminToken,
		database,
		db,
		env,
		log: () => output,
		cli,
		startServer,
		stopServer,
		async stop() {
			await stopServer();
			await db.destroy();
			await database.drop();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
