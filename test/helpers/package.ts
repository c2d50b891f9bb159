/**
 * The package as users get it: `npm pack` of this repository (its `prepack` builds and writes the
 * published manifest), and `npm install` of the tarball into folders of their own. Every child
 * process runs on the Node that runs the tests (22), with an environment of its own: nothing of
 * vitest's (NODE_ENV=test) or of an outer `npm test` (npm_config_*) leaks into them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PACKAGE_NAME = 'directus-extension-api-tokens';

export interface RunResult {
	code: number;
	/** stdout and stderr, interleaved as they came. */
	output: string;
	stdout: string;
}

/** PATH with the tests' Node first, so `npm` (a `#!/usr/bin/env node` script) and its scripts run on it too. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
	// The machine's own network settings stay, as a user's shell has them: without its CA bundle or
	// proxy, npm cannot reach the registry for anything its cache lacks.
	const network = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
	const keep = ['HOME', 'TMPDIR', 'LANG', 'TZ', ...network];
	const env: Record<string, string> = Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
	env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
	return { ...env, ...extra };
}

export interface RunOptions {
	cwd: string;
	env?: Record<string, string>;
	/** Killed (SIGTERM) after this long, so that a hung child never outlives its test. */
	timeoutMs?: number;
}

/** Runs a command to its end; never throws for a non-zero exit (the caller asserts on `code`). */
export function run(command: string, args: string[], { cwd, env = childEnv(), timeoutMs = 200_000 }: RunOptions): Promise<RunResult> {
	return new Promise((resolveRun, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
		let output = '';
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			stdout += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolveRun({ code: code ?? 1, output, stdout }));
	});
}

/** Like {@link run}, but a non-zero exit is an error that carries the output. Resolves stdout. */
export async function runOk(command: string, args: string[], options: RunOptions): Promise<string> {
	const result = await run(command, args, options);
	if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${result.code}:\n${result.output.slice(-4000)}`);
	return result.stdout;
}

/** `npm pack --pack-destination` of this repository, as a user's `npm pack` or `npm publish` runs it. Returns the tarball's path. */
export async function packTarball(destination: string): Promise<string> {
	mkdirSync(destination, { recursive: true });
	await runOk('npm', ['pack', '--pack-destination', destination], { cwd: ROOT });
	const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
	return join(destination, `${PACKAGE_NAME}-${version}.tgz`);
}

/** A folder with a `package.json` of its own (a user's project), where `npm install` adds dependencies. */
export function createProjectFolder(dir: string, name: string): string {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
	return dir;
}

/**
 * `npm install <specs>` the way a user would, from the registry (the cache first when it has a
 * package). A registry request that stalls is retried after 30 s instead of npm's 5 minutes.
 */
export async function npmInstall(cwd: string, specs: string[]): Promise<string> {
	return runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--fetch-timeout=30000', ...specs], { cwd, timeoutMs: 170_000 });
}

/** Paths inside the tarball, without npm's `package/` folder, sorted. */
export async function tarballFiles(tarball: string): Promise<string[]> {
	const listing = await runOk('tar', ['-tzf', tarball], { cwd: dirname(tarball) });
	return listing
		.split('\n')
		.filter((line) => line && !line.endsWith('/'))
		.map((line) => line.replace(/^package\//, ''))
		.sort();
}

/** The package.json inside the tarball: what the registry and users' installs see. */
export async function tarballManifest(tarball: string): Promise<Record<string, unknown>> {
	return JSON.parse(await runOk('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: dirname(tarball) })) as Record<string, unknown>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
		});
	});
}
