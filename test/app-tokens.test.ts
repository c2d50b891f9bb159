/**
 * App tokens over HTTP against a real Directus: `POST /api-tokens/app` issues hidden, origin-bound,
 * short-lived tokens to the dashboard session cookie only, answers CORS for allowed origins only
 * (whether or not Directus's own CORS is on), refuses every CSRF shape, limits issuance, and the
 * tokens never show in their owner's lists. SQLite and MariaDB run with Directus's CORS off,
 * PostgreSQL with it on and reflecting any origin with credentials (the most permissive setting).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { APPS_TABLE, TOKENS_TABLE } from '../src/shared/constants.js';
import { createTokenValidator, type TokenValidator } from '../src/validator/index.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, sessionCookie, type TestUser } from './helpers/users.js';
import { request, type JsonResponse } from './helpers/http.js';
import { dumpDatabase } from './helpers/dump.js';

const WWW = 'https://www.example.com';
const OTHER = 'https://other.example.com';
const EVIL = 'https://evil.example.net';
const ISSUE_LIMIT = 5;

const setups = [
	{ database: 'sqlite' as const, directusCors: false },
	...(process.env.TEST_PG_URL ? [{ database: 'postgres' as const, directusCors: true }] : []),
	...(process.env.TEST_MARIADB_URL ? [{ database: 'mariadb' as const, directusCors: false }] : []),
];

describe.each(setups)('app tokens on $database (Directus CORS on: $directusCors)', ({ database, directusCors }) => {
	let directus: DirectusInstance;
	let validatorDb: Knex;
	let validator: TokenValidator;
	const cookies = new Map<TestUser, string>();
	const users: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin', TestUser> = {} as never;
	let webAppId: string;
	const issued: string[] = [];

	/** `POST /api-tokens/app` the way a browser sends it; pass `cookie: null` for none. */
	async function ask(user: TestUser | null, { app = 'web', origin = WWW as string | null, contentType = 'application/json', body, headers = {} }: { app?: string; origin?: string | null; contentType?: string; body?: string; headers?: Record<string, string> } = {}) {
		const response = await request(directus.url, 'POST', '/api-tokens/app', {
			body: body ?? JSON.stringify({ app }),
			headers: {
				'content-type': contentType,
				...(origin === null ? {} : { origin }),
				...(user ? { cookie: cookies.get(user)! } : {}),
				...headers,
			},
		});
		if (response.status === 201) issued.push(response.body.token);
		return response;
	}
	/** Directus's own API as the page that holds an app token calls it: with its `Origin`. */
	const asPage = (token: string, origin: string = WWW) => request(directus.url, 'GET', '/users/me?fields=id', { token, headers: { origin } });
	const appTokenCount = async () => Number((await directus.db(TOKENS_TABLE).where({ kind: 'app' }).count({ n: '*' }).first())?.n);
	const corsOf = (response: JsonResponse) => ({ origin: response.headers.get('access-control-allow-origin'), credentials: response.headers.get('access-control-allow-credentials') });

	beforeAll(async () => {
		directus = await startDirectus(database, {
			API_TOKENS_APP_ISSUE_LIMIT: `${ISSUE_LIMIT}/1h`,
			// This dashboard issues anonymous tokens to trusted issuers only.
			API_TOKENS_ANONYMOUS: 'false',
			...(directusCors ? { CORS_ENABLED: 'true', CORS_ORIGIN: 'true', CORS_CREDENTIALS: 'true' } : {}),
		});
		for (const name of ['alice', 'bob', 'carol', 'dave', 'erin'] as const) {
			users[name] = await createUser(directus, name);
			cookies.set(users[name], await sessionCookie(directus, users[name].email, users[name].password));
		}
		validatorDb = directus.database.connect();
		validator = createTokenValidator({ db: validatorDb });
		await validator.start();
	});
	afterAll(async () => {
		await validator?.stop();
		await validatorDb?.destroy();
		await directus?.stop();
	});

	it('lets admins register apps through the token API, checking every field', async () => {
		const create = (body: Record<string, unknown>) => request(directus.url, 'POST', '/api-tokens/apps', { token: directus.adminToken, body });
		for (const [body, field] of [
			[{ name: 'bad', origins: [] }, 'origins'],
			[{ name: 'bad', origins: ['ftp://www.example.com'] }, 'origins'],
			[{ name: 'bad', origins: [WWW], scopes: ['introspect'] }, 'scopes'],
			[{ name: 'bad', origins: [WWW], ttl: 1 }, 'ttl'],
			[{ name: 'bad', origins: [WWW], ttl: '3600' }, 'ttl'],
			[{ name: 'bad', origins: [WWW], hash: 'x' }, 'hash'],
		] as const) {
			const refused = await create(body);
			expect(refused.status, field).toBe(400);
			expect(refused.body.errors[0].extensions.field).toBe(field);
		}
		const web = await create({ name: 'web', origins: ['https://WWW.example.com/', 'https://*.sites.example.com'], scopes: ['read', 'directus'], max_active_per_user: 2 });
		expect(web.status).toBe(201);
		expect(web.body).toMatchObject({ origins: [WWW, 'https://*.sites.example.com'], scopes: ['directus', 'read'], ttl: 86_400, enabled: true });
		webAppId = web.body.id;
		expect((await create({ name: 'other', origins: [OTHER], scopes: ['read'] })).status).toBe(201);
		expect((await create({ name: 'web', origins: [OTHER] })).status).toBe(409);
		expect(await directus.db(APPS_TABLE).where({ name: 'bad' })).toEqual([]);
		expect((await request(directus.url, 'POST', '/api-tokens/apps', { token: users.alice.accessToken, body: { name: 'mine', origins: [EVIL] } })).status).toBe(403);
		expect((await request(directus.url, 'GET', '/api-tokens/apps', { token: users.alice.accessToken })).status).toBe(403);
		const listed = await request(directus.url, 'GET', '/api-tokens/apps', { token: directus.adminToken });
		expect(listed.body.apps.map((app: { name: string }) => app.name)).toEqual(['other', 'web']);
		// Directus's generic API writes none of it, admins included.
		expect((await request(directus.url, 'POST', `/items/${APPS_TABLE}`, { token: directus.adminToken, body: { name: 'sneaky', origins: '[]', scopes: '[]' } })).status).toBe(403);
	});

	it('issues a hidden, origin-bound, one-day token to the session cookie, with CORS for that origin', async () => {
		const response = await ask(users.alice);
		expect(response.status).toBe(201);
		expect(Object.keys(response.body).sort()).toEqual(['expires_at', 'scopes', 'token']);
		expect(response.body.token).toMatch(/^dta_[0-9A-Za-z]{36}$/);
		expect(response.body.scopes).toEqual(['directus', 'read']);
		expect(Date.parse(response.body.expires_at) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
		expect(Date.parse(response.body.expires_at) - Date.now()).toBeLessThanOrEqual(86_400_000);
		expect(corsOf(response)).toEqual({ origin: WWW, credentials: 'true' });
		expect(response.headers.get('vary')).toMatch(/origin/i);
		expect(response.headers.get('cache-control')).toBe('no-store');

		const row = await directus.db(TOKENS_TABLE).where({ kind: 'app', user: users.alice.id }).first();
		expect(row).toMatchObject({ app: webAppId, name: 'web' });
		expect(Boolean(row.hidden)).toBe(true);
		expect(typeof row.origins === 'string' ? JSON.parse(row.origins) : row.origins).toEqual([WWW]);
		expect(await dumpDatabase(directus.db)).not.toContain(response.body.token);

		const valid = await validator.validate(response.body.token, { origin: WWW, scopes: ['read'] });
		expect(valid).toMatchObject({ valid: true, token: { kind: 'app', userId: users.alice.id, tier: 'app' } });
		expect(await validator.validate(response.body.token, { origin: OTHER })).toEqual({ valid: false, code: 'origin_not_allowed' });
		// The app's scopes include Directus's own: the token works there as its owner, from its page only.
		const me = await asPage(response.body.token);
		expect(me.body.data.id).toBe(users.alice.id);
		expect((await asPage(response.body.token, OTHER)).status).toBe(401);
		expect((await request(directus.url, 'GET', '/users/me?fields=id', { token: response.body.token })).status).toBe(401);
	});

	it('answers CORS preflights for allowed origins only', async () => {
		const preflight = (origin: string) =>
			request(directus.url, 'OPTIONS', '/api-tokens/app', { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
		for (const origin of [WWW, 'https://beta.sites.example.com', OTHER]) {
			const allowed = await preflight(origin);
			expect(allowed.status, origin).toBe(204);
			expect(corsOf(allowed)).toEqual({ origin, credentials: 'true' });
			expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
			expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('content-type');
		}
		for (const origin of [EVIL, 'https://sites.example.com', 'http://www.example.com', 'null']) {
			const refused = await preflight(origin);
			expect(refused.status, origin).toBe(403);
			expect(corsOf(refused), origin).toEqual({ origin: null, credentials: null });
		}
		if (directusCors) {
			// Directus's own CORS really is on here, and reflects any origin on its routes.
			const theirs = await request(directus.url, 'OPTIONS', '/users/me', { headers: { origin: EVIL, 'access-control-request-method': 'GET' } });
			expect(corsOf(theirs).origin).toBe(EVIL);
		}
	});

	it('gives no token without a usable Origin, to other origins, to form posts or simple requests', async () => {
		const before = await appTokenCount();
		const cases: Array<[string, Parameters<typeof ask>[1], number, string | null]> = [
			['no Origin', { origin: null }, 403, null],
			['Origin: null', { origin: 'null' }, 403, null],
			['a foreign origin', { origin: EVIL }, 403, null],
			['the parent domain of a pattern', { origin: 'https://sites.example.com' }, 403, null],
			['http instead of https', { origin: 'http://www.example.com' }, 403, null],
			["another app's origin", { origin: OTHER }, 403, OTHER],
			['a form post', { contentType: 'application/x-www-form-urlencoded', body: 'app=web' }, 415, WWW],
			['a multipart form post', { contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="app"\r\n\r\nweb\r\n--x--' }, 415, WWW],
			['a simple text/plain request', { contentType: 'text/plain', body: JSON.stringify({ app: 'web' }) }, 415, WWW],
			['an unknown app', { app: 'nope' }, 404, WWW],
		];
		for (const [label, options, status, cors] of cases) {
			const response = await ask(users.alice, options);
			expect(response.status, label).toBe(status);
			expect(response.body.token, label).toBeUndefined();
			expect(response.body.errors[0].message.length, label).toBeGreaterThan(10);
			expect(corsOf(response).origin, label).toBe(cors);
		}
		expect(await appTokenCount()).toBe(before);
	});

	it('takes the session cookie only, and tells signed-out pages where to sign in', async () => {
		const before = await appTokenCount();
		const signIn = `${directus.url}/admin/login`;
		const personal = await request(directus.url, 'POST', '/api-tokens', { token: users.alice.accessToken, body: { name: 'cli', scopes: ['directus'] } });
		const cases: Array<[string, TestUser | null, Record<string, string>]> = [
			['no cookie', null, {}],
			['a Directus JWT instead of the cookie', null, { authorization: `Bearer ${users.alice.accessToken}` }],
			['one of our tokens instead of the cookie', null, { authorization: `Bearer ${personal.body.token}` }],
			['the cookie and a bearer', users.alice, { authorization: `Bearer ${users.alice.accessToken}` }],
			['a forged session cookie', null, { cookie: 'directus_session_token=eyJhbGciOiJIUzI1NiJ9.e30.x' }],
		];
		for (const [label, user, headers] of cases) {
			const response = await ask(user, { headers });
			expect(response.status, label).toBe(401);
			expect(response.body.sign_in_url, label).toBe(signIn);
			expect(corsOf(response).origin, label).toBe(WWW);
		}
		// A session that was signed out on the server.
		const cookie = await sessionCookie(directus, users.dave.email, users.dave.password);
		expect((await request(directus.url, 'POST', '/auth/logout', { headers: { cookie }, body: { mode: 'session' } })).status).toBe(204);
		const stale = await ask(null, { headers: { cookie } });
		expect(stale.status).toBe(401);
		expect(stale.body.sign_in_url).toBe(signIn);
		expect(await appTokenCount()).toBe(before);
	});

	it('with API_TOKENS_ANONYMOUS=false, pages get no open anonymous token; trusted issuers still do', async () => {
		const open = await request(directus.url, 'POST', '/api-tokens/anonymous', { body: {}, headers: { origin: WWW } });
		expect(open.status).toBe(403);
		expect(open.body.errors[0].extensions.code).toBe('FEATURE_DISABLED');
		expect(await directus.db(TOKENS_TABLE).where({ kind: 'anonymous' })).toEqual([]);
		const issuer = await request(directus.url, 'POST', '/api-tokens', { token: directus.adminToken, body: { name: 'portal', kind: 'service', scopes: ['anonymous:issue'], duration: null } });
		const trusted = await request(directus.url, 'POST', '/api-tokens/anonymous', { token: issuer.body.token, body: { subject: 'visitor-1' } });
		expect(trusted.status).toBe(201);
		expect(trusted.body.token).toMatch(/^dtn_/);
	});

	it('never lists app tokens to their owner; admins see them with owner and app', async () => {
		const own = await request(directus.url, 'GET', '/api-tokens?delta=-1000', { token: users.alice.accessToken });
		expect((own.body?.tokens ?? []).some((t: any) => t.kind === 'app')).toBe(false);
		// Directus's own API knows nothing of ours for her (no permission: the same answer as for nothing).
		expect((await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?fields=id,kind&limit=-1`, { token: users.alice.accessToken })).status).toBe(403);
		const graphql = await request(directus.url, 'POST', '/graphql', { token: users.alice.accessToken, body: { query: `{ ${TOKENS_TABLE} { id kind hidden } }` } });
		expect(graphql.body.errors?.length).toBeGreaterThan(0);
		expect(graphql.body.data ?? null).toBeNull();
		const admin = await request(directus.url, 'GET', `/api-tokens?user=${users.alice.id}&include_hidden=true&kind=app`, { token: directus.adminToken });
		expect(admin.body.tokens.length).toBeGreaterThan(0);
		expect(admin.body.tokens[0]).toMatchObject({ kind: 'app', user: users.alice.id, app: webAppId, origins: [WWW] });
	});

	it("revokes the user's oldest beyond the app's max_active_per_user", async () => {
		const tokens: string[] = [];
		for (let i = 0; i < 3; i++) tokens.push((await ask(users.bob)).body.token);
		const states = await Promise.all(tokens.map(async (token) => (await asPage(token)).status));
		expect(states).toEqual([401, 200, 200]);
		expect(Number((await directus.db(TOKENS_TABLE).where({ user: users.bob.id, kind: 'app' }).whereNull('revoked_at').count({ n: '*' }).first())?.n)).toBe(2);
	});

	it('limits issuance per user with 429 and a readable Retry-After', async () => {
		for (let i = 0; i < ISSUE_LIMIT; i++) expect((await ask(users.carol)).status).toBe(201);
		const limited = await ask(users.carol);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(limited.headers.get('access-control-expose-headers')).toMatch(/retry-after/i);
		expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
		expect((await ask(users.alice)).status).toBe(201); // another user is not affected
	});

	it('keeps app tokens through sign-out, revokes them on a user reset', async () => {
		const cookie = await sessionCookie(directus, users.alice.email, users.alice.password);
		cookies.set(users.alice, cookie);
		const { token } = (await ask(users.alice)).body;
		await request(directus.url, 'POST', '/auth/logout', { headers: { cookie }, body: { mode: 'session' } });
		expect((await asPage(token)).status).toBe(200);
		const reset = await request(directus.url, 'POST', '/api-tokens/reset', { token: directus.adminToken, body: { user: users.alice.id } });
		expect(reset.body.revoked).toBeGreaterThan(0);
		expect((await asPage(token)).status).toBe(401);
		await validator.sync();
		expect(await validator.validate(token, { origin: WWW })).toEqual({ valid: false, code: 'revoked' });
	});

	it('revokes the tokens of an app the admin disables, and issues no more', async () => {
		const dave = await ask(users.dave);
		expect(dave.status).toBe(201);
		const disable = await request(directus.url, 'PATCH', `/api-tokens/apps/${webAppId}`, { token: directus.adminToken, body: { enabled: false } });
		expect(disable.status).toBe(200);
		expect(disable.body.enabled).toBe(false);
		expect((await asPage(dave.body.token)).status).toBe(401);
		const refused = await ask(users.dave);
		expect(refused.status).toBe(403);
		expect(refused.body.errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
		expect(corsOf(refused).origin).toBeNull(); // no enabled app allows the origin any more
		expect(directus.log()).not.toContain(dave.body.token);
		for (const token of issued) expect(directus.log()).not.toContain(token);
	});

	it('revokes the tokens of an app the admin removes, before the app goes', async () => {
		const other = await request(directus.url, 'GET', '/api-tokens/apps', { token: directus.adminToken });
		const otherId = other.body.apps.find((app: { name: string }) => app.name === 'other').id as string;
		const issuedHere = await ask(users.erin, { origin: OTHER, app: 'other' });
		expect(issuedHere.status).toBe(201);
		expect((await request(directus.url, 'DELETE', `/api-tokens/apps/${otherId}`, { token: directus.adminToken })).status).toBe(204);
		expect((await request(directus.url, 'DELETE', `/api-tokens/apps/${otherId}`, { token: directus.adminToken })).status).toBe(404);
		expect((await asPage(issuedHere.body.token, OTHER)).status).toBe(401);
		expect(await directus.db(APPS_TABLE).where({ id: otherId })).toEqual([]);
		const row = await directus.db(TOKENS_TABLE).where({ user: users.erin.id, kind: 'app' }).first();
		expect(row.revoked_at).not.toBeNull();
	});
});
