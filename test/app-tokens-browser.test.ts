/**
 * The app-token flow in real Chromium, as in production: the dashboard on `dash.apitokens.test`
 * sets its session cookie for `apitokens.test`; the demo website on `www.apitokens.test` gets a token
 * through the browser helper with no user action and calls an API protected by the validator; a
 * page on a foreign site gets 403 and no token; after sign-out the helper says so, with the sign-in
 * URL; the dashboard's token list never shows the app token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { registerDemoApp, startDemoServer } from '../demo/server.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startDirectus, type DirectusInstance } from './helpers/directus.js';
import { FOREIGN_DOMAIN, TEST_DOMAIN, launchBrowser, screenshotPath } from './helpers/browser.js';
import { request } from './helpers/http.js';

type DemoServer = Awaited<ReturnType<typeof startDemoServer>>;
interface DemoState {
	result: { status: string; token?: string; signInUrl?: string; message?: string } | null;
	api: { status: number; body: any } | null;
}

describe('app tokens in the browser', () => {
	let directus: DirectusInstance;
	let demo: DemoServer;
	let browser: Browser;
	let context: BrowserContext;
	let dashboard: string;
	let website: string;
	let appToken: string;

	const demoState = (page: Page) => page.evaluate(() => (window as unknown as { demo: DemoState }).demo);

	beforeAll(async () => {
		directus = await startDirectus('sqlite', { PUBLIC_URL: `http://dash.${TEST_DOMAIN}:{port}`, SESSION_COOKIE_DOMAIN: TEST_DOMAIN });
		dashboard = directus.env.PUBLIC_URL!;
		demo = await startDemoServer({ port: 0, dashboardUrl: dashboard, dbEnv: directus.database.dbEnv, logger: { warn: () => {} } });
		website = `http://www.${TEST_DOMAIN}:${demo.port}`;
		await registerDemoApp(directus.db, website);
		browser = await launchBrowser();
		context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
	});
	afterAll(async () => {
		await context?.close();
		await browser?.close();
		await demo?.close();
		await directus?.stop();
	});

	it('signs in on the dashboard host with a cookie for the parent domain', async () => {
		const page = await context.newPage();
		await page.goto(`${dashboard}/admin/login`);
		await page.locator('input[type="email"]').fill(ADMIN_EMAIL);
		await page.locator('input[type="password"]').fill(ADMIN_PASSWORD);
		await page.locator('input[type="password"]').press('Enter');
		await page.waitForURL(/\/admin\/(content|tokens|users)/, { timeout: 30_000 });
		const cookie = (await context.cookies(dashboard)).find((c) => c.name === 'directus_session_token');
		expect(cookie?.domain).toBe(`.${TEST_DOMAIN}`);
		await page.close();
	});

	it('gives the sibling site a token with no user action, and the validator accepts it', async () => {
		const page = await context.newPage();
		await page.goto(website);
		await expect.poll(async () => (await demoState(page)).api?.status, { timeout: 20_000 }).toBe(200);
		const state = await demoState(page);
		expect(state.result?.status).toBe('ok');
		appToken = state.result!.token!;
		expect(appToken).toMatch(/^dta_/);
		expect(state.api!.body.token).toMatchObject({ kind: 'app', scopes: ['read'] });
		expect(await page.locator('#status').getAttribute('data-status')).toBe('ok');
		expect(await page.locator('#sign-in').isVisible()).toBe(false);
		// The same token, checked by a validator of our own against the same database and origin.
		expect(await demo.validator.validate(appToken, { origin: website, scopes: ['read'] })).toMatchObject({ valid: true });
		expect(await demo.validator.validate(appToken, { origin: `http://evil.${TEST_DOMAIN}` })).toEqual({ valid: false, code: 'origin_not_allowed' });
		const row = await directus.db(TOKENS_TABLE).where({ kind: 'app' }).first();
		expect(Boolean(row.hidden)).toBe(true);
		await page.screenshot({ path: screenshotPath('demo-site'), fullPage: true });
		await page.close();
	});

	it('gives a page on a foreign site 403 and no token', async () => {
		const before = Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n);
		const page = await context.newPage();
		// Blocked CORS answers never reach page events: read their statuses from Chromium's network log.
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		// An ExtraInfo event may arrive before or after its request's main event, so both are kept
		// by request id and joined when read.
		const urls = new Map<string, string>();
		const statuses = new Map<string, number>();
		cdp.on('Network.requestWillBeSent', (event) => void urls.set(event.requestId, event.request.url));
		cdp.on('Network.responseReceivedExtraInfo', (event) => void statuses.set(event.requestId, event.statusCode));
		const appAnswers = () => [...statuses].filter(([id]) => urls.get(id)?.endsWith('/api-tokens/app')).map(([, status]) => status);
		await page.goto(`http://www.${FOREIGN_DOMAIN}:${demo.port}`);
		// The helper's JSON request needs a preflight, which is refused: the page gets no token.
		await expect.poll(async () => (await demoState(page)).result?.status, { timeout: 20_000 }).toBe('error');
		// A "simple" request skips the preflight; the server still refuses it by its Origin.
		await page.evaluate(async (url) => {
			await fetch(`${url}/api-tokens/app`, { method: 'POST', credentials: 'include', body: JSON.stringify({ app: 'demo' }) }).catch(() => null);
		}, dashboard);
		// The preflight of the helper's request and the simple request: both 403.
		await expect.poll(() => appAnswers().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
		expect(appAnswers().every((status) => status === 403)).toBe(true);
		expect(Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n)).toBe(before);
		await page.close();
	});

	it('never shows the app token in the dashboard token list', async () => {
		const personal = await request(directus.url, 'POST', '/api-tokens', { token: directus.adminToken, body: { name: 'Visible personal token' } });
		expect(personal.status).toBe(201);
		const page = await context.newPage();
		await page.goto(`${dashboard}/admin/tokens`);
		await page.getByText('Visible personal token').first().waitFor({ timeout: 30_000 });
		const text = await page.locator('body').innerText();
		expect(text).not.toContain(appToken.slice(0, 8));
		expect(text).not.toContain('dta_');
		await page.close();
	});

	it('reports signed out, with the sign-in URL, after the user signs out of the dashboard', async () => {
		const dash = await context.newPage();
		await dash.goto(`${dashboard}/admin/tokens`);
		const logout = await dash.evaluate(async () => {
			const response = await fetch('/auth/logout', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'session' }) });
			return response.status;
		});
		expect(logout).toBe(204);
		await dash.close();
		const page = await context.newPage();
		await page.goto(website);
		await expect.poll(async () => (await demoState(page)).result?.status, { timeout: 20_000 }).toBe('signed_out');
		expect((await demoState(page)).result?.signInUrl).toBe(`${dashboard}/admin/login`);
		expect(await page.locator('#sign-in').getAttribute('href')).toBe(`${dashboard}/admin/login`);
		expect(await page.locator('#sign-in').isVisible()).toBe(true);
		await page.screenshot({ path: screenshotPath('demo-site-signed-out') });
		// Signing out does not revoke app tokens already issued (they expire within a day).
		expect(await demo.validator.validate(appToken, { origin: website })).toMatchObject({ valid: true });
		await page.close();
	});
});
