/**
 * Anonymous tokens over HTTP against a real Directus, on SQLite, PostgreSQL and MariaDB: the open
 * path limited per client IP and per IPv6 /64 (in Redis where Directus has `REDIS`), the trusted
 * path for service tokens with `anonymous:issue` and its per-subject cap under 100 concurrent
 * requests, bad input, refresh, introspection, the admin listing, and an API service in a second
 * process that rate-limits two anonymous tokens from one IP separately and hears a revocation by
 * subject pushed (Redis pub/sub or PostgreSQL NOTIFY) within a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { clientKey } from '../src/validator/client-key.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { dumpDatabase } from './helpers/dump.js';
import { responseSchema, schemaErrors } from './helpers/openapi-check.js';
import { codeBlocks, readmeSection } from './helpers/readme.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const redisUrl = process.env.TEST_REDIS_URL;
const ISSUE_LIMIT = 3;
const PER_SUBJECT = 2;
const WWW = 'https://www.example.com';

const setups = [
	{ database: 'sqlite' as const, redis: Boolean(redisUrl) },
	...(process.env.TEST_PG_URL ? [{ database: 'postgres' as const, redis: false }] : []),
	...(process.env.TEST_MARIADB_URL ? [{ database: 'mariadb' as const, redis: Boolean(redisUrl) }] : []),
];

/** Addresses no other run used: Redis keeps issue counters for an hour across test runs. */
const randomIPv4 = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const randomIPv6Net = () => `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}`;

