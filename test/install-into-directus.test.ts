/**
 * Install as users do: `npm pack` of this repository, then a plain Directus 12 project folder of its
 * own (a package.json whose one dependency is the tarball, its own `.env`, `uploads/` and
 * `extensions/`), `directus bootstrap` and `directus start` run in that folder. On SQLite always, and
 * on PostgreSQL when TEST_PG_URL is set. Then: the bundle was loaded from the project's node_modules,
 * the module is in the module bar, the schema installed itself (`directus api-tokens status`), a
 * non-admin user creates a token through `/api-tokens`, and an API-service folder that installed
 * only the tarball, knex and the database driver validates it with the README's own lines.
 *
 * Directus itself is not installed from npm here: `npm install directus@12.4.0` takes about five
 * minutes on this machine's two cores (it builds native modules). The project links the Directus
 * 12.4.0 this repository has (`node_modules/directus`, a symlink added after the project's own
 * `npm install`) and runs `node node_modules/directus/cli.js …`, which is what `npx directus …` runs.
 * Our extension still reaches Directus the way users' does: Directus 12 reads the `dependencies` of
 * the package.json in its working folder (`PACKAGE_FILE_LOCATION`, `.` by default) and loads every
 * one that declares `directus:extension` from that folder's node_modules; the test checks that the
 * loaded bundle's path is the project's node_modules (GET /extensions). Only the project's
 * `npm install` of the tarball put it there: no EXTENSIONS_PATH layout, no copy.
 *
 * SQLite's API service uses better-sqlite3, which ships prebuilt binaries in its npm package
 * (installs in seconds); sqlite3 6 builds SQLite from source when it cannot download a binary
 * (about three minutes here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { spawn, type ChildProcess } from 'node:child_process';
import { waitForPing } from '../scripts/lib/directus-process.js';
import { createTestDatabase, type DatabaseName, type TestDatabase } from './helpers/databases.js';
import { request } from './helpers/http.js';
import { childEnv, createProjectFolder, freePort, npmInstall, packTarball, PACKAGE_NAME, runOk } from './helpers/package.js';
import { codeBlocks, commandWords, readmeSection } from './helpers/readme.js';

const require = createRequire(import.meta.url);
/** The Directus 12.4.0 of this repository, linked into each project (see the header). */
const DIRECTUS_PACKAGE = dirname(require.resolve('directus/package.json'));
const DIRECTUS_CLI = join('node_modules', 'directus', 'cli.js');
const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = `admin-${randomBytes(8).toString('hex')}`;

const DATABASES: DatabaseName[] = process.env.TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** "Install into your Directus": `npm install directus-extension-api-tokens` and `npx directus api-tokens status`. */
const INSTALL_LINES = codeBlocks(readmeSection('Install into your Directus'), 'sh')[0]!.split('\n');
/** "Use the validator in your API": its install command and its script. */
const VALIDATOR_SECTION = readmeSection('Use the validator in your API');
const VALIDATOR_INSTALL = commandWords(codeBlocks(VALIDATOR_SECTION, 'sh')[0]!.split('\n')[0]!);
const VALIDATOR_SCRIPT = codeBlocks(VALIDATOR_SECTION, 'js')[0]!;

function readmeLine(lines: string[], start: string): string[] {
	const line = lines.find((candidate) => candidate.startsWith(start));
	if (!line) throw new Error(`README: no line starting with "${start}"`);
	return commandWords(line);
}

/** The README's `npm install …` with the tarball for the package's name (it is not on the registry). */
function withTarball(words: string[], tarball: string): string[] {
	expect(words.slice(0, 2)).toEqual(['npm', 'install']);
	expect(words).toContain(PACKAGE_NAME);
	return words.slice(2).map((word) => (word === PACKAGE_NAME ? tarball : word));
}

