/**
 * One decision of "is this token live", the same for every consumer, on each database against a
 * real Directus: Directus's own API (the `authenticate` hook), the validator, introspection and
 * RFC 7009 revocation agree on origin-bound tokens; a token mints no more than it holds; owners
 * changed behind Directus's services (the login lockout's direct update) lose their tokens within
 * one owner check, for good; a role change reaches a token at once; and the caps (active tokens per
 * user, per app and user, the issue rate) hold under 200 concurrent requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTokenValidator, type TokenValidator } from '../src/validator/index.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, sessionCookie, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';

const WWW = 'https://www.example.com';
const EVIL = 'https://evil.example.net';
const CAP = 100;
const ISSUE_LIMIT = 50;
const CONCURRENT = 200;
const DAY = 86_400;

/** Polls `read` until it returns `expected` or `timeoutMs` passes (the answer is the proof, not the wait). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last = await read();
	while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		last = await read();
	}
	return last;
}

describe.each(enabledDatabases())('one live decision on %s', (databaseName) => {
	let directus: DirectusInstance;
	let alice: TestUser;
	let validatorDb: Knex;
	let validator: TokenValidator;

	const api = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
		request(directus.url, method, path, { token, headers, ...(body === undefined ? {} : { body }) });
	const me = (token: string, origin?: string) => api('GET', '/users/me?fields=id', token, undefined, origin ? { origin } : {}).then((answer) => answer.status);
	async function create(credential: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
		const created = await api('POST', '/api-tokens', credential, { name: 'token', ...body }, headers);
		return created;
	}
	async function token(credential: string, body: Record<string, unknown>) {
		const created = await create(credential, body);
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		return created.body as { token: string; info: { id: string; expiration: string | null } };
	}
	const introspect = async (service: string, subject: string, origin?: string) => {
		const body = new URLSearchParams({ token: subject, ...(origin ? { origin } : {}) });
		const response = await fetch(`${directus.url}/api-tokens/introspect`, { method: 'POST', headers: { authorization: `Bearer ${service}`, 'content-type': 'application/x-www-form-urlencoded' }, body });
		return ((await response.json()) as { active: boolean }).active;
	};

	beforeAll(async () => {
		directus = await startDirectus(databaseName, {
			API_TOKENS_MAX_ACTIVE_PER_USER: String(CAP),
			API_TOKENS_APP_ISSUE_LIMIT: `${ISSUE_LIMIT}/1h`,
			// The owner check, every two seconds here (every minute by default).
			API_TOKENS_OWNER_CHECK: '*/2 * * * * *',
		});
		alice = await createUser(directus, 'alice');
		expect((await api('POST', '/api-tokens/apps', directus.adminToken, { name: 'web', origins: [WWW], scopes: ['read', 'directus'], max_active_per_user: 3 })).status).toBe(201);
		validatorDb = directus.database.connect();
		validator = createTokenValidator({ db: validatorDb, trackLastUsed: false });
		await validator.start();
	});
	afterAll(async () => {
		await validator?.stop();
		await validatorDb?.destroy();
		await directus?.stop();
	});

	it('refuses an origin-bound token from another Origin everywhere, and an app token with none', async () => {
		const personal = (await token(alice.accessToken, { scopes: ['read', 'directus'], origins: [WWW] })).token;
		const cookie = await sessionCookie(directus, alice.email, alice.password);
		const issued = await request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'web' }, headers: { cookie, origin: WWW } });
		expect(issued.status).toBe(201);
		const app = issued.body.token as string;
		const service = (await token(directus.adminToken, { kind: 'service', scopes: ['introspect'], duration: null })).token;
		for (const [label, subject, withNone] of [['personal', personal, true], ['app', app, false]] as const) {
			// Directus's own API.
			expect(await me(subject, WWW), `${label} from its origin`).toBe(200);
			expect(await me(subject, EVIL), `${label} from another origin`).toBe(401);
			expect(await me(subject), `${label} with no Origin`).toBe(withNone ? 200 : 401);
			// The validator.
			expect((await validator.validate(subject, { origin: WWW })).valid).toBe(true);
			expect(await validator.validate(subject, { origin: EVIL })).toEqual({ valid: false, code: 'origin_not_allowed' });
			expect((await validator.validate(subject, { origin: null })).valid).toBe(withNone);
			// Introspection, for the request the resource server saw.
			expect(await introspect(service, subject, WWW)).toBe(true);
			expect(await introspect(service, subject, EVIL)).toBe(false);
			expect(await introspect(service, subject)).toBe(withNone);
		}
	});

	it('lets a token make and reveal only tokens within its own scopes, origins and lifetime; app tokens none', async () => {
		const tenDays = (await token(alice.accessToken, { scopes: ['read', 'directus'], duration: 10 * DAY })).token;
		const expiresAt = Date.now() + 10 * DAY * 1000;
		expect((await create(tenDays, { scopes: ['write'] })).status).toBe(403);
		const narrow = await create(tenDays, { scopes: ['read'], duration: 365 * DAY });
		expect(narrow.status).toBe(201);
		expect(narrow.body.capped).toBe(true);
		expect(Date.parse(narrow.body.info.expiration)).toBeLessThanOrEqual(expiresAt + 5_000);
		// A broader or longer-lived token of the same user: the token may not reveal or change it.
		const broad = await token(alice.accessToken, { scopes: ['read', 'write'], duration: 90 * DAY });
		expect((await api('POST', `/api-tokens/${broad.info.id}/regenerate`, tenDays, {})).status).toBe(403);
		expect((await api('PATCH', `/api-tokens/${broad.info.id}`, tenDays, { name: 'mine now' })).status).toBe(403);
		expect((await api('DELETE', `/api-tokens/${broad.info.id}`, tenDays)).status).toBe(204); // ending one is always allowed
		// Bound to origins: what it makes is bound within them.
		const bound = (await token(alice.accessToken, { scopes: ['read', 'directus'], origins: [WWW] })).token;
		expect((await create(bound, { scopes: ['read'] }, { origin: WWW })).status).toBe(403);
		expect((await create(bound, { scopes: ['read'], origins: [EVIL] }, { origin: WWW })).status).toBe(403);
		expect((await create(bound, { scopes: ['read'], origins: [WWW] }, { origin: WWW })).status).toBe(201);
		// App tokens make nothing, even with the Directus scope and from their own page.
		const cookie = await sessionCookie(directus, alice.email, alice.password);
		const app = (await request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'web' }, headers: { cookie, origin: WWW } })).body.token as string;
		const fromApp = await create(app, { scopes: ['read'] }, { origin: WWW });
		expect(fromApp.status).toBe(403);
		expect(fromApp.body.errors[0].message).toContain('App tokens cannot');
	});

	it('ends the old secret of a regenerated token, alone, when it is presented to RFC 7009 revocation or DELETE /self', async () => {
		const created = await token(alice.accessToken, { scopes: ['directus'] });
		const regenerated = await api('POST', `/api-tokens/${created.info.id}/regenerate`, alice.accessToken, { grace_seconds: 3600 });
		const fresh = regenerated.body.token as string;
		expect(await me(created.token)).toBe(200);
		const revoked = await fetch(`${directus.url}/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: created.token }) });
		expect(revoked.status).toBe(200);
		expect(await me(created.token)).toBe(401);
		expect(await me(fresh)).toBe(200);
		expect((await directus.db(TOKENS_TABLE).where({ id: created.info.id }).first()).previous_hash).toBeNull();
		// DELETE /self with an old secret ends that secret too, and only it.
		const again = await api('POST', `/api-tokens/${created.info.id}/regenerate`, fresh, { grace_seconds: 3600 });
		expect(again.status).toBe(200);
		expect((await api('DELETE', '/api-tokens/self', fresh)).status).toBe(204);
		expect(await me(fresh)).toBe(401);
		expect(await me(again.body.token)).toBe(200);
	});

	it("refuses the tokens of an owner changed behind Directus's services, within one owner check, for good", async () => {
		const carol = await createUser(directus, 'carol');
		const own = (await token(carol.accessToken, { scopes: ['read', 'directus'] })).token;
		expect(await me(own)).toBe(200);
		expect((await validator.validate(own)).valid).toBe(true);
		// What Directus's login lockout does: one UPDATE, no hook.
		await directus.db('directus_users').where({ id: carol.id }).update({ status: 'suspended' });
		await validator.sync();
		expect(await validator.validate(own)).toEqual({ valid: false, code: 'owner_inactive' });
		expect(await eventually(() => me(own), 401)).toBe(401);
		expect(await eventually(() => directus.db(TOKENS_TABLE).where({ user: carol.id }).whereNull('revoked_at').then((rows) => rows.length), 0)).toBe(0);
		// Active again: the tokens stay dead.
		await directus.db('directus_users').where({ id: carol.id }).update({ status: 'active' });
		await validator.sync();
		expect(await validator.validate(own)).toEqual({ valid: false, code: 'revoked' });
		expect(await me(own)).toBe(401);
	});

	it("reaches a token's Directus permissions at once when its owner's role changes", async () => {
		const adminPolicy = await api('POST', '/policies', directus.adminToken, { name: `Admins ${Date.now()}`, admin_access: true, app_access: true });
		const adminRole = await api('POST', '/roles', directus.adminToken, { name: `Admin role ${Date.now()}`, policies: { create: [{ policy: adminPolicy.body.data.id }] } });
		const dave = await createUser(directus, 'dave');
		expect((await api('PATCH', `/users/${dave.id}`, directus.adminToken, { role: adminRole.body.data.id })).status).toBe(200);
		const own = (await token(dave.accessToken, { scopes: ['directus'] })).token;
		expect((await api('GET', '/users?fields=id&limit=1', own)).status).toBe(200);
		expect((await api('GET', '/roles?fields=id&limit=1', own)).status).toBe(200);
		// Demoted: the very next request has a plain user's permissions.
		expect((await api('PATCH', `/users/${dave.id}`, directus.adminToken, { role: dave.roleId })).status).toBe(200);
		expect((await api('GET', '/roles?fields=id&limit=1', own)).status).toBe(403);
	});

	it(`holds every cap under ${CONCURRENT} concurrent requests`, async () => {
		// Active tokens per user: at most CAP, however many ask at once.
		const erin = await createUser(directus, 'erin');
		const creates = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => create(erin.accessToken, { name: `t${i}`, scopes: ['read'] })));
		expect(creates.filter((answer) => answer.status === 201)).toHaveLength(CAP);
		expect(creates.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
		const active = await directus.db(TOKENS_TABLE).where({ user: erin.id }).whereNull('revoked_at').count({ n: '*' }).first();
		expect(Number(active?.n)).toBe(CAP);

		// App tokens: ISSUE_LIMIT issued per user and window, 3 of them active.
		const frank = await createUser(directus, 'frank');
		const cookie = await sessionCookie(directus, frank.email, frank.password);
		const issues = await Promise.all(Array.from({ length: CONCURRENT }, () => request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'web' }, headers: { cookie, origin: WWW } })));
		expect(issues.filter((answer) => answer.status === 201)).toHaveLength(ISSUE_LIMIT);
		expect(issues.every((answer) => answer.status === 201 || answer.status === 429)).toBe(true);
		const live = await directus.db(TOKENS_TABLE).where({ user: frank.id, kind: 'app' }).whereNull('revoked_at').count({ n: '*' }).first();
		expect(Number(live?.n)).toBe(3);
	}, 180_000);
});
