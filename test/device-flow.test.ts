/**
 * Device authorization (RFC 8628) against a real Directus on SQLite, PostgreSQL and MariaDB:
 * an unmodified OAuth client library (openid-client) discovers the server (RFC 8414), asks for a
 * code and polls while Chromium, signed in as a plain user, opens `verification_uri_complete` and
 * approves; the library receives a personal token the validator accepts and the user's list shows.
 * Also: sign-in first and keyboard-only approval, deny, expiry, slow_down, reuse and 200 concurrent
 * redemptions, a brute force of user codes hitting the per-user and per-IP limits (200 guesses in
 * parallel), bad input answered with the RFC's errors, admins' device clients, and on PostgreSQL two
 * instances sharing the database (authorize on one, poll the other).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import * as oauth from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { DEVICE_CODES_TABLE, TOKENS_TABLE } from '../src/shared/constants.js';
import { EVENTS_TABLE } from '../src/core/token-audit.js';
import { hashCode, normaliseUserCode } from '../src/core/device-codes.js';
import { enabledDatabases } from './helpers/databases.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ROOT, startDirectus, type DirectusInstance } from './helpers/directus.js';
import { login } from '../docs/examples/cli-device.mjs';
import { connect, tokens as botTokens } from '../docs/examples/bot-device.mjs';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { launchBrowser, screenshotPath } from './helpers/browser.js';
import { signedInPage, validate } from './helpers/tokens-ui.js';
import { dumpDatabase } from './helpers/dump.js';
import { responseSchema, schemaErrors } from './helpers/openapi-check.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CLIENT_ID = 'globalping-cli';
const ATTEMPTS = 5;
const randomIPv4 = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

interface OAuthAnswer {
	status: number;
	body: Record<string, any>;
	headers: Headers;
}

/** A form-encoded POST, as RFC 6749 clients send. */
async function postForm(url: string, params: Record<string, string> | string, headers: Record<string, string> = {}): Promise<OAuthAnswer> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: typeof params === 'string' ? params : new URLSearchParams(params).toString(),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

