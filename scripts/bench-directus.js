/**
 * `npm run bench`, section 7: issuing tokens through a real Directus, against Directus's own
 * `POST /auth/refresh` (JSON mode, the refresh token in the body) on the same instance in the same
 * run: personal tokens (`POST /api-tokens` with a JWT) and app tokens (`POST /api-tokens/app` with
 * the session cookie and an allowed Origin, revoking the user's oldest beyond the app's limit, as in
 * life), and anonymous tokens (`POST /api-tokens/anonymous`: the open path, its per-IP limit counted
 * but raised out of reach; the trusted path with a service token, 200 subjects in turn, revoking each
 * subject's oldest beyond its cap). Directus's rate and pressure limiters are off, as in the tests,
 * and our per-user caps are raised; tokens made by a run are deleted before the next, so each user
 * holds few. Targets: ≥ 0.5x the refresh throughput; ≥ 1.0x for the open path, which does less.
 *
 * Standalone: `node_modules/.bin/node scripts/bench-directus.js` (Node 22, after `npm run build`).
 */
import autocannon from 'autocannon';
import { api, fmt, isMain, startBenchDirectus } from './bench-common.js';

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 3);
const PAIRS = 5;
const USERS = 20;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Directus's refresh: each answer rotates the session's refresh token, so every request takes a
 * session from the pool and puts it back with the new token. Runs end by request count, never
 * mid-flight, so no session is lost between runs.
 */
function refreshCase(sessions) {
	const pool = [...sessions];
	return {
		name: 'POST /auth/refresh (Directus)',
		baseline: true,
		requests: [
			{
				method: 'POST',
				path: '/auth/refresh',
				headers: { 'content-type': 'application/json' },
				setupRequest(request, context) {
					const session = pool.pop();
					if (!session) throw new Error('refresh benchmark: session pool empty');
					context.session = session;
					request.body = JSON.stringify({ refresh_token: session.refreshToken, mode: 'json' });
					return request;
				},
				onResponse(status, body, context) {
					const session = context.session;
					if (status === 200) session.refreshToken = JSON.parse(body).data.refresh_token;
					else session.failures = (session.failures ?? 0) + 1;
					pool.push(session);
				},
			},
		],
	};
}

/** `POST /api-tokens` as a signed-in user (their JWT), cycling through the users. */
function personalTokenCase(users) {
	return {
		name: 'POST /api-tokens (personal)',
		requests: users.map((user) => ({
			method: 'POST',
			path: '/api-tokens',
			headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'bench', scopes: ['read'] }),
		})),
	};
}

const APP_ORIGIN = 'https://www.example.com';

/** `POST /api-tokens/app` from a page of an allowed origin, with each user's session cookie. */
function appTokenCase(cookies) {
	return {
		name: 'POST /api-tokens/app (app)',
		requests: cookies.map((cookie) => ({
			method: 'POST',
			path: '/api-tokens/app',
			headers: { cookie, origin: APP_ORIGIN, 'content-type': 'application/json' },
			body: JSON.stringify({ app: 'bench' }),
		})),
	};
}

/** Signs `email` in like the Data Studio (`mode: "session"`); returns the `Cookie` header value. */
async function sessionCookie(url, email) {
	const response = await fetch(new URL('/auth/login', url), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: 'bench-password-1', mode: 'session' }),
	});
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('directus_session_token='));
	if (!cookie) throw new Error(`session login ${email}: ${response.status}`);
	return cookie.split(';')[0];
}

/** `POST /api-tokens/anonymous` with no credentials: the open path. */
function openAnonymousCase() {
	return {
		name: 'POST /api-tokens/anonymous (open)',
		target: 1,
		requests: [{ method: 'POST', path: '/api-tokens/anonymous', headers: { 'content-type': 'application/json' }, body: '{}' }],
	};
}

/** `POST /api-tokens/anonymous` by a trusted issuer (a service token), for 200 subjects in turn. */
function trustedAnonymousCase(serviceToken) {
	return {
		name: 'POST /api-tokens/anonymous (trusted)',
		requests: Array.from({ length: 200 }, (_, i) => ({
			method: 'POST',
			path: '/api-tokens/anonymous',
			headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ subject: `bench-installation-${i}` }),
		})),
	};
}

function run(directus, testCase, amount) {
	return autocannon({ url: directus.url, connections: CONNECTIONS, amount, requests: testCase.requests });
}

