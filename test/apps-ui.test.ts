/**
 * The Apps page (`/admin/tokens/apps`) in a real Chromium against a real Directus (SQLite), at
 * 1280×800: an admin registers an app with the keyboard (a loosely typed origin is saved
 * normalised); a bad origin and a taken name get the server's refusal under the field and save
 * nothing; scopes and lifetime are edited (only the changed fields are sent); disabling asks first
 * and revokes the app's live token; deleting asks first and removes it; every row fits the screen;
 * a non-admin gets a notice. What the page shows is checked against `GET /api-tokens/apps` and the
 * database. The README's screenshots are saved on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { APPS_TABLE, TOKENS_TABLE } from '../src/shared/constants.js';
import { startDirectus, ADMIN_EMAIL, ADMIN_PASSWORD, type DirectusInstance } from './helpers/directus.js';
import { createUser, sessionCookie, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { launchBrowser, screenshotPath } from './helpers/browser.js';
import { signedInPage } from './helpers/tokens-ui.js';

const VIEWPORT = { width: 1280, height: 800 };
const WWW = 'https://www.example.com';
/** Pages render after the app boots: poll longer than vitest's 1 s default. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('the Apps page in the Directus app', () => {
	let directus: DirectusInstance;
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	let alice: TestUser;

	const listApps = async () => {
		const answer = await request(directus.url, 'GET', '/api-tokens/apps', { token: directus.adminToken });
		expect(answer.status).toBe(200);
		return answer.body.apps as Array<Record<string, unknown>>;
	};
	const appCount = async () => Number((await directus.db(APPS_TABLE).count({ n: '*' }).first())?.n);
	const row = (name: string) => page.locator('tr.table-row').filter({ has: page.locator('.app-name', { hasText: new RegExp(`^${name}$`) }) });
	const drawer = () => page.locator('[data-testid="app-form"]');
	const confirmDialog = () => page.locator('[data-testid="app-confirm"]');
	const focusedId = () => page.evaluate(() => document.activeElement?.id ?? null);
	const openApps = async () => {
		await page.goto(`${directus.url}/admin/tokens/apps`);
		await page.locator('.apps-page .intro').waitFor();
	};
	/** Opens the unit menu of the lifetime field and picks `unit`. */
	const pickUnit = async (unit: string) => {
		await page.locator('[data-testid="app-lifetime-unit"] .v-input').click();
		await page.locator('.v-menu-content .v-list-item', { hasText: new RegExp(`^\\s*${unit}\\s*$`) }).click();
		await poll(() => page.locator('[data-testid="app-lifetime-unit"] input').inputValue()).toBe(unit);
	};

	beforeAll(async () => {
		directus = await startDirectus('sqlite');
		alice = await createUser(directus, 'alice', { appAccess: true });
		browser = await launchBrowser();
		({ context, page } = await signedInPage(browser, directus, ADMIN_EMAIL, ADMIN_PASSWORD));
		await page.setViewportSize(VIEWPORT);
	});
	afterAll(async () => {
		await context?.close();
		await browser?.close();
		await directus?.stop();
	});

	it('registers an app with the keyboard: the loosely typed origin is saved normalised, and listed', async () => {
		await openApps();
		await page.getByText('No apps yet').waitFor();
		await page.getByRole('link', { name: 'Apps' }).waitFor(); // the admin's navigation lists the page
		await page.locator('[data-testid="register-app"]').click();
		await poll(focusedId).toBe('app-name'); // autofocus
		await page.keyboard.type('globalping-web');
		await page.keyboard.press('Tab');
		expect(await focusedId()).toBe('app-origins');
		await page.keyboard.type('https://WWW.Example.com/');
		await poll(() => page.inputValue('#app-origins')).toBe('https://WWW.Example.com/');
		await page.keyboard.press('Enter'); // adds the tag, does not submit
		await poll(() => page.locator('.origins-input .tag .origin').allInnerTexts()).toEqual([WWW]);
		expect(await drawer().count()).toBe(1);
		await page.keyboard.press('Tab'); // the tag's remove button
		await page.keyboard.press('Tab'); // first scope
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-scope'))).toBe('read');
		await page.keyboard.press('Space');
		expect(await page.getAttribute('[data-scope="read"]', 'aria-pressed')).toBe('true');
		// The server's defaults, within its cap for app tokens (one day).
		expect(await page.inputValue('#app-lifetime')).toBe('1');
		expect(await page.locator('[data-testid="app-lifetime-unit"] input').inputValue()).toBe('days');
		expect(await page.locator('#app-lifetime-messages').innerText()).toContain('At most 1 day on this server.');
		expect(await page.inputValue('#app-max-active')).toBe('5');

		const created = page.waitForResponse((r) => r.url().endsWith('/api-tokens/apps') && r.request().method() === 'POST');
		await page.focus('#app-name');
		await page.keyboard.press('Enter'); // Enter submits
		expect((await created).status()).toBe(201);
		await poll(() => drawer().count()).toBe(0);
		await row('globalping-web').waitFor();
		const shown = await row('globalping-web').innerText();
		expect(shown).toContain(WWW);
		expect(shown).toContain('read');
		expect(shown).toContain('1 day');
		expect(shown).toContain('5 per user');
		expect(shown).toContain('Enabled');

		expect(await listApps()).toEqual([
			expect.objectContaining({ name: 'globalping-web', origins: [WWW], scopes: ['read'], ttl: 86_400, max_active_per_user: 5, enabled: true }),
		]);
	});

	it('shows the server’s refusal of a bad origin (and of a taken name) next to the field, and saves nothing', async () => {
		const typed = 'ftp://files.example.com';
		const before = await appCount();
		await openApps();
		await page.locator('[data-testid="register-app"]').click();
		await page.locator('#app-name').fill('bad-site');
		await page.locator('#app-origins').fill(typed);
		await page.locator('#app-origins').press('Enter');
		// The hint says it before sending; the text stays in the field for correction.
		await poll(() => page.locator('#app-origins-messages .error').innerText()).toBe(`"${typed}" must use http or https.`);
		expect(await page.inputValue('#app-origins')).toBe(typed);

		// Save asks the server anyway: its own message (without its leading "origins: ") lands under the field.
		const refused = page.waitForResponse((r) => r.url().endsWith('/api-tokens/apps') && r.request().method() === 'POST');
		await page.locator('[data-testid="app-save"]').click();
		const answer = await refused;
		expect(answer.status()).toBe(400);
		const error = (await answer.json()).errors[0];
		expect(error.extensions.field).toBe('origins');
		expect(error.message).toBe(`origins: origin "${typed}" must use http or https.`);
		await poll(() => page.locator('#app-origins-messages .error').innerText()).toBe(`Origin "${typed}" must use http or https.`);
		expect(await page.locator('.form-error').count()).toBe(0);
		expect(await drawer().count()).toBe(1);
		await page.locator('#app-name').scrollIntoViewIfNeeded();
		await page.screenshot({ path: screenshotPath('tokens-apps-refused') });

		// Fixing the origin clears its refusal; a name in use is refused (409) under the name.
		await page.locator('#app-origins').fill('https://shop.example.com');
		await poll(() => page.locator('#app-origins-messages .error').count()).toBe(0);
		await page.locator('#app-name').fill('globalping-web');
		const conflict = page.waitForResponse((r) => r.url().endsWith('/api-tokens/apps') && r.request().method() === 'POST');
		await page.locator('[data-testid="app-save"]').click();
		expect((await conflict).status()).toBe(409);
		await poll(() => page.locator('#app-name-messages .error').innerText()).toBe('An app named "globalping-web" exists already.');

		// Escape closes the drawer; nothing was saved.
		await page.keyboard.press('Escape');
		await poll(() => drawer().count()).toBe(0);
		expect(await appCount()).toBe(before);
		expect((await listApps()).map((app) => app.name)).toEqual(['globalping-web']);
		expect(await row('bad-site').count()).toBe(0);
	});

	it('edits scopes and lifetime: only what changed is sent, and the table and the API show it', async () => {
		await openApps();
		await row('globalping-web').click();
		await poll(() => page.inputValue('#app-name')).toBe('globalping-web');
		expect(await page.locator('.origins-input .tag .origin').allInnerTexts()).toEqual([WWW]);
		await page.locator('[data-scope="directus"]').click();
		await page.locator('#app-lifetime').fill('12');
		await pickUnit('hours');

		const patched = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/api-tokens/apps/'));
		await page.locator('[data-testid="app-save"]').click();
		expect((await patched).postDataJSON()).toEqual({ scopes: ['read', 'directus'], ttl: 43_200 });
		await poll(() => drawer().count()).toBe(0);
		await poll(() => row('globalping-web').innerText()).toContain('12 hours');
		expect(await row('globalping-web').locator('[data-testid="app-scopes"]').innerText()).toBe('directus\nread');
		expect(await listApps()).toEqual([expect.objectContaining({ name: 'globalping-web', scopes: ['directus', 'read'], ttl: 43_200, enabled: true })]);
	});

	it('disabling asks first, counting the app’s live tokens; confirmed, its token stops working', async () => {
		const [web] = await listApps();
		// Alice's dashboard session gets a token for the app, the way the website asks for one.
		const cookie = await sessionCookie(directus, alice.email, alice.password);
		const issued = await request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'globalping-web' }, headers: { origin: WWW, cookie } });
		expect(issued.status).toBe(201);
		const token = issued.body.token as string;
		const me = () => request(directus.url, 'GET', '/users/me?fields=id', { token, headers: { origin: WWW } }); // from its page, as the page would
		expect((await me()).body.data.id).toBe(alice.id); // it holds "directus" since the edit
		const tokenRow = () => directus.db(TOKENS_TABLE).where({ kind: 'app', app: web!.id, user: alice.id }).first();
		expect((await tokenRow()).revoked_at).toBeNull();

		await openApps();
		await row('globalping-web').getByRole('button', { name: 'Edit globalping-web' }).click();
		await poll(() => page.inputValue('#app-name')).toBe('globalping-web');
		await page.locator('[data-testid="app-enabled"]').click();
		expect(await page.locator('#app-enabled-messages').innerText()).toContain('revokes every token it issued');
		await page.locator('[data-testid="app-save"]').click();
		await poll(() => confirmDialog().innerText()).toContain('Disable “globalping-web”?');
		await poll(() => page.locator('[data-testid="app-confirm-text"]').innerText()).toContain('its 1 active token stops working at once');
		await poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Cancel');

		// Escape closes the dialog, not the drawer under it, and sends nothing.
		await page.keyboard.press('Escape');
		await poll(() => confirmDialog().count()).toBe(0);
		expect(await drawer().count()).toBe(1);
		expect((await listApps())[0]).toMatchObject({ enabled: true });

		await page.locator('[data-testid="app-save"]').click();
		await confirmDialog().waitFor();
		const patched = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/api-tokens/apps/'));
		await page.locator('[data-testid="app-confirm-button"]').click();
		expect((await patched).postDataJSON()).toEqual({ enabled: false });
		await poll(() => row('globalping-web').locator('[data-testid="app-status"]').innerText()).toBe('Disabled');
		await poll(() => drawer().count()).toBe(0); // after its closing transition
		expect((await listApps())[0]).toMatchObject({ enabled: false });
		expect((await tokenRow()).revoked_at).not.toBeNull();
		expect((await me()).status).toBe(401);
	});

	it('deletes behind a dialog that names the app: it is gone from the table and the API', async () => {
		await openApps();
		await row('globalping-web').click();
		await poll(() => page.inputValue('#app-name')).toBe('globalping-web');
		await page.locator('[data-testid="app-delete"]').click();
		await poll(() => confirmDialog().innerText()).toContain('Delete “globalping-web”?');
		await poll(() => page.locator('[data-testid="app-confirm-text"]').innerText()).toContain('it has no active tokens'); // revoked when it was disabled
		const removed = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/api-tokens/apps/'));
		await page.locator('[data-testid="app-confirm-button"]').click();
		expect((await removed).status()).toBe(204);
		await poll(() => row('globalping-web').count()).toBe(0);
		await poll(() => drawer().count()).toBe(0);
		expect(await listApps()).toEqual([]);
		await page.getByText('No apps yet').waitFor();
	});

	it('fits 1280×800: no horizontal scrolling, every row’s Edit action on screen', async () => {
		const register = (body: Record<string, unknown>) => request(directus.url, 'POST', '/api-tokens/apps', { token: directus.adminToken, body });
		for (const body of [
			{ name: 'globalping-web', origins: [WWW, 'https://*.globalping.example.com'], scopes: ['read', 'directus'], ttl: 86_400, max_active_per_user: 5 },
			{ name: 'docs', origins: ['https://docs.example.com', 'https://beta.docs.example.com', 'http://localhost:3000'], scopes: ['read'], ttl: 5_400, max_active_per_user: 20 },
			{ name: 'marketing-site-with-a-rather-long-name', origins: ['https://marketing.example.com'], scopes: ['read', 'write', 'directus'], ttl: 3_600, enabled: false },
		]) {
			expect((await register(body)).status).toBe(201);
		}
		await openApps();
		await poll(() => page.locator('tr.table-row').count()).toBe(3);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
		const table = page.locator('.app-table');
		expect(await table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
		const tableBox = (await table.boundingBox())!;
		for (const name of ['docs', 'globalping-web', 'marketing-site-with-a-rather-long-name']) {
			const edit = (await row(name).getByRole('button', { name: `Edit ${name}` }).boundingBox())!;
			expect(edit.x + edit.width, name).toBeLessThanOrEqual(Math.min(VIEWPORT.width, tableBox.x + tableBox.width));
			expect(edit.y + edit.height, name).toBeLessThanOrEqual(VIEWPORT.height);
		}
		expect(await row('docs').innerText()).toMatch(/\+2 more[\s\S]*90 minutes[\s\S]*20 per user/);
		await page.screenshot({ path: screenshotPath('tokens-apps') });
	});

	it('a non-admin sees no Apps link and a notice at its address; the API refuses them too', async () => {
		const { context: theirs, page: own } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			await own.setViewportSize(VIEWPORT);
			await own.goto(`${directus.url}/admin/tokens`);
			await own.getByRole('link', { name: 'My tokens' }).waitFor();
			expect(await own.getByRole('link', { name: 'Apps' }).count()).toBe(0);
			await own.goto(`${directus.url}/admin/tokens/apps`);
			await own.locator('[data-testid="apps-admins-only"]').waitFor();
			expect(await own.locator('[data-testid="apps-admins-only"]').innerText()).toContain('Only admins manage token apps.');
			expect(await own.locator('.app-table').count()).toBe(0);
			expect(await own.locator('[data-testid="register-app"]').count()).toBe(0);
			expect((await request(directus.url, 'GET', '/api-tokens/apps', { token: alice.accessToken })).status).toBe(403);
		} finally {
			await theirs.close();
		}
	});
});
