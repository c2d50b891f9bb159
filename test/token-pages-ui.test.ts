/**
 * Issue 16 in a real Chromium against a real Directus (SQLite): the token lists fit 1280×800,
 * 1440×900 and 1920×1080 in light and dark themes (the first and last rows' names and actions inside
 * the viewport, and clickable); a row opens the token's page, where editing name, description and
 * scopes changes what the API answers and the history shows it; unknown and foreign ids show the API's
 * "not found"; a revoked token shows under Inactive with when and why it ended; after Create the URL
 * loses the link's parameters, a reload creates nothing, and the navigation shows where the user is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { buildNewTokenUrl } from '../src/client/build-new-token-url.js';
import { startDirectus, ADMIN_EMAIL, ADMIN_PASSWORD, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { launchBrowser, screenshotPath } from './helpers/browser.js';
import { signedInPage } from './helpers/tokens-ui.js';

const DAY = 86_400;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const VIEWPORTS = [
	{ width: 1280, height: 800 },
	{ width: 1440, height: 900 },
	{ width: 1920, height: 1080 },
] as const;
const THEMES = ['light', 'dark'] as const;

describe('token pages that fit a laptop, a page per token, inactive tokens, and Create without a replay', () => {
	let directus: DirectusInstance;
	let browser: Browser;
	let alice: TestUser;
	const ids: Record<string, string> = {};

	const api = (method: string, path: string, token: string, body?: unknown) => request(directus.url, method, `/api-tokens${path}`, { token, body });
	const count = async (token: string) => {
		const listed = await api('GET', '?delta=-1000&include_revoked=true', token);
		return listed.status === 204 ? 0 : (listed.body.tokens as unknown[]).length;
	};

	beforeAll(async () => {
		directus = await startDirectus('sqlite');
		alice = await createUser(directus, 'alice', { appAccess: true });
		browser = await launchBrowser();
		const tokens = [
			{ name: 'Globalping CLI on the office laptop', description: 'Measurements from the command line, for the weekly report', scopes: ['read', 'directus'], origins: [], duration: 90 * DAY, refreshable: true },
			{ name: 'Deploy bot', scopes: ['write'], origins: ['https://www.example.com', 'https://ci.example.org'], duration: 3 * DAY },
			{ name: 'Grafana dashboard', description: 'Read-only panels', scopes: ['read'], origins: ['https://grafana.example.com'], duration: 180 * DAY },
			{ name: 'Backup job', scopes: ['read', 'write'], origins: [], duration: 30 * DAY, refreshable: true },
			{ name: 'Chat bot (Slack workspace T024BE7LD) with a rather long name that must not push the actions away', scopes: ['read', 'write', 'directus'], origins: [], duration: 365 * DAY },
		];
		for (const body of tokens) {
			const created = await api('POST', '', alice.accessToken, body);
			expect(created.status).toBe(201);
			ids[body.name] = created.body.info.id;
		}
		await api('POST', '', directus.adminToken, { name: 'Admin laptop', scopes: ['read'], duration: 30 * DAY });
	});
	afterAll(async () => {
		await browser?.close();
		await directus?.stop();
	});

	/** Sets a user's Directus appearance (the app's light/dark setting), as an admin would. */
	async function setAppearance(user: string, appearance: 'light' | 'dark') {
		const response = await request(directus.url, 'PATCH', `/users/${user}`, { token: directus.adminToken, body: { appearance } });
		expect(response.status, JSON.stringify(response.body)).toBe(200);
	}

	/** Inside the viewport, not covered, and clickable (Playwright's trial click checks hit-testing). */
	async function expectOnScreen(page: Page, locator: Locator, what: string) {
		const viewport = page.viewportSize()!;
		const box = await locator.boundingBox();
		expect(box, what).not.toBeNull();
		expect(box!.x, `${what} left`).toBeGreaterThanOrEqual(0);
		expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
		expect(box!.x + box!.width, `${what} right edge at ${viewport.width}`).toBeLessThanOrEqual(viewport.width);
		expect(box!.y + box!.height, `${what} bottom edge at ${viewport.height}`).toBeLessThanOrEqual(viewport.height);
		await locator.click({ trial: true, timeout: 5_000 });
	}

	async function expectRowsFit(page: Page, label: string) {
		const rows = page.locator('tr.table-row');
		await poll(() => rows.count()).toBeGreaterThan(1);
		// The columns follow the table's width: let them settle before measuring.
		await poll(() => page.evaluate(() => {
			const box = document.querySelector('.token-table-scroll');
			return box ? box.scrollWidth - box.clientWidth : -1;
		})).toBeLessThanOrEqual(0);
		for (const [which, row] of [['first', rows.first()], ['last', rows.last()]] as const) {
			await row.scrollIntoViewIfNeeded();
			await expectOnScreen(page, row.locator('.token-name'), `${label}: name of the ${which} row`);
			const buttons = row.locator('.row-actions button');
			expect(await buttons.count(), `${label}: actions of the ${which} row`).toBeGreaterThan(0);
			for (const button of await buttons.all()) await expectOnScreen(page, button, `${label}: ${await button.innerText().catch(() => 'button')} of the ${which} row`);
		}
		// A real click on the last row's Revoke opens its dialog (then cancelled).
		const last = rows.last();
		const name = (await last.locator('.token-name').innerText()).trim();
		await last.locator('.row-actions .revoke button').click();
		const dialog = page.locator('.token-action-dialog');
		await poll(() => dialog.innerText()).toContain(`Revoke “${name}”?`);
		await dialog.getByRole('button', { name: 'Cancel' }).click();
		await poll(() => dialog.count()).toBe(0);
	}

	const navActive = (page: Page, key: string) => page.locator(`[data-nav="${key}"]`).evaluate((element) => element.classList.contains('active'));

	async function backgroundLuminance(page: Page): Promise<number> {
		return page.evaluate(() => {
			// The first painted background behind the table (the main content area).
			for (let element: Element | null = document.querySelector('.token-table-scroll'); element; element = element.parentElement) {
				const [r, g, b, a = 1] = (getComputedStyle(element).backgroundColor.match(/\d+(\.\d+)?/g) ?? []).map(Number);
				if (r !== undefined && a > 0) return (0.2126 * r + 0.7152 * g! + 0.0722 * b!) / 255;
			}
			return -1;
		});
	}

	for (const theme of THEMES) {
		for (const viewport of VIEWPORTS) {
			it(`My tokens and All tokens fit ${viewport.width}×${viewport.height} (${theme}): names and actions of the first and last rows on screen and clickable`, async () => {
				await setAppearance(alice.id, theme);
				await setAppearance('me', theme);
				for (const [who, email, password, path] of [
					['alice', alice.email, alice.password, '/admin/tokens'],
					['admin', ADMIN_EMAIL, ADMIN_PASSWORD, '/admin/tokens/all'],
				] as const) {
					const { context, page } = await signedInPage(browser, directus, email, password);
					try {
						await page.setViewportSize(viewport);
						await page.goto(`${directus.url}${path}`);
						await page.locator('tr.table-row').first().waitFor();
						const luminance = await backgroundLuminance(page);
						if (theme === 'dark') expect(luminance, `${who}: dark background`).toBeLessThan(0.35);
						else expect(luminance, `${who}: light background`).toBeGreaterThan(0.65);
						await expectRowsFit(page, `${who} ${path} at ${viewport.width} ${theme}`);
						// The README's 1280 screenshots (tokens-ui.test.ts takes the 1920 ones).
						if (theme === 'light' && viewport.width === 1280) await page.screenshot({ path: screenshotPath(`${who === 'alice' ? 'tokens-list' : 'tokens-admin'}-1280`) });
					} finally {
						await context.close();
					}
				}
			});
		}
	}

	it('a row opens the token’s page; editing name, description and scopes changes what the API answers, and the history shows it', async () => {
		await setAppearance(alice.id, 'light');
		const { context, page } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			await page.setViewportSize({ width: 1280, height: 800 });
			await page.goto(`${directus.url}/admin/tokens`);
			const row = page.locator('tr.table-row', { hasText: 'Grafana dashboard' });
			await row.waitFor();
			await row.locator('td.cell').nth(1).click(); // not the name link: the row itself
			const id = ids['Grafana dashboard']!;
			await page.waitForURL(new RegExp(`/admin/tokens/${id}$`));
			await poll(() => page.inputValue('#edit-name')).toBe('Grafana dashboard');
			expect(await page.locator('[data-testid="token-creator"]').innerText()).toBe('You');
			expect(await navActive(page, 'mine')).toBe(true);
			await page.screenshot({ path: screenshotPath('tokens-page'), fullPage: true });

			await page.fill('#edit-name', 'Grafana (ops)');
			await page.locator('[data-testid="edit-description"] textarea').fill('Panels of the ops team');
			await page.locator('#edit-origins').fill('https://ops.example.com');
			await page.locator('#edit-origins').press('Enter');
			// Its only scope can be taken away (a token with no scopes), never one added: only its own are offered.
			expect(await page.locator('[data-testid="edit-scopes"] [data-scope]').count()).toBe(1);
			await page.locator('[data-testid="edit-scopes"] [data-scope="read"]').click();
			await page.locator('[data-testid="edit-save"]').click();
			await page.locator('[data-testid="edit-saved"]').waitFor();
			const after = await api('GET', `/${id}`, alice.accessToken);
			expect(after.body).toMatchObject({ name: 'Grafana (ops)', description: 'Panels of the ops team', scopes: [], origins: ['https://grafana.example.com', 'https://ops.example.com'] });
			await poll(() => page.locator('[data-testid="token-timeline"]').innerText()).toMatch(/Changed[\s\S]*by you/);

			// A later expiry within the cap.
			const before = Date.parse(after.body.expiration);
			await page.locator('[data-testid="edit-expiry"] .v-input').click();
			await page.locator('.v-menu-content .v-list-item', { hasText: 'The latest allowed' }).click();
			await page.locator('[data-testid="edit-save"]').click();
			await page.locator('[data-testid="edit-saved"]').waitFor();
			const extended = await api('GET', `/${id}`, alice.accessToken);
			expect(Date.parse(extended.body.expiration)).toBeGreaterThan(before);

			// A server refusal shows next to Save: the token was revoked behind the page's back.
			const other = ids['Backup job']!;
			await page.goto(`${directus.url}/admin/tokens/${other}`);
			await poll(() => page.inputValue('#edit-name')).toBe('Backup job');
			expect((await api('DELETE', `/${other}`, alice.accessToken)).status).toBe(204);
			await page.fill('#edit-name', 'Backup job (nightly)');
			await page.locator('[data-testid="edit-save"]').click();
			await poll(() => page.locator('[data-testid="edit-error"]').innerText()).toBe('No such token.');
		} finally {
			await context.close();
		}
	});

	it('unknown and foreign ids show the API’s own “not found”; admins open any token from All tokens', async () => {
		const { context, page } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			const adminToken = (await api('GET', '', directus.adminToken)).body.tokens.find((t: { name: string }) => t.name === 'Admin laptop');
			const answers: string[] = [];
			for (const id of [randomUUID(), adminToken.id, 'not-a-uuid']) {
				const viaApi = await api('GET', `/${id}`, alice.accessToken);
				expect(viaApi.status).toBe(404);
				await page.goto(`${directus.url}/admin/tokens/${id}`);
				await poll(() => page.locator('[data-testid="token-not-found"]').count()).toBe(1);
				answers.push(await page.locator('[data-testid="token-not-found"]').innerText());
				expect(answers.at(-1)).toBe(viaApi.body.errors[0].message);
			}
			expect(new Set(answers).size).toBe(1);
		} finally {
			await context.close();
		}
		const { context: adminContext, page: admin } = await signedInPage(browser, directus, ADMIN_EMAIL, ADMIN_PASSWORD);
		try {
			await admin.goto(`${directus.url}/admin/tokens/all`);
			await admin.locator('tr.table-row', { hasText: 'Deploy bot' }).locator('.token-name').click();
			await admin.waitForURL(new RegExp(`/admin/tokens/${ids['Deploy bot']}$`));
			await poll(() => admin.inputValue('#edit-name')).toBe('Deploy bot');
			await poll(() => admin.locator('.token-page').innerText()).toContain(alice.email);
			expect(await navActive(admin, 'all')).toBe(true);
		} finally {
			await adminContext.close();
		}
	});

	it('an expiry notice’s link (?renew=1) opens Regenerate with a renewed expiry ticked: one click gives a new secret and a new expiry', async () => {
		const created = await api('POST', '', alice.accessToken, { name: 'Expiring soon', scopes: ['read'], duration: 30 * DAY });
		const id = created.body.info.id as string;
		// As if made 25 days ago: it expires in 5 days, its lifetime at creation was 30.
		const back = 25 * DAY * 1000;
		const row = await directus.db('api_tokens').where({ id }).first();
		const toDate = (value: unknown) => new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number | Date));
		await directus.db('api_tokens').where({ id }).update({ date_created: new Date(toDate(row.date_created).getTime() - back), expires_at: new Date(toDate(row.expires_at).getTime() - back) });
		const before = Date.parse((await api('GET', `/${id}`, alice.accessToken)).body.expiration);
		const { context, page } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			await page.goto(`${directus.url}/admin/tokens/${id}?renew=1`);
			const dialog = page.locator('.token-action-dialog');
			await dialog.waitFor();
			expect(await dialog.innerText()).toContain('Also renew its expiry: 30 days from now');
			expect(await dialog.locator('[data-testid="renew-checkbox"] input, [data-testid="renew-checkbox"]').first().getAttribute('class')).toMatch(/checked/);
			await poll(() => new URL(page.url()).search).toBe('');
			await dialog.getByRole('button', { name: 'Regenerate token' }).click();
			await poll(() => page.locator('.token-reveal').count()).toBeGreaterThan(0);
			const after = Date.parse((await api('GET', `/${id}`, alice.accessToken)).body.expiration);
			expect(after - before).toBeGreaterThan(24 * DAY * 1000);
			expect(Math.abs(after - (Date.now() + 30 * DAY * 1000))).toBeLessThan(120_000);
			await page.reload();
			await page.locator('[data-testid="token-actions"]').waitFor();
			expect(await page.locator('.token-action-dialog').count()).toBe(0);
		} finally {
			await context.close();
		}
	});

	it('a token revoked on its page shows under Inactive, greyed, with when and why it ended', async () => {
		const { context, page } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			await page.setViewportSize({ width: 1280, height: 800 });
			const id = ids['Deploy bot']!;
			await page.goto(`${directus.url}/admin/tokens/${id}`);
			await page.locator('[data-testid="token-actions"]').getByRole('button', { name: 'Revoke' }).click();
			await page.locator('.token-action-dialog').getByRole('button', { name: 'Revoke token' }).click();
			await poll(() => page.locator('[data-testid="token-ended"]').count()).toBe(1);
			expect(await page.locator('[data-testid="token-ended"]').innerText()).toMatch(/^Revoked just now/);
			expect(await page.locator('[data-testid="token-timeline"]').innerText()).toMatch(/Revoked[\s\S]*by you/);
			expect(await page.locator('[data-testid="token-actions"]').count()).toBe(0);
			expect(await api('GET', `/${id}`, alice.accessToken)).toMatchObject({ status: 200, body: { revoked: true } });

			await page.goto(`${directus.url}/admin/tokens`);
			await page.locator('tr.table-row').first().waitFor();
			expect(await page.locator('tr.table-row', { hasText: 'Deploy bot' }).count()).toBe(0);
			await page.locator('[data-testid="filter-status"] .v-select').click();
			await page.locator('.v-menu-content .v-list-item', { hasText: 'Inactive' }).click();
			const row = page.locator('tr.table-row', { hasText: 'Deploy bot' });
			await row.waitFor();
			expect(await row.locator('[data-testid="ended"]').innerText()).toMatch(/Revoked\s+just now/);
			const opacity = await row.locator('td.cell').first().evaluate((cell) => Number(getComputedStyle(cell).opacity));
			expect(opacity).toBeLessThan(1);
			expect(await page.locator('tr.table-row', { hasText: 'Grafana' }).count()).toBe(0);
			await page.screenshot({ path: screenshotPath('tokens-inactive') });
		} finally {
			await context.close();
		}
	});

	it('after Create the URL loses the link’s parameters, a reload creates nothing, and the navigation shows where the user is', async () => {
		const { context, page } = await signedInPage(browser, directus, alice.email, alice.password);
		try {
			await page.setViewportSize({ width: 1280, height: 800 });
			await page.goto(buildNewTokenUrl({ dashboardUrl: directus.url, name: 'From a link', scopes: ['read'], expiresIn: 30 }));
			await poll(() => page.inputValue('#token-name')).toBe('From a link');
			expect(await navActive(page, 'new')).toBe(true);
			const before = await count(alice.accessToken);
			await page.getByRole('button', { name: 'Create token' }).click();
			const revealed = page.locator('input[data-testid="revealed-token"]');
			await revealed.waitFor();
			expect(await count(alice.accessToken)).toBe(before + 1);
			await poll(() => new URL(page.url()).search).toBe('');
			expect(new URL(page.url()).pathname).toBe('/admin/tokens/new');
			// The reveal survived the URL change, and the navigation no longer says "Create token".
			expect(await revealed.inputValue()).toMatch(/^dtp_/);
			expect(await navActive(page, 'new')).toBe(false);
			expect(await navActive(page, 'mine')).toBe(true);

			await page.reload();
			await page.locator('#token-name').waitFor();
			expect(await page.inputValue('#token-name')).toBe('');
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(await count(alice.accessToken)).toBe(before + 1);
			expect(await page.locator('input[data-testid="revealed-token"]').count()).toBe(0);
		} finally {
			await context.close();
		}
	});
});
