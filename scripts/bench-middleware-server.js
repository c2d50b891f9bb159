/**
 * Server process of the middleware benchmark (`bench-middleware.js`): one plain `node:http` server
 * with two routes that answer the same JSON, `/open` with no auth and `/guarded` behind our
 * `requireToken` middleware (validator on in-memory SQLite, 10,000 tokens, defaults otherwise, so
 * last-used times are tracked). Talks to the parent over IPC: `ready` (port, tokens), `cpu`.
 */
import { createServer } from 'node:http';
import { createTokenValidator, requireToken } from '../lib/validator/index.js';
import { insertTokens, sqliteDatabase } from './bench-common.js';

const database = await sqliteDatabase();
const tokens = await insertTokens(database.db, 10_000, { keep: 1_000 });
const validator = createTokenValidator({ db: database.db });
await validator.start();
const guard = requireToken(validator, { scopes: ['read'], realm: 'bench' });

const body = JSON.stringify({ ok: true });
function ok(res) {
	res.setHeader('content-type', 'application/json');
	res.end(body);
}
/** The three calls `requireToken` makes on a refusal, on a plain `ServerResponse`. */
function adapt(res) {
	return {
		status(code) {
			res.statusCode = code;
			return this;
		},
		set(headers) {
			for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
			return this;
		},
		json(payload) {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(payload));
		},
	};
}

const server = createServer((req, res) => {
	if (req.url === '/open') return ok(res);
	if (req.url === '/guarded') {
		return guard(req, adapt(res), (error) => {
			if (!error) return ok(res);
			res.statusCode = 500;
			res.end();
		});
	}
	res.statusCode = 404;
	res.end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port, tokens }));

process.on('message', async (message) => {
	if (message.type === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() });
	if (message.type === 'stop') {
		server.close();
		server.closeAllConnections();
		await validator.stop();
		await database.drop();
		process.exit(0);
	}
});