export async function directusBench(line) {
	line('');
	line(`## 7. token issuance through Directus vs its own POST /auth/refresh (autocannon, ${CONNECTIONS} connections, ${PAIRS} alternating pairs of ~${SECONDS} s runs)`);
	const directus = await startBenchDirectus({
		API_TOKENS_MAX_ACTIVE_PER_USER: '1000000',
		API_TOKENS_APP_ISSUE_LIMIT: '1000000/1h',
		API_TOKENS_ANONYMOUS_ISSUE_LIMIT: '1000000000/1h',
		ACCESS_TOKEN_TTL: '1h',
	});
	try {
		const admin = directus.adminToken;
		const policy = await api(directus.url, 'POST', '/policies', { token: admin, body: { name: 'Bench users', app_access: false, admin_access: false } });
		const role = await api(directus.url, 'POST', '/roles', { token: admin, body: { name: 'Bench', policies: { create: [{ policy: policy.data.id }] } } });
		const users = [];
		for (let i = 0; i < USERS; i++) {
			const email = `bench-${i}@example.com`;
			await api(directus.url, 'POST', '/users', { token: admin, body: { email, password: 'bench-password-1', role: role.data.id } });
			const login = await api(directus.url, 'POST', '/auth/login', { body: { email, password: 'bench-password-1', mode: 'json' } });
			users.push({ email, accessToken: login.data.access_token, refreshToken: login.data.refresh_token });
		}
		// Twice as many sessions as connections; each in use by one request at a time.
		const sessions = [...users];
		while (sessions.length < 2 * CONNECTIONS) {
			const login = await api(directus.url, 'POST', '/auth/login', { body: { email: users[sessions.length % USERS].email, password: 'bench-password-1', mode: 'json' } });
			sessions.push({ refreshToken: login.data.refresh_token });
		}
		await api(directus.url, 'POST', '/api-tokens/apps', { token: admin, body: { name: 'bench', origins: [APP_ORIGIN], scopes: ['read'], max_active_per_user: 5 } });
		const cookies = [];
		for (const user of users) cookies.push(await sessionCookie(directus.url, user.email));
		const issuer = await api(directus.url, 'POST', '/api-tokens', { token: admin, body: { name: 'bench bot', kind: 'service', scopes: ['anonymous:issue'], duration: null } });
		const cases = [refreshCase(sessions), personalTokenCase(users), appTokenCase(cookies), openAnonymousCase(), trustedAnonymousCase(issuer.token)];
		// Everything a run made goes, but the issuing service token.
		const clean = () =>
			directus
				.db('api_tokens')
				.whereNot({ id: issuer.info.id })
				.del()
				.then(() => directus.db('api_token_events').del());

		// Warm up and calibrate each case to ~SECONDS per run.
		for (const testCase of cases) {
			const started = performance.now();
			const result = await run(directus, testCase, 300);
			testCase.amount = Math.max(100, Math.round((result.requests.total / ((performance.now() - started) / 1000)) * SECONDS));
			testCase.runs = [];
			await clean();
		}
		for (let pair = 0; pair < PAIRS; pair++) {
			for (const testCase of pair % 2 ? [...cases].reverse() : cases) {
				const started = performance.now();
				const result = await run(directus, testCase, testCase.amount);
				const seconds = (performance.now() - started) / 1000;
				testCase.runs.push({ rps: result.requests.total / seconds, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts });
				await clean();
			}
		}
		const failures = sessions.reduce((sum, s) => sum + (s.failures ?? 0), 0);
		line(`Directus 12 on ${directus.database}${directus.redis ? ' with Redis' : ''}; rate and pressure limiters off; ${USERS} users`);
		const baseline = cases.find((c) => c.baseline);
		for (const testCase of cases) {
			const runs = testCase.runs;
			const ratios = runs.map((r, i) => r.rps / baseline.runs[i].rps);
			const p99Ratio = median(runs.map((r, i) => r.p99 / Math.max(1, baseline.runs[i].p99)));
			line(
				`${testCase.name.padEnd(36)} median ${fmt(median(runs.map((r) => r.rps))).padStart(5)} req/s, p99 ${median(runs.map((r) => r.p99))} ms, ` +
					`${runs.reduce((sum, r) => sum + r.bad, 0)} non-2xx/errors` +
					(testCase.baseline ? ' (baseline)' : `; ${median(ratios).toFixed(2)}x the baseline throughput (range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}; target >= ${(testCase.target ?? 0.5).toFixed(1)}x), p99 ${p99Ratio.toFixed(2)}x`),
			);
		}
		if (failures) line(`(${failures} refresh requests failed)`);
	} finally {
		await directus.stop();
	}
}

if (isMain(import.meta.url)) {
	directusBench(console.log).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