describe.each(enabledDatabases())('device authorization on %s', (database) => {
	let directus: DirectusInstance;
	let alice: TestUser;
	let bob: TestUser;
	let browser: Browser;
	let openapi: Parameters<typeof responseSchema>[0];
	const api = (path: string) => `${directus.url}/api-tokens${path}`;
	const startDevice = (params: Record<string, string> | string = { client_id: CLIENT_ID, scope: 'read write' }) => postForm(api('/oauth/device_authorization'), params);
	const poll = (deviceCode: string, clientId = CLIENT_ID) => postForm(api('/oauth/token'), { grant_type: GRANT, device_code: deviceCode, client_id: clientId });
	const decide = (user: TestUser, step: 'lookup' | 'approve' | 'deny', body: Record<string, unknown>, ip = randomIPv4()) =>
		request(directus.url, 'POST', `/api-tokens/device/${step}`, { token: user.accessToken, body, headers: { 'x-forwarded-for': ip } });
	/** The request row of a device code, read as the test's own knex sees it. */
	const requestRow = (deviceCode: string) => directus.db(DEVICE_CODES_TABLE).where({ device_hash: hashCode(deviceCode) }).first();
	function conforms(response: { status: number; body: unknown }, path: string, method = 'post') {
		const schema = responseSchema(openapi, path, method, response.status);
		expect(schema, `${method} ${path} ${response.status} is documented`).not.toBeNull();
		expect(schemaErrors(openapi, schema!, response.body)).toEqual([]);
	}

	const env = {
		PUBLIC_URL: 'http://127.0.0.1:{port}',
		API_TOKENS_DEVICE_POLL_INTERVAL: '1',
		API_TOKENS_DEVICE_CODE_ATTEMPTS: `${ATTEMPTS}/15m`,
		// The test stands in for a proxy on loopback, telling each client's address in X-Forwarded-For.
		IP_TRUST_PROXY: 'loopback',
		...(process.env.TEST_REDIS_URL && database !== 'postgres' ? { REDIS: process.env.TEST_REDIS_URL } : {}),
	};

	beforeAll(async () => {
		directus = await startDirectus(database, env);
		alice = await createUser(directus, 'alice', { appAccess: true });
		bob = await createUser(directus, 'bob');
		openapi = (await request(directus.url, 'GET', '/api-tokens/openapi.json')).body;
		const client = await request(directus.url, 'POST', '/api-tokens/device-clients', {
			token: directus.adminToken,
			body: { name: 'Globalping CLI', client_id: CLIENT_ID, scopes: ['read', 'write'], default_ttl: 30 * 86_400, max_ttl: 90 * 86_400 },
		});
		expect(client.status, JSON.stringify(client.body)).toBe(201);
		conforms(client, '/device-clients');
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await directus?.stop();
	});

	it('an unmodified OAuth library discovers the server, asks, polls; a plain user approves in Chromium; the token works and is listed', async () => {
		const config = await oauth.discovery(new URL(directus.url), CLIENT_ID, undefined, oauth.None(), { execute: [oauth.allowInsecureRequests], algorithm: 'oauth2' });
		const metadata = config.serverMetadata();
		expect(metadata.issuer).toBe(directus.url);
		expect(metadata.device_authorization_endpoint).toBe(api('/oauth/device_authorization'));
		expect(metadata.grant_types_supported).toEqual([GRANT]);

		const started = await oauth.initiateDeviceAuthorization(config, { scope: 'read write' });
		expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
		expect(started.verification_uri).toBe(`${directus.url}/admin/tokens/device`);
		expect(started.verification_uri_complete).toBe(`${directus.url}/admin/tokens/device?user_code=${started.user_code}`);
		expect(started.expires_in).toBe(600);
		expect(started.interval).toBe(1);
		const polling = oauth.pollDeviceAuthorizationGrant(config, started);

		const { context, page } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			await page.goto(started.verification_uri_complete!);
			await expect.poll(() => page.getByTestId('device-client-name').textContent(), { timeout: 30_000 }).toContain('Globalping CLI');
			// The user narrows what the CLI asked for: read only.
			await page.getByTestId('device-scope-write').click();
			if (database === 'sqlite') await page.screenshot({ path: screenshotPath('tokens-device'), fullPage: true });
			await page.getByTestId('device-approve').click();
			await expect.poll(() => page.getByTestId('device-result').textContent(), { timeout: 15_000 }).toMatch(/approved/i);
			expect(new URL(page.url()).searchParams.get('user_code')).toBeNull();
		} finally {
			await context.close();
		}

		const tokens = await polling;
		expect(tokens.token_type).toBe('bearer');
		expect(tokens.scope).toBe('read');
		expect(tokens.access_token).toMatch(/^dtp_/);
		expect(tokens.expires_in).toBeGreaterThan(30 * 86_400 - 120);
		expect(tokens.expires_in).toBeLessThanOrEqual(30 * 86_400);
		const verdict = await validate(directus, tokens.access_token);
		expect(verdict).toMatchObject({ valid: true, token: { userId: alice.id, scopes: ['read'] } });

		const listed = await request(directus.url, 'GET', '/api-tokens', { token: alice.accessToken });
		const token = listed.body.tokens.find((t: { device_client: string | null }) => t.device_client === CLIENT_ID);
		expect(token).toMatchObject({ kind: 'personal', scopes: ['read'], name: `Globalping CLI on ${new Date().toISOString().slice(0, 10)}` });
		// Neither code is stored anywhere, nor the token.
		const dump = await dumpDatabase(directus.db);
		expect(dump).not.toContain(tokens.access_token);
		expect(dump).not.toContain(started.device_code);
		expect(dump).not.toContain(normaliseUserCode(started.user_code)!);
		// Every step is in the audit trail.
		const row = await requestRow(started.device_code);
		expect(row).toMatchObject({ status: 'redeemed', user: alice.id, token: token.id });
		const steps = (await directus.db(EVENTS_TABLE).where({ device: row.id }).orderBy('id')).map((event) => [event.type, event.user]);
		expect(steps).toEqual([
			['device_requested', null],
			['device_approved', alice.id],
			['device_redeemed', alice.id],
		]);
	});

	it("the README's CLI: signed out, the link goes through Directus sign-in and back; approving works with the keyboard alone", async () => {
		const shown = readFileSync(join(ROOT, 'README.md'), 'utf8').includes(readFileSync(join(ROOT, 'docs/examples/cli-device.mjs'), 'utf8').trim());
		expect(shown, 'the README shows docs/examples/cli-device.mjs as it is').toBe(true);
		const printed: string[] = [];
		const loggedIn = login(directus.url, { scope: 'read', print: (line) => printed.push(line) });
		await expect.poll(() => printed.length, { timeout: 10_000 }).toBe(1);
		const link = /Open (\S+)/.exec(printed[0]!)![1]!;
		expect(printed[0]).toMatch(/enter [A-Z]{4}-[A-Z]{4}$/);
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page: Page = await context.newPage();
		try {
			await page.goto(link);
			await page.waitForURL(/\/admin\/login/, { timeout: 30_000 });
			await page.locator('input[type="email"]').fill(alice.email);
			await page.locator('input[type="password"]').fill(alice.password);
			await page.keyboard.press('Enter');
			await page.waitForURL(/\/admin\/tokens\/device\?user_code=/, { timeout: 30_000 });
			await expect.poll(() => page.getByTestId('device-client-name').textContent(), { timeout: 30_000 }).toContain('Globalping CLI');
			// Tab to Approve and press Enter: no mouse.
			let focused = '';
			for (let presses = 0; presses < 40 && focused !== 'device-approve'; presses++) {
				await page.keyboard.press('Tab');
				focused = await page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? '');
			}
			expect(focused).toBe('device-approve');
			await page.keyboard.press('Enter');
			await expect.poll(() => page.getByTestId('device-result').textContent(), { timeout: 15_000 }).toMatch(/approved/i);
		} finally {
			await context.close();
		}
		const token = await loggedIn;
		expect(await validate(directus, token)).toMatchObject({ valid: true, token: { userId: alice.id, scopes: ['read'] } });
	});

	it("the README's chat bot connects an installation: the code in the chat, the token kept for it; a denial is told", async () => {
		const shown = readFileSync(join(ROOT, 'README.md'), 'utf8').includes(readFileSync(join(ROOT, 'docs/examples/bot-device.mjs'), 'utf8').trim());
		expect(shown, 'the README shows docs/examples/bot-device.mjs as it is').toBe(true);
		const chat: string[] = [];
		const connected = connect(directus.url, `T-${database}`, (text) => chat.push(text), { clientId: CLIENT_ID });
		await expect.poll(() => chat.length, { timeout: 10_000 }).toBe(1);
		const code = /approve the code ([A-Z]{4}-[A-Z]{4})/.exec(chat[0]!)![1]!;
		expect(chat[0]).toContain(`${directus.url}/admin/tokens/device?user_code=${code}`);
		expect((await decide(bob, 'approve', { user_code: code })).status).toBe(200);
		await connected;
		expect(chat[1]).toBe('Connected.');
		expect(await validate(directus, botTokens.get(`T-${database}`)!)).toMatchObject({ valid: true, token: { userId: bob.id } });

		const refused: string[] = [];
		const denied = connect(directus.url, `U-${database}`, (text) => refused.push(text), { clientId: CLIENT_ID });
		await expect.poll(() => refused.length, { timeout: 10_000 }).toBe(1);
		expect((await decide(bob, 'deny', { user_code: /code ([A-Z]{4}-[A-Z]{4})/.exec(refused[0]!)![1]! })).status).toBe(200);
		await denied;
		expect(refused[1]).toMatch(/^Not connected: /);
		expect(botTokens.has(`U-${database}`)).toBe(false);
	});

	it('deny: the client gets access_denied; nobody else can take the code over', async () => {
		const started = (await startDevice()).body;
		expect((await poll(started.device_code)).body.error).toBe('authorization_pending');
		const looked = await decide(bob, 'lookup', { user_code: started.user_code.toLowerCase() });
		expect(looked.status).toBe(200);
		conforms(looked, '/device/lookup');
		expect(looked.body).toMatchObject({ user_code: started.user_code, client: { client_id: CLIENT_ID, name: 'Globalping CLI' }, scopes: ['read', 'write'] });
		const denied = await decide(bob, 'deny', { user_code: started.user_code });
		expect(denied.status).toBe(200);
		expect(denied.body).toMatchObject({ status: 'denied' });
		// Decided: alice can neither approve it nor see it.
		expect((await decide(alice, 'approve', { user_code: started.user_code })).status).toBe(404);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const answer = await poll(started.device_code);
		expect(answer).toMatchObject({ status: 400, body: { error: 'access_denied' } });
	});

	it('a code approved by one user is redeemed for that user only, once; 200 concurrent polls get one token', async () => {
		const started = (await startDevice()).body;
		expect((await decide(bob, 'approve', { user_code: started.user_code, scopes: ['write'], name: 'bob on laptop' })).status).toBe(200);
		expect((await decide(alice, 'approve', { user_code: started.user_code })).status).toBe(404);
		const before = Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n);
		const answers = await Promise.all(Array.from({ length: 200 }, () => poll(started.device_code)));
		const won = answers.filter((a) => a.status === 200);
		expect(won).toHaveLength(1);
		for (const lost of answers.filter((a) => a.status !== 200)) {
			expect(lost.status).toBe(400);
			expect(['slow_down', 'invalid_grant']).toContain(lost.body.error);
		}
		expect(Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n)).toBe(before + 1);
		expect(await validate(directus, won[0]!.body.access_token)).toMatchObject({ valid: true, token: { userId: bob.id, scopes: ['write'] } });
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect((await poll(started.device_code)).body.error).toBe('invalid_grant');
	});

	it('slow_down: polling faster than the interval adds 5 s to it', async () => {
		const started = (await startDevice()).body;
		expect((await poll(started.device_code)).body.error).toBe('authorization_pending');
		const fast = await poll(started.device_code);
		expect(fast).toMatchObject({ status: 400, body: { error: 'slow_down' } });
		expect((await requestRow(started.device_code)).poll_interval).toBe(6);
		expect((await poll(started.device_code)).body.error).toBe('slow_down');
		expect((await requestRow(started.device_code)).poll_interval).toBe(11);
	});

	it('expiry: an expired request gets expired_token and can no longer be approved', async () => {
		const started = (await startDevice()).body;
		await directus.db(DEVICE_CODES_TABLE).where({ device_hash: hashCode(started.device_code) }).update({ expires_ms: Date.now() - 1 });
		expect(await poll(started.device_code)).toMatchObject({ status: 400, body: { error: 'expired_token' } });
		expect((await decide(alice, 'approve', { user_code: started.user_code })).status).toBe(404);
	});

	it('a brute force of user codes hits the per-user limit, then the per-IP limit; even the right code then gets 429; 200 parallel guesses get the limit', async () => {
		const started = (await startDevice()).body;
		const guesser = await createUser(directus, 'guesser');
		const wrong = () => (started.user_code === 'BBBB-BBBB' ? 'CCCC-CCCC' : 'BBBB-BBBB');
		for (let i = 0; i < ATTEMPTS; i++) expect((await decide(guesser, 'lookup', { user_code: wrong() })).status).toBe(404);
		const limited = await decide(guesser, 'lookup', { user_code: started.user_code });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
		// A right code does not count: alice looks it up as often as she likes.
		for (let i = 0; i < ATTEMPTS + 2; i++) expect((await decide(alice, 'lookup', { user_code: started.user_code })).status).toBe(200);
		// Per IP: two users sharing one address share its limit.
		const ip = randomIPv4();
		const [carol, dave] = [await createUser(directus, 'carol'), await createUser(directus, 'dave')];
		for (let i = 0; i < ATTEMPTS; i++) expect((await decide(i % 2 ? carol : dave, 'lookup', { user_code: wrong() }, ip)).status).toBe(404);
		expect((await decide(carol, 'approve', { user_code: started.user_code }, ip)).status).toBe(429);
		// 200 guesses at once, each from its own address: the user's limit still holds exactly.
		const erin = await createUser(directus, 'erin');
		const answers = await Promise.all(Array.from({ length: 200 }, () => decide(erin, 'lookup', { user_code: wrong() })));
		expect(answers.filter((a) => a.status === 404)).toHaveLength(ATTEMPTS);
		expect(answers.filter((a) => a.status === 429)).toHaveLength(200 - ATTEMPTS);
		expect(Number((await directus.db(EVENTS_TABLE).where({ type: 'device_bad_code', user: erin.id }).count({ n: '*' }).first())?.n)).toBe(ATTEMPTS);
	});

	it('bad input gets the RFC error codes with 400, never a 500, and stores nothing', async () => {
		const before = await directus.db(DEVICE_CODES_TABLE).count({ n: '*' }).first();
		const json = await fetch(api('/oauth/device_authorization'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: CLIENT_ID }) });
		expect(json.status).toBe(400);
		expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
		expect(await startDevice({})).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await startDevice(`client_id=${CLIENT_ID}&client_id=other`)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await startDevice({ client_id: 'x'.repeat(101) })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await startDevice({ client_id: 'nobody' })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
		expect(await startDevice({ client_id: CLIENT_ID, scope: 'read admin' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
		expect(await startDevice({ client_id: CLIENT_ID, scope: 'x'.repeat(20_000) })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await postForm(api('/oauth/token'), { grant_type: 'password', username: 'a', password: 'b' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
		expect(await postForm(api('/oauth/token'), { grant_type: GRANT, client_id: CLIENT_ID })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await postForm(api('/oauth/token'), {})).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await postForm(api('/oauth/token'), `grant_type=${encodeURIComponent(GRANT)}&device_code=a&device_code=b&client_id=${CLIENT_ID}`)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await poll('not-a-device-code')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
		expect(await directus.db(DEVICE_CODES_TABLE).count({ n: '*' }).first()).toEqual(before);

		// The approval steps: a plain user, signed in; never with one of our tokens.
		const started = (await startDevice()).body;
		expect((await decide(alice, 'approve', { user_code: started.user_code, scopes: ['admin'] })).body.errors[0].extensions).toMatchObject({ code: 'INVALID_SCOPES', field: 'scopes' });
		expect((await decide(alice, 'approve', { user_code: started.user_code, scopes: [] })).status).toBe(400);
		expect((await decide(alice, 'approve', { user_code: started.user_code, expires_at: '2999-01-01T00:00:00Z' })).body.errors[0].extensions.field).toBe('expires_at');
		expect((await decide(alice, 'approve', { user_code: started.user_code, name: 'a\u0000b' })).body.errors[0].extensions.field).toBe('name');
		expect((await decide(alice, 'approve', { user_code: 7 })).status).toBe(400);
		expect((await decide(alice, 'lookup', { user_code: started.user_code, extra: 1 })).status).toBe(400);
		const personal = await request(directus.url, 'POST', '/api-tokens', { token: alice.accessToken, body: { name: 'script', scopes: ['directus'] } });
		expect((await request(directus.url, 'POST', '/api-tokens/device/approve', { token: personal.body.token, body: { user_code: started.user_code } })).status).toBe(403);
		expect((await request(directus.url, 'POST', '/api-tokens/device/approve', { body: { user_code: started.user_code } })).status).toBe(401);
		expect((await requestRow(started.device_code)).status).toBe('pending');
	});

	it('admins manage device clients; others get 403; a disabled client gets invalid_client', async () => {
		expect((await request(directus.url, 'GET', '/api-tokens/device-clients', { token: alice.accessToken })).status).toBe(403);
		expect((await request(directus.url, 'POST', '/api-tokens/device-clients', { token: alice.accessToken, body: { name: 'x', scopes: ['read'] } })).status).toBe(403);
		const admin = (method: string, path: string, body?: unknown) => request(directus.url, method, `/api-tokens/device-clients${path}`, { token: directus.adminToken, body });
		const bot = await admin('POST', '', { name: 'Chat bot', scopes: ['read'] });
		expect(bot.status).toBe(201);
		expect(bot.body.client_id).toMatch(/^[0-9a-f]{24}$/);
		expect(bot.body).toMatchObject({ default_ttl: 90 * 86_400, max_ttl: 365 * 86_400, enabled: true });
		expect((await admin('POST', '', { name: 'Again', client_id: CLIENT_ID, scopes: ['read'] })).status).toBe(409);
		expect((await admin('POST', '', { name: 'Wide', scopes: ['introspect'] })).body.errors[0].extensions.field).toBe('scopes');
		expect((await admin('POST', '', { name: 'Long', scopes: ['read'], max_ttl: 400 * 86_400 })).body.errors[0].extensions.field).toBe('max_ttl');
		expect((await admin('PATCH', `/${bot.body.id}`, { default_ttl: 400 * 86_400 })).status).toBe(400);
		expect((await admin('PATCH', `/${bot.body.id}`, { client_id: 'renamed' })).status).toBe(400);
		const listed = await admin('GET', '');
		conforms(listed, '/device-clients', 'get');
		expect(listed.body.clients.map((c: { client_id: string }) => c.client_id)).toEqual(expect.arrayContaining([CLIENT_ID, bot.body.client_id]));

		const pending = (await startDevice({ client_id: bot.body.client_id })).body;
		expect((await admin('PATCH', `/${bot.body.id}`, { enabled: false })).body.enabled).toBe(false);
		expect(await startDevice({ client_id: bot.body.client_id })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
		expect(await poll(pending.device_code, bot.body.client_id)).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
		expect((await decide(alice, 'lookup', { user_code: pending.user_code })).status).toBe(404);
		expect((await admin('DELETE', `/${bot.body.id}`)).status).toBe(204);
		expect((await admin('DELETE', `/${bot.body.id}`)).status).toBe(404);
		expect(await requestRow(pending.device_code)).toBeUndefined();
	});

	it('admins register and remove device clients in the module; a token page names the client it was approved for', async () => {
		const { context, page } = await signedInPage(browser, directus, ADMIN_EMAIL, ADMIN_PASSWORD);
		try {
			await page.goto('/admin/tokens/device-clients');
			await page.getByTestId(`device-client-row-${CLIENT_ID}`).waitFor({ timeout: 30_000 });
			await page.getByTestId('device-client-add').click();
			await page.locator('input#client-name').fill('Discord bot');
			await page.locator('input#client-id').fill('discord-bot');
			await page.getByTestId('device-client-form').locator('[data-scope="read"]').click();
			await page.getByTestId('device-client-save').click();
			await page.getByTestId('device-client-row-discord-bot').waitFor({ timeout: 15_000 });
			const stored = (await request(directus.url, 'GET', '/api-tokens/device-clients', { token: directus.adminToken })).body.clients.find((c: { client_id: string }) => c.client_id === 'discord-bot');
			expect(stored).toMatchObject({ name: 'Discord bot', scopes: ['read'], enabled: true });
			if (database === 'sqlite') {
				await page.getByTestId('device-client-form').waitFor({ state: 'detached', timeout: 15_000 });
				await page.waitForTimeout(500); // the drawer's closing transition
				await page.screenshot({ path: screenshotPath('tokens-device-clients') });
			}
			await page.getByTestId('device-client-row-discord-bot').click();
			await page.getByTestId('device-client-delete').click();
			await page.getByTestId('device-client-confirm-button').click();
			await expect.poll(async () => (await request(directus.url, 'GET', '/api-tokens/device-clients', { token: directus.adminToken })).body.clients.length).toBe(1);

			// Alice's token from the first test, opened by the admin from "All tokens".
			const mine = (await request(directus.url, 'GET', '/api-tokens', { token: alice.accessToken })).body.tokens.find((t: { device_client: string | null }) => t.device_client === CLIENT_ID);
			await page.goto(`/admin/tokens/${mine.id}`);
			await expect.poll(() => page.getByTestId('token-creator').textContent(), { timeout: 30_000 }).toContain(`by approving the device client ${CLIENT_ID}`);
		} finally {
			await context.close();
		}
	});

	// Two processes on one database: PostgreSQL's run stands for all (registered there only, not skipped elsewhere).
	if (database === 'postgres') it('two Directus instances share the database: authorize on one, approve and poll on the other', async () => {
		const second = await startDirectus('postgres', env, { sharing: directus });
		try {
			const started = (await startDevice()).body;
			const session = (await request(second.url, 'POST', '/auth/login', { body: { email: alice.email, password: alice.password } })).body.data.access_token;
			const approved = await request(second.url, 'POST', '/api-tokens/device/approve', { token: session, body: { user_code: started.user_code, scopes: ['read'] } });
			expect(approved.status).toBe(200);
			const answer = await postForm(`${second.url}/api-tokens/oauth/token`, { grant_type: GRANT, device_code: started.device_code, client_id: CLIENT_ID });
			expect(answer.status).toBe(200);
			expect((await validate(directus, answer.body.access_token)).valid).toBe(true);
			expect((await postForm(api('/oauth/token'), { grant_type: GRANT, device_code: started.device_code, client_id: CLIENT_ID })).body.error).toMatch(/invalid_grant|slow_down/);
		} finally {
			await second.stop();
		}
	});

	it('the discovery document (RFC 8414) names every endpoint, with PUBLIC_URL as the issuer', async () => {
		const metadata = await request(directus.url, 'GET', '/.well-known/oauth-authorization-server');
		expect(metadata.status).toBe(200);
		expect(metadata.body).toMatchObject({
			issuer: directus.url,
			token_endpoint: api('/oauth/token'),
			introspection_endpoint: api('/introspect'),
			revocation_endpoint: api('/revoke'),
			token_endpoint_auth_methods_supported: ['none'],
		});
	});
});