/** The validator script for this database: as written for PostgreSQL; for SQLite with the README's SQLite line for `db`. */
function validatorScript(database: DatabaseName): string {
	if (database === 'postgres') return VALIDATOR_SCRIPT;
	const lines = VALIDATOR_SCRIPT.split('\n');
	const pgLine = lines.findIndex((line) => line.startsWith("const db = knex({ client: 'pg'"));
	const sqliteLine = lines.find((line) => line.startsWith('// SQLite: const db = '));
	expect(pgLine, 'README: the PostgreSQL `const db` line').toBeGreaterThan(-1);
	expect(sqliteLine, 'README: the `// SQLite: const db` line').toBeDefined();
	lines[pgLine] = sqliteLine!.slice('// SQLite: '.length);
	return lines.join('\n');
}

/** The README's driver list says `pg` for PostgreSQL and better-sqlite3 for SQLite. */
function validatorInstall(database: DatabaseName, tarball: string): string[] {
	expect(codeBlocks(VALIDATOR_SECTION, 'sh')[0]).toContain('better-sqlite3 for a SQLite Directus');
	const words = withTarball(VALIDATOR_INSTALL, tarball);
	return database === 'postgres' ? words : words.map((word) => (word === 'pg' ? 'better-sqlite3' : word));
}

/** Where the README's script finds Directus's database. */
function validatorEnv(database: TestDatabase): Record<string, string> {
	const { DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_DATABASE, DB_FILENAME } = database.dbEnv;
	if (database.name === 'sqlite') return { DIRECTUS_DB_FILE: DB_FILENAME! };
	const credentials = encodeURIComponent(DB_USER!) + (DB_PASSWORD ? `:${encodeURIComponent(DB_PASSWORD)}` : '');
	return { DIRECTUS_DB_URL: `postgres://${credentials}@${DB_HOST}:${DB_PORT}/${DB_DATABASE}` };
}

function dotEnv(values: Record<string, string>): string {
	return Object.entries(values)
		.filter(([, value]) => value !== '')
		.map(([key, value]) => `${key}=${value}\n`)
		.join('');
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolveExit) => {
		child.once('exit', () => resolveExit());
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
	});
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

