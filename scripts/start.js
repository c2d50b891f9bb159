#!/usr/bin/env node
/**
 * `npm start`: a real Directus 12 with our bundle, on SQLite under ./data unless DB_* say otherwise.
 * Bootstraps (installs or migrates) the database, creates the first admin, then serves.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { assertNode22 } from './lib/node-version.js';
import { StartupError } from './lib/startup-error.js';
import { directusEnv } from './lib/directus-env.js';
import { describeDatabase } from './lib/database-env.js';
import { probeDatabase, withDatabase } from './lib/probe-database.js';
import { prepareExtensions } from './lib/extensions-dir.js';
import { generatePassword } from './lib/secret.js';
import { finishFirstInstall } from './lib/first-install.js';
import { runDirectusCommand, startDirectusServer, waitForPing } from './lib/directus-process.js';
import { loadTokenConfig } from '../lib/core/config.js';
import { ConfigError } from '../lib/core/errors.js';
import { registerDemoApp, startDemoServer } from '../demo/server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
	assertNode22();
	const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
	mkdirSync(join(dataDir, 'uploads'), { recursive: true });
	const env = directusEnv({ root, dataDir, env: process.env });
	loadTokenConfig(env); // the bundle reads the same variables: refuse to start with a bad one
	prepareExtensions(root, env.EXTENSIONS_PATH ?? join(root, 'extensions'));

	const { installed } = await probeDatabase(env);
	let generatedPassword;
	if (!installed && !env.ADMIN_PASSWORD) env.ADMIN_PASSWORD = generatedPassword = generatePassword();

	console.log(`${installed ? 'Migrating' : 'Installing'} ${describeDatabase(env)} …`);
	const bootstrap = await runDirectusCommand(['bootstrap'], { env, cwd: root });
	if (bootstrap.code !== 0) {
		process.stderr.write(bootstrap.output);
		throw new StartupError('Directus bootstrap failed (its output is above).');
	}
	if (!installed) {
		await withDatabase(env, (db) => finishFirstInstall(db, env.PROJECT_USAGE ?? 'personal'));
	}

	const server = startDirectusServer({ env, cwd: root, stdio: 'inherit' });
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => server.kill(signal));
	server.on('exit', (code) => process.exit(code ?? 0));
	const localHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
	await waitForPing(`http://${localHost}:${env.PORT}`, { isAlive: () => server.exitCode === null });

	const demo = await startDemo(env, localHost).catch((error) => {
		console.warn(`npm start: the demo website did not start: ${error instanceof Error ? error.message : String(error)}`);
		return null;
	});

	console.log(`\nDirectus with API tokens: ${env.PUBLIC_URL}/admin`);
	if (demo) console.log(`Demo website (sign in to the dashboard first): ${demo}`);
	if (generatedPassword) {
		console.log(`Admin (shown once): ${env.ADMIN_EMAIL} / ${generatedPassword}\n`);
	} else if (!installed) {
		console.log(`Admin: ${env.ADMIN_EMAIL} (password from ADMIN_PASSWORD)\n`);
	} else {
		console.log(`Admin: ${env.ADMIN_EMAIL} (created on the first start)\n`);
	}
}

/**
 * The demo website on a second origin (DEMO_PORT, default 8056; DEMO=false turns it off), with its
 * app registered so its pages may mint app tokens. Returns its URL.
 * @param {Record<string, string>} env
 * @param {string} localHost
 */
async function startDemo(env, localHost) {
	if (env.DEMO === 'false') return null;
	const port = Number(env.DEMO_PORT ?? 8056);
	const url = (env.DEMO_PUBLIC_URL ?? `http://${localHost}:${port}`).replace(/\/+$/, '');
	await withDatabase(env, (db) => registerDemoApp(db, new URL(url).origin));
	await startDemoServer({ port, host: env.HOST, dashboardUrl: env.PUBLIC_URL, dbEnv: env, redisUrl: env.REDIS });
	return url;
}

main().catch((error) => {
	if (error instanceof StartupError || error instanceof ConfigError) {
		console.error(`npm start: ${error.message}`);
	} else {
		console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
	}
	process.exit(1);
});