describe.each(setups)('anonymous tokens on $database (issue limits in Redis: $redis)', ({ database, redis }) => {
	let directus: DirectusInstance;
	let alice: TestUser;
	/** A service token holding anonymous:issue and introspect, as a chat bot's backend has. */
	let botToken: string;
	let botTokenId: string;
	let service: ChildProcess | undefined;
	let serviceUrl: string;
	/** Whether token events reach other processes as they happen (Redis pub/sub or NOTIFY). */
	const pushed = redis || database === 'postgres';

	const issueOpen = (ip: string, { body = '{}', headers = {} }: { body?: string; headers?: Record<string, string> } = {}) =>
		request(directus.url, 'POST', '/api-tokens/anonymous', { body, headers: { 'x-forwarded-for': ip, ...headers } });
	const issueTrusted = (body: Record<string, unknown>, token = botToken) => request(directus.url, 'POST', '/api-tokens/anonymous', { token, body });
	const rowCount = async () => Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n);
	const introspect = (token: string) => request(directus.url, 'POST', '/api-tokens/introspect', { token: botToken, body: { token } });
	let openapi: Parameters<typeof responseSchema>[0];
	/** The answer is the one `GET /api-tokens/openapi.json` documents. */
	function conforms(response: { status: number; body: unknown }, path: string, method = 'post') {
		const schema = responseSchema(openapi, path, method, response.status);
		expect(schema, `${method} ${path} ${response.status} is documented`).not.toBeNull();
		expect(schemaErrors(openapi, schema!, response.body)).toEqual([]);
	}
	const measure = (token: string) => fetch(`${serviceUrl}/v1/measure`, { headers: { authorization: `Bearer ${token}` } });

	beforeAll(async () => {
		directus = await startDirectus(database, {
			API_TOKENS_ANONYMOUS_ISSUE_LIMIT: `${ISSUE_LIMIT}/1h`,
			API_TOKENS_ANONYMOUS_MAX_PER_SUBJECT: String(PER_SUBJECT),
			API_TOKENS_ANONYMOUS_TIERS: 'trusted,partner',
			// The test stands in for a proxy on loopback, telling each client's address in X-Forwarded-For.
			IP_TRUST_PROXY: 'loopback',
			...(redis ? { REDIS: redisUrl! } : {}),
		});
		alice = await createUser(directus, 'alice');
		openapi = (await request(directus.url, 'GET', '/api-tokens/openapi.json')).body;
		const bot = await request(directus.url, 'POST', '/api-tokens', {
			token: directus.adminToken,
			body: { name: 'Chat bot backend', kind: 'service', scopes: ['anonymous:issue', 'introspect'], duration: null },
		});
		expect(bot.status).toBe(201);
		botToken = bot.body.token;
		botTokenId = bot.body.info.id;
		const app = await request(directus.url, 'POST', '/api-tokens/apps', { token: directus.adminToken, body: { name: 'web', origins: [WWW], scopes: ['read'] } });
		expect(app.status).toBe(201);

		service = fork(resolve(import.meta.dirname, 'fixtures/anonymous-api-service.mjs'), [], {
			env: { ...process.env, DB_ENV: JSON.stringify(directus.database.dbEnv), REDIS_URL: redis ? redisUrl! : '', KEY_PREFIX: `anon-test-${Date.now()}-${randomInt(1e9)}` },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const port = await new Promise<number>((resolvePort, reject) => {
			service!.once('message', (message: { port: number }) => resolvePort(message.port));
			service!.once('exit', (code) => reject(new Error(`API service exited with ${code}`)));
		});
		serviceUrl = `http://127.0.0.1:${port}`;
	});
	afterAll(async () => {
		if (service && service.exitCode === null) {
			const exited = new Promise((done) => service!.once('exit', done));
			service.send({ type: 'stop' });
			await exited;
		}
		await directus?.stop();
	});

	it('open path: anyone gets an ownerless, hidden token of the open tier, shown once; allowed origins get CORS without credentials', async () => {
		const response = await issueOpen(randomIPv4(), { headers: { origin: WWW } });
		expect(response.status).toBe(201);
		expect(Object.keys(response.body).sort()).toEqual(['expires_at', 'refreshable', 'scopes', 'tier', 'token']);
		expect(response.body).toMatchObject({ tier: 'open', scopes: ['read'], refreshable: true });
		expect(response.body.token).toMatch(/^dtn_[0-9A-Za-z]{36}$/);
		conforms(response, '/anonymous');
		expect(Date.parse(response.body.expires_at) - Date.now()).toBeGreaterThan(30 * 86_400_000 - 60_000);
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(response.headers.get('access-control-allow-origin')).toBe(WWW);
		expect(response.headers.get('access-control-allow-credentials')).toBeNull();
		const row = await directus.db(TOKENS_TABLE).where({ kind: 'anonymous' }).orderBy('row_id', 'desc').first();
		expect(row).toMatchObject({ user: null, subject: null, tier: 'open', issuer: null });
		expect(Boolean(row.hidden)).toBe(true);
		expect(await dumpDatabase(directus.db)).not.toContain(response.body.token);

		const preflight = await request(directus.url, 'OPTIONS', '/api-tokens/anonymous', { headers: { origin: WWW, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(WWW);
		const foreign = await issueOpen(randomIPv4(), { headers: { origin: 'https://evil.example.net' } });
		expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
		// Not the Directus scope: it opens nothing of Directus's own API.
		expect((await request(directus.url, 'GET', '/users/me', { token: response.body.token })).status).toBe(401);
	});

	it('open path: each client IP, and each IPv6 /64, gets the limit and then 429 with Retry-After; a refusal stores nothing', async () => {
		const ip = randomIPv4();
		const statuses = [];
		for (let i = 0; i < ISSUE_LIMIT; i++) statuses.push((await issueOpen(ip)).status);
		expect(statuses).toEqual(Array(ISSUE_LIMIT).fill(201));
		const before = await rowCount();
		const refused = await issueOpen(ip);
		expect(refused.status).toBe(429);
		expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await rowCount()).toBe(before);
		expect((await issueOpen(randomIPv4())).status).toBe(201);

		const net = randomIPv6Net();
		const v6 = [];
		for (let i = 1; i <= ISSUE_LIMIT + 1; i++) v6.push((await issueOpen(`${net}::${i.toString(16)}`)).status);
		expect(v6).toEqual([...Array(ISSUE_LIMIT).fill(201), 429]);
		expect((await issueOpen(`${net}:ffff:ffff:ffff:ffff`)).status).toBe(429);
		expect((await issueOpen(`${randomIPv6Net()}::1`)).status).toBe(201);
		if (redis) {
			// Counted where every Directus instance counts.
			const client = new Redis(redisUrl!);
			try {
				expect(Number(await client.get(`api-tokens:anonymous-issue:${clientKey(ip)}`))).toBe(ISSUE_LIMIT + 1);
			} finally {
				client.disconnect();
			}
		}
	});

	it('trusted path: 100 concurrent issues for two subjects leave each subject exactly its cap of live tokens', async () => {
		const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => issueTrusted({ subject: i % 2 ? 'slack-T1' : 'discord-G2', ...(i % 4 === 0 ? { tier: 'partner' } : {}) })));
		expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
		expect(new Set(responses.map((r) => r.body.token)).size).toBe(100);
		expect(responses.filter((r) => r.body.tier === 'partner')).toHaveLength(25);
		for (const subject of ['slack-T1', 'discord-G2']) {
			const live = await directus.db(TOKENS_TABLE).where({ kind: 'anonymous', subject }).whereNull('revoked_at');
			expect(live, subject).toHaveLength(PER_SUBJECT);
			expect(live.every((row) => row.issuer === botTokenId && row.user === null)).toBe(true);
		}
		// The live ones are the newest.
		const newest = await directus.db(TOKENS_TABLE).where({ kind: 'anonymous', subject: 'slack-T1' }).orderBy('row_id', 'desc').limit(PER_SUBJECT);
		expect(newest.every((row) => row.revoked_at === null)).toBe(true);
	});

	it('bad input gets a clear 4xx and stores nothing', async () => {
		const before = await rowCount();
		const personal = await request(directus.url, 'POST', '/api-tokens', { token: directus.adminToken, body: { name: 'mine', scopes: ['read'] } });
		const afterPersonal = await rowCount();
		const cases: Array<[Promise<{ status: number; body: any }>, number, string]> = [
			[issueTrusted({ subject: 'x', tier: 'gold' }), 400, 'INVALID_TIER'],
			[issueTrusted({ subject: 'x', tier: 'open' }), 400, 'INVALID_TIER'],
			[issueTrusted({ subject: 'x'.repeat(201) }), 400, 'INVALID_SUBJECT'],
			[issueTrusted({ subject: 'bot\u0000' }), 400, 'INVALID_SUBJECT'],
			[issueTrusted({ subject: 'bot', hash: 'abc' }), 400, 'INVALID_REQUEST'],
			[issueTrusted({ subject: 'bot' }, personal.body.token), 403, 'FORBIDDEN'],
			[issueTrusted({ subject: 'bot' }, directus.adminToken), 401, 'UNAUTHENTICATED'],
			[issueTrusted({ subject: 'bot' }, alice.accessToken), 401, 'UNAUTHENTICATED'],
			[issueTrusted({ subject: 'bot' }, 'dts_' + 'A'.repeat(36)), 401, 'UNAUTHENTICATED'],
			[issueOpen(randomIPv4(), { body: JSON.stringify({ subject: 'me' }) }), 403, 'FORBIDDEN'],
			[issueOpen(randomIPv4(), { body: JSON.stringify({ tier: 'trusted' }) }), 403, 'FORBIDDEN'],
			[issueOpen(randomIPv4(), { body: 'subject=me', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
			[issueOpen(randomIPv4(), { body: '{"subject":', headers: { 'content-type': 'application/json' } }), 400, 'INVALID_PAYLOAD'],
		];
		for (const [pending, status, code] of cases) {
			const response = await pending;
			expect(response.status, JSON.stringify(response.body)).toBe(status);
			expect(response.body.errors[0].extensions.code).toBe(code);
			if (code !== 'INVALID_PAYLOAD') conforms(response, '/anonymous');
			expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
		}
		expect(afterPersonal).toBe(before + 1);
		expect(await rowCount()).toBe(afterPersonal);
	});

	it('introspection names the subject and tier; the holder refreshes once; the Directus API stays closed', async () => {
		const issued = await issueTrusted({ subject: 'telegram-77', tier: 'partner' });
		expect(issued.status).toBe(201);
		const seen = await introspect(issued.body.token);
		expect(seen.body).toMatchObject({ active: true, token_type: 'Bearer', kind: 'anonymous', sub: 'telegram-77', tier: 'partner', scope: 'read' });
		const refreshed = await request(directus.url, 'POST', '/api-tokens/anonymous/refresh', { token: issued.body.token });
		expect(refreshed.status).toBe(201);
		expect(refreshed.body).toMatchObject({ tier: 'partner' });
		conforms(refreshed, '/anonymous/refresh');
		expect((await introspect(refreshed.body.token)).body).toMatchObject({ active: true, sub: 'telegram-77' });
		expect((await introspect(issued.body.token)).body).toEqual({ active: false });
		expect((await request(directus.url, 'POST', '/api-tokens/anonymous/refresh', { token: issued.body.token })).status).toBe(401);
		expect((await request(directus.url, 'POST', '/api-tokens/anonymous/refresh', { token: botToken })).status).toBe(401);
		expect((await request(directus.url, 'POST', '/api-tokens/anonymous/refresh', {})).status).toBe(401);
	});

	it('admins list anonymous tokens by subject with tier and issuer; users never see them', async () => {
		await issueTrusted({ subject: 'listed-1' });
		const listed = await request(directus.url, 'GET', '/api-tokens?user=all&include_hidden=true&kind=anonymous&subject=listed-1', { token: directus.adminToken });
		expect(listed.status).toBe(200);
		conforms(listed, '/', 'get');
		expect(listed.body.tokens).toEqual([expect.objectContaining({ kind: 'anonymous', subject: 'listed-1', tier: 'trusted', issuer: botTokenId, user: null, last_access: null })]);
		expect(JSON.stringify(listed.body)).not.toMatch(/"hash"|dtn_[0-9A-Za-z]{36}/);
		expect((await request(directus.url, 'GET', '/api-tokens?subject=listed-1', { token: alice.accessToken })).status).toBe(403);
		const own = await request(directus.url, 'GET', '/api-tokens', { token: alice.accessToken });
		expect(own.status).toBe(204);
		expect((await request(directus.url, 'GET', `/items/${TOKENS_TABLE}`, { token: alice.accessToken })).status).toBe(403);
	});

	it('an API service in another process rate-limits two anonymous tokens from one IP separately, in their tiers', async () => {
		const ip = randomIPv4();
		const [first, second] = [await issueOpen(ip), await issueOpen(ip)];
		expect([first.status, second.status]).toEqual([201, 201]);
		const statuses = async (token: string, times: number) => {
			const out = [];
			for (let i = 0; i < times; i++) out.push((await measure(token)).status);
			return out;
		};
		expect(await statuses(first.body.token, 4)).toEqual([200, 200, 200, 429]);
		const other = await measure(second.body.token);
		expect(other.status).toBe(200);
		expect(await other.json()).toMatchObject({ tier: 'open' });
		expect(other.headers.get('ratelimit-policy')).toBe('"open";q=3;w=600');
		// Two bot installations behind one server IP: one trusted bucket each.
		const [slack, discord] = [await issueTrusted({ subject: 'rl-slack' }), await issueTrusted({ subject: 'rl-discord' })];
		expect(await statuses(slack.body.token, 6)).toEqual([200, 200, 200, 200, 200, 429]);
		expect(await statuses(discord.body.token, 1)).toEqual([200]);
		const refused = await measure(slack.body.token);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('the README\'s chat-bot backend gets one token per installation and reuses it', async () => {
		const [example] = codeBlocks(readmeSection('Anonymous tokens'), 'js');
		const file = join(mkdtempSync(join(tmpdir(), 'apitok-bot-')), 'bot.mjs');
		writeFileSync(file, example!);
		process.env.DASHBOARD = directus.url;
		process.env.BOT_SERVICE_TOKEN = botToken;
		const bot = (await import(`${file}?${database}`)) as { tokenFor(installation: string): Promise<string> };
		const first = await bot.tokenFor('T777');
		expect(await bot.tokenFor('T777')).toBe(first);
		const other = await bot.tokenFor('T888');
		expect(other).not.toBe(first);
		expect((await introspect(first)).body).toMatchObject({ active: true, sub: 'slack-T777', tier: 'trusted' });
		expect((await introspect(other)).body).toMatchObject({ active: true, sub: 'slack-T888' });
	});

	it.runIf(pushed)('revoking a subject reaches the API service within a second (pushed)', async () => {
		const [one, two, kept] = [await issueTrusted({ subject: 'revoke-me' }), await issueTrusted({ subject: 'revoke-me' }), await issueTrusted({ subject: 'keep-me' })];
		for (const token of [one, two, kept]) expect((await measure(token.body.token)).status).toBe(200);
		const started = Date.now();
		const reset = await request(directus.url, 'POST', '/api-tokens/reset', { token: directus.adminToken, body: { subject: 'revoke-me' } });
		expect(reset.body).toEqual({ revoked: 2 });
		let refusedAfter: number | null = null;
		while (Date.now() - started < 5_000) {
			const [a, b] = await Promise.all([measure(one.body.token), measure(two.body.token)]);
			if (a.status === 401 && b.status === 401) {
				refusedAfter = Date.now() - started;
				break;
			}
			await new Promise((done) => setTimeout(done, 20));
		}
		expect(refusedAfter).not.toBeNull();
		expect(refusedAfter!).toBeLessThan(1_000);
		expect((await measure(kept.body.token)).status).toBe(200);
		expect((await request(directus.url, 'POST', '/api-tokens/reset', { token: alice.accessToken, body: { subject: 'keep-me' } })).status).toBe(403);
		expect((await request(directus.url, 'POST', '/api-tokens/reset', { token: directus.adminToken, body: { subject: 'a\u0001' } })).status).toBe(400);
	});
});