describe('the packed package installed into a plain Directus 12 project', () => {
	let workDir: string;
	let tarball: string;

	beforeAll(async () => {
		workDir = mkdtempSync(join(tmpdir(), 'apitok-install-'));
		const started = Date.now();
		tarball = await packTarball(join(workDir, 'packed'));
		console.log(`install-into-directus: npm pack (with its build) took ${seconds(started)}`);
	}, 240_000);

	afterAll(() => {
		if (workDir) rmSync(workDir, { recursive: true, force: true });
	});

	describe.each(DATABASES)('on %s', (name) => {
		let database: TestDatabase;
		let project: string;
		let server: ChildProcess | undefined;
		let output = '';
		let url: string;
		let adminToken: string;

		const directusCommand = (...args: string[]) => runOk(process.execPath, [DIRECTUS_CLI, ...args], { cwd: project, timeoutMs: 120_000 });

		beforeAll(async () => {
			const started = Date.now();
			database = await createTestDatabase(name);
			project = createProjectFolder(join(workDir, `directus-${name}`), `my-directus-${name}`);
			await npmInstall(project, withTarball(readmeLine(INSTALL_LINES, 'npm install '), tarball));
			const installed = seconds(started);
			symlinkSync(DIRECTUS_PACKAGE, join(project, 'node_modules', 'directus'), 'dir');
			mkdirSync(join(project, 'uploads'));
			mkdirSync(join(project, 'extensions'));
			const port = await freePort();
			url = `http://127.0.0.1:${port}`;
			writeFileSync(
				join(project, '.env'),
				dotEnv({
					...database.dbEnv,
					SECRET: randomBytes(32).toString('hex'),
					ADMIN_EMAIL,
					ADMIN_PASSWORD,
					HOST: '127.0.0.1',
					PORT: String(port),
					PUBLIC_URL: url,
					TELEMETRY: 'false',
				}),
			);

			await directusCommand('bootstrap');
			const bootstrapped = seconds(started);
			const child = spawn(process.execPath, [DIRECTUS_CLI, 'start'], { cwd: project, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
			child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
			server = child;
			await waitForPing(url, { timeoutMs: 90_000, isAlive: () => child.exitCode === null && child.signalCode === null }).catch((error) => {
				throw new Error(`${String(error)}\n${output.slice(-4000)}`);
			});
			console.log(`install-into-directus (${name}): npm install ${installed}, bootstrap done at ${bootstrapped}, serving at ${seconds(started)}`);

			const login = await request(url, 'POST', '/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
			expect(login.status).toBe(200);
			adminToken = login.body.data.access_token;
		}, 240_000);

		afterAll(async () => {
			await stopProcess(server);
			await database?.drop();
			if (project) rmSync(project, { recursive: true, force: true });
		}, 30_000);

		it('loads the bundle from the project’s node_modules and lists its module in the module bar', async () => {
			const extensions = await request(url, 'GET', '/extensions', { token: adminToken });
			expect(extensions.status).toBe(200);
			const ours = extensions.body.data.find((extension: any) => extension.schema?.name === PACKAGE_NAME);
			expect(ours, JSON.stringify(extensions.body.data.map((extension: any) => extension.schema?.name))).toBeDefined();
			expect(ours.meta).toMatchObject({ source: 'module', enabled: true });
			expect(ours.schema.path).toBe(join(project, 'node_modules', PACKAGE_NAME));
			expect(ours.schema.entries.map((entry: any) => `${entry.type}:${entry.name}`)).toEqual(['hook:api-tokens-hook', 'endpoint:api-tokens', 'module:tokens']);

			const settings = await request(url, 'GET', '/settings', { token: adminToken });
			expect(settings.status).toBe(200);
			expect(settings.body.data.module_bar).toContainEqual({ type: 'module', id: 'tokens', enabled: true });
		});

		it('installed its schema at the start (the README’s `npx directus api-tokens status`)', async () => {
			const [npx, directus, ...args] = readmeLine(INSTALL_LINES, 'npx directus api-tokens status');
			expect([npx, directus]).toEqual(['npx', 'directus']);
			expect(await directusCommand(...args!)).toMatch(/^api-tokens: installed and up to date \(\d+ steps\)$/m);
			expect(output).toContain('api-tokens: schema installed');
		});

		it('lets a user create a token through /api-tokens that an API service with only the tarball, knex and the driver validates', async () => {
			const suffix = randomBytes(3).toString('hex');
			const policy = await request(url, 'POST', '/policies', { token: adminToken, body: { name: `API users ${suffix}`, app_access: false, admin_access: false } });
			expect(policy.status, JSON.stringify(policy.body)).toBe(200);
			const role = await request(url, 'POST', '/roles', { token: adminToken, body: { name: `API user ${suffix}`, policies: { create: [{ policy: policy.body.data.id }] } } });
			expect(role.status, JSON.stringify(role.body)).toBe(200);
			const email = `user-${suffix}@example.com`;
			const password = `pw-${randomBytes(8).toString('hex')}`;
			const user = await request(url, 'POST', '/users', { token: adminToken, body: { email, password, role: role.body.data.id } });
			expect(user.status, JSON.stringify(user.body)).toBe(200);
			const login = await request(url, 'POST', '/auth/login', { body: { email, password } });
			expect(login.status).toBe(200);

			const created = await request(url, 'POST', '/api-tokens', { token: login.body.data.access_token, body: { name: 'cli', scopes: ['read'] } });
			expect(created.status, JSON.stringify(created.body)).toBe(201);
			const token: string = created.body.token;
			expect(token).toMatch(/^dtp_/);

			const service = createProjectFolder(join(workDir, `api-service-${name}`), `api-service-${name}`);
			const started = Date.now();
			await npmInstall(service, validatorInstall(name, tarball));
			console.log(`install-into-directus (${name}): the API service's npm install ${validatorInstall(name, '<tarball>').join(' ')} took ${seconds(started)}`);
			writeFileSync(join(service, 'check-token.mjs'), validatorScript(name));
			const check = (candidate: string) =>
				runOk(process.execPath, ['check-token.mjs', candidate], { cwd: service, env: childEnv(validatorEnv(database)), timeoutMs: 60_000 }).then((out) => out.trim());

			expect(await check(token)).toBe(`valid: personal token of user ${user.body.data.id}`);
			expect(await check(randomBytes(20).toString('base64url'))).toBe('not valid: malformed');
		}, 180_000);
	});
});
