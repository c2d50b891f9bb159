/**
 * The demo website: a second origin next to the dashboard that uses the browser helper
 * (`directus-extension-api-tokens/client`) to get an app token from the dashboard session, and a
 * sample API on the same origin protected by the validator (`…/validator`). `npm start` runs it on
 * DEMO_PORT; the browser tests run it on a sibling subdomain of the dashboard.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize } from 'node:path';
import knex from 'knex';
import { authenticate, createTokenValidator, postgresChannel, redisChannel } from '../lib/validator/index.js';
import { knexConfig } from '../scripts/lib/database-env.js';

const here = dirname(fileURLToPath(import.meta.url));
const clientDir = join(here, '..', 'lib', 'client');

/** Scope the sample API needs; the demo app is registered with it. */
export const DEMO_SCOPE = 'read';
export const DEMO_APP = 'demo';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * Registers (or updates) the demo app so pages of `origin` may mint its tokens.
 * @param {import('knex').Knex} db
 * @param {string} origin
 */
export async function registerDemoApp(db, origin) {
	const row = { origins: JSON.stringify([origin]), scopes: JSON.stringify([DEMO_SCOPE]), ttl: 86_400, max_active_per_user: 5, enabled: true, date_updated: new Date() };
	const existing = await db('api_token_apps').where({ name: DEMO_APP }).first();
	if (existing) await db('api_token_apps').where({ id: existing.id }).update(row);
	else await db('api_token_apps').insert({ id: crypto.randomUUID(), name: DEMO_APP, ...row, date_created: new Date() });
}

/**
 * @param {{ port: number, host?: string, dashboardUrl: string, dbEnv: Record<string, string>, redisUrl?: string, logger?: { warn(message: string): void } }} options
 * @returns {Promise<{ url: string, port: number, validator: import('../lib/validator/index.js').TokenValidator, close(): Promise<void> }>}
 */
export async function startDemoServer({ port, host = '127.0.0.1', dashboardUrl, dbEnv, redisUrl, logger = console }) {
	const db = knex({ ...knexConfig(dbEnv), pool: { min: 0, max: 2 } });
	const channel = redisUrl ? redisChannel(redisUrl, logger) : dbEnv.DB_CLIENT === 'pg' ? postgresChannel(db, logger) : undefined;
	const validator = createTokenValidator({ db, channel, logger });
	await validator.start();
	const config = JSON.stringify({ dashboardUrl: dashboardUrl.replace(/\/+$/, ''), app: DEMO_APP });

	async function sendFile(res, path, replace) {
		const text = await readFile(path, 'utf8');
		const type = TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
		res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(replace ? replace(text) : text);
	}

	async function sampleApi(req, res) {
		// The token is bound to this page's origin: the validator checks the Origin the browser sent.
		const outcome = await authenticate(validator, req.headers, { scopes: [DEMO_SCOPE], origin: req.headers.origin ?? null, realm: 'demo' });
		if (!outcome.ok) {
			res.writeHead(outcome.status, { 'content-type': 'application/json', ...outcome.headers }).end(JSON.stringify(outcome.body));
			return;
		}
		const { id, kind, scopes, userId, expiresAt } = outcome.token;
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Hello from the sample API', token: { id, kind, scopes, userId, expiresAt } }));
	}

	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://demo').pathname;
		let work;
		if (path === '/' && req.method === 'GET') work = sendFile(res, join(here, 'index.html'), (html) => html.replace('__DEMO_CONFIG__', config.replaceAll('<', '\\u003c')));
		else if (path === '/demo.js' || path === '/demo.css') work = sendFile(res, join(here, path.slice(1)));
		else if (path.startsWith('/client/') && path.endsWith('.js') && normalize(path) === path) work = sendFile(res, join(clientDir, path.slice('/client/'.length)));
		else if (path === '/api/hello' && req.method === 'POST') work = sampleApi(req, res);
		else work = Promise.resolve(void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found'));
		work.catch((error) => {
			logger.warn(`demo: ${error instanceof Error ? error.message : String(error)}`);
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
			res.end('Demo server error');
		});
	});
	await new Promise((resolveListen, reject) => server.once('error', reject).listen(port, host, () => resolveListen(undefined)));
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	return {
		url: `http://${host}:${actualPort}`,
		port: actualPort,
		validator,
		async close() {
			await new Promise((resolveClose) => server.close(() => resolveClose(undefined)));
			server.closeAllConnections?.();
			await validator.stop();
			await db.destroy();
		},
	};
}
