/**
 * `npm run bench`, section 6: our token middleware in a plain HTTP server under load (autocannon),
 * against the same server's route with no auth, in one run. Both routes get the same requests
 * (`Authorization: Bearer` cycling through 1,000 valid tokens, prebuilt), so only the middleware
 * differs. The server runs in its own process; autocannon here. Reports requests/s, p99 and the
 * server's CPU time per request, with the ratio taken within alternating pairs of short runs.
 * Target: ≥ 0.8x the no-auth throughput.
 *
 * Standalone: `node_modules/.bin/node scripts/bench-middleware.js` (Node 22, after `npm run build`).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { fmt, isMain } from './bench-common.js';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 2);
const PAIRS = 10;

function startServer() {
	const child = fork(fileURLToPath(new URL('./bench-middleware-server.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const waiting = new Map();
	child.on('message', (message) => {
		waiting.get(message.type)?.resolve(message);
		waiting.delete(message.type);
	});
	child.on('exit', (code, signal) => {
		for (const { reject } of waiting.values()) reject(new Error(`benchmark server exited (${signal ?? code})`));
		waiting.clear();
	});
	const next = (type) => new Promise((resolve, reject) => waiting.set(type, { resolve, reject }));
	return {
		ready: next('ready'),
		async cpuMicros() {
			const reply = next('cpu');
			child.send({ type: 'cpu' });
			const { usage } = await reply;
			return usage.user + usage.system;
		},
		stop: () =>
			new Promise((resolve) => {
				child.once('exit', resolve);
				child.send({ type: 'stop' });
			}),
	};
}

function load(port, path, tokens, seconds) {
	return autocannon({
		url: `http://127.0.0.1:${port}${path}`,
		connections: CONNECTIONS,
		duration: seconds,
		// Prebuilt requests, one per token, cycled by each connection: no per-request work in the client.
		requests: tokens.map((token) => ({ headers: { authorization: `Bearer ${token}` } })),
	});
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const range = (values, digits = 2) => `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;

/**
 * Runs both routes in pairs (order alternating): on a shared machine load drifts between runs, and
 * the ratio within a pair cancels most of it. Each run records requests/s, p99 and server CPU.
 */
async function pairs(server, routes, count, { port, tokens }) {
	for (const route of routes) route.runs = [];
	for (let pair = 0; pair < count; pair++) {
		for (const route of pair % 2 ? [...routes].reverse() : routes) {
			const cpuBefore = await server.cpuMicros();
			const wallBefore = performance.now();
			const result = await load(port, route.path, tokens, SECONDS);
			const cpu = (await server.cpuMicros()) - cpuBefore;
			const wall = performance.now() - wallBefore;
			route.runs.push({
				rps: result.requests.total / (wall / 1000),
				p99: result.latency.p99,
				bad: result.non2xx + result.errors + result.timeouts,
				cpuPerRequest: cpu / Math.max(1, result.requests.total),
			});
		}
	}
	const [open, guarded] = routes;
	return {
		rps: open.runs.map((run, i) => guarded.runs[i].rps / run.rps),
		p99: open.runs.map((run, i) => guarded.runs[i].p99 / Math.max(1, run.p99)),
		cpu: open.runs.map((run, i) => run.cpuPerRequest / guarded.runs[i].cpuPerRequest),
	};
}

export async function middlewareBench(line) {
	line('');
	line(`## 6. token middleware in a plain HTTP server (autocannon, ${CONNECTIONS} connections, alternating pairs of ${SECONDS} s runs per route)`);
	const server = startServer();
	try {
		const { port, tokens } = await server.ready;
		const routes = [
			{ name: 'no auth', path: '/open' },
			{ name: 'requireToken (ours)', path: '/guarded' },
		];
		for (const route of routes) await load(port, route.path, tokens, 2); // warm up
		const describe = (route) =>
			`median ${fmt(median(route.runs.map((r) => r.rps))).padStart(6)} req/s, p99 ${median(route.runs.map((r) => r.p99))} ms, ` +
			`server CPU ${fmt(median(route.runs.map((r) => r.cpuPerRequest)), 1)} µs/request, ${route.runs.reduce((sum, r) => sum + r.bad, 0)} non-2xx/errors`;

		const ratios = await pairs(server, routes, PAIRS, { port, tokens });
		for (const route of routes) line(`${route.name.padEnd(20)} ${describe(route)}`);
		line(
			`ours vs no auth: ${median(ratios.rps).toFixed(2)}x the throughput (median of ${PAIRS} pairs, range ${range(ratios.rps)}; target >= 0.8x), ` +
				`p99 ${median(ratios.p99).toFixed(2)}x; server CPU per request ${median(ratios.cpu).toFixed(2)}x (no auth / ours)`,
		);
	} finally {
		await server.stop();
	}
}

if (isMain(import.meta.url)) {
	middlewareBench(console.log).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
