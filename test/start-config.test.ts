/**
 * `npm start` refuses bad configuration at once with one line on stderr, never a stack trace, and
 * before touching any database.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/directus.js';

function start(env: Record<string, string>) {
	const dataDir = mkdtempSync(join(tmpdir(), 'apitok-start-'));
	try {
		const result = spawnSync(process.execPath, [join(ROOT, 'scripts/start.js')], {
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, EXTENSIONS_PATH: join(dataDir, 'extensions'), ...env },
			encoding: 'utf8',
			timeout: 30_000,
		});
		return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

describe('npm start with bad configuration', () => {
	it.each([
		[{ DB_CLIENT: 'oracledb' }, /^npm start: Unsupported DB_CLIENT "oracledb": use one of sqlite3, pg, mysql\.$/],
		[{ DB_CLIENT: 'pg', DB_HOST: '127.0.0.1', DB_PORT: '1', DB_DATABASE: 'x', DB_USER: 'postgres' }, /^npm start: Cannot use PostgreSQL postgres@127\.0\.0\.1:1\/x: .*ECONNREFUSED/],
		[{ DB_CLIENT: 'mysql', DB_HOST: '127.0.0.1', DB_PORT: '1', DB_DATABASE: 'x', DB_USER: 'root' }, /^npm start: Cannot use MySQL\/MariaDB root@127\.0\.0\.1:1\/x: .*ECONNREFUSED/],
		[{ DB_CLIENT: 'pg', DB_HOST: '127.0.0.1' }, /^npm start: DB_DATABASE is required when DB_CLIENT=pg\.$/],
		[{ NODE_ENV: 'production' }, /^npm start: SECRET is required when NODE_ENV=production/],
		[{ API_TOKENS_MAX_TTL_APP: 'soon' }, /^npm start: API_TOKENS_MAX_TTL_APP: "soon" is not a duration/],
	])('%o fails fast with one line', (env, message) => {
		const { code, stderr } = start(env);
		expect(code).toBe(1);
		expect(stderr).toMatch(message);
		expect(stderr.split('\n')).toHaveLength(1);
		expect(stderr).not.toMatch(/\n\s+at /);
	});
});
