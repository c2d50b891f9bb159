/**
 * Boots a real Directus 12 process with our built bundle (which installs its schema at start) on a fresh database, for
 * integration tests that talk HTTP to it. One instance per suite (`beforeAll`), stopped in `afterAll`.
 * `{ sharing: other }` starts a second instance on another's database instead (a fleet of two).
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
	/** Runs a Directus CLI command (e.g. `api-tokens status`) against the same database. */
	cli(...args: string[]): Promise<{ code: number; output: string }>;
	stopServer(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
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

export interface StartOptions {
	/**
	 * Start on this instance's EXISTING database (no bootstrap), with its `SECRET` (JWTs signed by one
	 * are accepted by the other, as in a real fleet) and its admin token. Its own port, data folder and
	 * extensions folder. `stop()` leaves the database alone: stop it before the instance it shares with.
	 */
	sharing?: DirectusInstance;
	/** Runs after bootstrap, before the server starts (e.g. to set up what an older version left). */
	beforeStart?: (db: Knex) => Promise<void>;
	/** `false`: return without starting the server (call `startServer()`, e.g. for instances racing to start). */
	start?: boolean;
}

export async function startDirectus(name: DatabaseName, extraEnv: Record<string, string> = {}, { sharing, beforeStart, start = true }: StartOptions = {}): Promise<DirectusInstance> {
	if (sharing && sharing.name !== name) throw new Error(`cannot share a ${sharing.name} database as ${name}`);
	const dataDir = mkdtempSync(join(tmpdir(), 'apitok-directus-'));
	const database = sharing ? sharing.database : await createTestDatabase(name);
	const port = await freePort();
	const adminToken = sharing ? sharing.adminToken : randomBytes(24).toString('hex');
	const env = directusEnv({
		root: ROOT,
		dataDir,
		env: {
			...baseEnv(),
			...database.dbEnv,
			PORT: String(port),
			SECRET: sharing ? sharing.env.SECRET! : randomBytes(32).toString('hex'),
			ADMIN_EMAIL,
			ADMIN_PASSWORD,
			ADMIN_TOKEN: adminToken,
			EXTENSIONS_PATH: join(dataDir, 'extensions'),
			// Directus builds the app's extension bundle under TEMP_PATH (default node_modules/.directus):
			// each instance gets its own, so no two ever serve each other's build.
			TEMP_PATH: join(dataDir, 'tmp'),
			LOG_LEVEL: 'info',
			LOG_STYLE: 'raw',
			RATE_LIMITER_ENABLED: 'false',
			// Several Directus processes share two cores in CI: don't let event-loop lag answer 503.
			PRESSURE_LIMITER_ENABLED: 'false',
			CACHE_ENABLED: 'false',
			// `{port}` in a value stands for the port this instance gets (e.g. PUBLIC_URL on a test host name).
			...Object.fromEntries(Object.entries(extraEnv).map(([key, value]) => [key, value.replaceAll('{port}', String(port))])),
		},
	});
	prepareExtensions(ROOT, env.EXTENSIONS_PATH!);

	let output = '';
	const append = (text: string) => {
		output += text;
	};
	const cli = (...args: string[]) => runDirectusCommand(args, { env, cwd: ROOT, onOutput: append });
	const db = database.connect();
	if (!sharing) {
		const boot = await cli('bootstrap');
		if (boot.code !== 0) throw new Error(`directus bootstrap failed on ${name}:\n${boot.output}`);
		await finishFirstInstall(db, 'personal');
	}
	await beforeStart?.(db);

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

	/** Stops the server: gracefully (SIGTERM, in-flight requests finish), or as a crash with SIGKILL. */
	async function stopServer(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') {
		const child = server;
		server = undefined;
		if (!child || child.exitCode !== null) return;
		await new Promise<void>((resolveExit) => {
			child.once('exit', () => resolveExit());
			child.kill(signal);
			setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
		});
	}

	if (start) await startServer();

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
			if (!sharing) await database.drop();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
