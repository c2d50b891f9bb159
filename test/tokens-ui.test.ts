/**
 * The token pages in a real Chromium against a real Directus (SQLite): a prefilled link fills the
 * form, Create reveals a token once and the copied value is accepted by the validator; regenerate
 * and revoke behind confirm dialogs; invalid link parameters warn; a non-admin sees only their own
 * tokens; the admin view; keyboard-only use. Screenshots for the README are saved on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildNewTokenUrl } from '../src/client/build-new-token-url.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { startDirectus, ADMIN_EMAIL, ADMIN_PASSWORD, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { launchBrowser, screenshotPath } from './helpers/browser.js';
import { insertAppToken, signedInPage, validate } from './helpers/tokens-ui.js';
// The README's CLI example, run as it is: the documentation is tested.
import { receiveToken } from '../docs/examples/cli-loopback.mjs';

const DAY = 86_400;
/** Pages render after the app boots: poll longer than vitest's 1 s default. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('token pages in the Directus app', () => {
	let directus: DirectusInstance;
	let browser: Browser;
	let alice: TestUser;
	let page: Page;

	const api = (method: string, path: string, token: string, body?: unknown) => request(directus.url, method, `/api-tokens${path}`, { token, body });
	const row = (name: string) => page.locator('tr.table-row', { hasText: name });

	beforeAll(async () => {
		directus = await startDirectus('sqlite');
		alice = await createUser(directus, 'alice', { appAccess: true });
		browser = await launchBrowser();
		({ page } = await signedInPage(browser, directus, alice.email, alice.password));
	});
	afterAll(async () => {
		await browser?.close();
		await directus?.stop();
	});

	it('fills the form from a prefilled link, creates on Enter, reveals once and the copied token is valid', async () => {
		const link = buildNewTokenUrl({
			dashboardUrl: directus.url,
			name: 'Globalping CLI',
			description: 'On my laptop',
			scopes: ['read', 'directus'],
			expiresIn: 30,
			origins: ['https://www.example.com'],
		});
		const before = await directus.db(TOKENS_TABLE).count({ n: '*' }).first();
		await page.goto(link);
		await poll(() => page.inputValue('#token-name')).toBe('Globalping CLI');
		expect(await page.getByLabel('Description').inputValue()).toBe('On my laptop');
		expect(await page.getAttribute('[data-scope="read"]', 'aria-pressed')).toBe('true');
		expect(await page.getAttribute('[data-scope="directus"]', 'aria-pressed')).toBe('true');
		expect(await page.getAttribute('[data-scope="write"]', 'aria-pressed')).toBe('false');
		expect(await page.locator('[data-testid="expiry-select"] input').inputValue()).toBe('30 days');
		await poll(() => page.locator('.origins-input .tag').allInnerTexts()).toEqual([expect.stringContaining('https://www.example.com')]);
		// Nothing is created by opening the link.
		expect(await directus.db(TOKENS_TABLE).count({ n: '*' }).first()).toEqual(before);
		await page.screenshot({ path: screenshotPath('tokens-new-prefilled'), fullPage: true });

		// Keyboard: Enter in the name field submits.
		await page.focus('#token-name');
		await page.keyboard.press('Enter');
		const revealed = page.locator('input[data-testid="revealed-token"]');
		await revealed.waitFor();
		const shown = await revealed.inputValue();
		expect(shown).toMatch(/^dtp_[0-9A-Za-z]{36}$/);
		expect(page.url()).not.toContain(shown);
		await page.getByText('You will not see it again').waitFor();

		await page.getByRole('button', { name: 'Copy' }).click();
		await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
		const copied = await page.evaluate(() => navigator.clipboard.readText());
		expect(copied).toBe(shown);
		await page.screenshot({ path: screenshotPath('tokens-reveal'), fullPage: true });

		const result = await validate(directus, copied);
		expect(result).toMatchObject({ valid: true, token: { kind: 'personal', scopes: ['directus', 'read'], origins: ['https://www.example.com'] } });

		// Leaving forgets it: the list never shows the plaintext.
		await page.getByRole('button', { name: /Done/ }).click();
		await page.waitForURL(/\/admin\/tokens$/);
		await row('Globalping CLI').waitFor();
		expect(await page.content()).not.toContain(copied);
	});

	it('lists tokens with hints, scopes, origins and expiry warnings, sorted and searchable', async () => {
		await api('POST', '', alice.accessToken, { name: 'Deploy bot', scopes: ['write'], duration: 3 * DAY });
		const old = await api('POST', '', alice.accessToken, { name: 'Old laptop', scopes: ['read'], duration: 30 * DAY });
		await directus.db(TOKENS_TABLE).where({ id: old.body.info.id }).update({ expires_at: new Date(Date.now() - 2 * DAY * 1000) });
		await page.goto(`${directus.url}/admin/tokens`);
		await row('Deploy bot').waitFor();
		await poll(() => row('Deploy bot').innerText()).toMatch(/Expires in 3 days/);
		expect(await row('Globalping CLI').innerText()).toMatch(/dtp_/);
		// Expired tokens are no longer active: they are under Inactive.
		expect(await row('Old laptop').count()).toBe(0);
		await page.screenshot({ path: screenshotPath('tokens-list'), fullPage: true });

		// Sort by expiry (header button), soonest first.
		await page.locator('.table-header button', { hasText: 'Expires' }).click();
		await poll(() => page.locator('tr.table-row .token-name').allInnerTexts()).toEqual(['Deploy bot', 'Globalping CLI']);
		await page.getByPlaceholder('Search tokens').fill('deploy');
		await poll(() => page.locator('tr.table-row .token-name').allInnerTexts()).toEqual(['Deploy bot']);
		await page.getByPlaceholder('Search tokens').fill('');

		await page.locator('[data-testid="filter-status"] .v-select').click();
		await page.locator('.v-menu-content .v-list-item', { hasText: 'Inactive' }).click();
		await poll(() => page.locator('tr.table-row .token-name').allInnerTexts()).toEqual(['Old laptop']);
		expect(await row('Old laptop').innerText()).toMatch(/Expired/);
		await page.locator('[data-testid="filter-status"] .v-select').click();
		await page.locator('.v-menu-content .v-list-item', { hasText: /^\s*Active\s*$/ }).click();
		await poll(() => row('Deploy bot').count()).toBe(1);
	});

	it('regenerates behind a dialog that names the token: the old secret is refused, the new one accepted', async () => {
		const created = await api('POST', '', alice.accessToken, { name: 'Rotating key', scopes: ['read'], duration: 30 * DAY });
		const old = created.body.token as string;
		expect(await validate(directus, old)).toMatchObject({ valid: true });
		await page.goto(`${directus.url}/admin/tokens`);
		await row('Rotating key').getByRole('button', { name: 'Regenerate Rotating key' }).click();
		const dialog = page.locator('.token-action-dialog');
		await poll(() => dialog.innerText()).toContain('Regenerate “Rotating key”?');
		expect(await dialog.locator('[data-testid="grace-select"] input').inputValue()).toBe('No grace period: stop at once');
		await dialog.getByRole('button', { name: 'Regenerate token' }).click();
		const revealed = page.locator('.reveal-card input[data-testid="revealed-token"]');
		await revealed.waitFor();
		await page.locator('.reveal-card').getByRole('button', { name: 'Copy' }).click();
		const fresh = await page.evaluate(() => navigator.clipboard.readText());
		expect(fresh).toBe(await revealed.inputValue());
		expect(fresh).not.toBe(old);
		expect(await validate(directus, old)).toMatchObject({ valid: false });
		expect(await validate(directus, fresh)).toMatchObject({ valid: true, token: { id: created.body.info.id } });
		await page.getByRole('button', { name: /Done/ }).click();
		await poll(() => row('Rotating key').innerText()).toContain(fresh.slice(0, 8));
	});

	it('revokes behind a dialog that names the token: the token is refused from then on', async () => {
		const created = await api('POST', '', alice.accessToken, { name: 'Short-lived', scopes: ['read'], duration: 30 * DAY });
		await page.goto(`${directus.url}/admin/tokens`);
		await row('Short-lived').getByRole('button', { name: 'Revoke Short-lived' }).click();
		const dialog = page.locator('.token-action-dialog');
		await poll(() => dialog.innerText()).toContain('Revoke “Short-lived”?');
		await dialog.getByRole('button', { name: 'Revoke token' }).click();
		await poll(() => row('Short-lived').count()).toBe(0);
		expect(await validate(directus, created.body.token)).toEqual({ valid: false, code: 'revoked' });
	});

	it('shows warnings next to the fields for invalid link parameters, and creates nothing', async () => {
		const before = await directus.db(TOKENS_TABLE).count({ n: '*' }).first();
		const query = new URLSearchParams({ name: 'Bot', scopes: 'read,admin', expires_in: 'soon', origins: 'ftp://files.example.com,https://ok.example.com', utm_source: 'x', callback: 'https://evil.example/cb', state: 's' });
		await page.goto(`${directus.url}/admin/tokens/new?${query}`);
		await poll(() => page.inputValue('#token-name')).toBe('Bot');
		const messages = (id: string) => page.locator(`#${id}`).innerText();
		expect(await messages('token-scopes-messages')).toContain('"admin"');
		expect(await messages('token-expiry-messages')).toContain('"expires_in=soon" is not a number of days');
		expect(await messages('token-origins-messages')).toContain('ftp://files.example.com');
		expect(await page.locator('[data-testid="prefill-warning"]', { hasText: '"utm_source"' }).count()).toBe(1);
		expect(await page.locator('[data-testid="callback-warning"]').innerText()).toContain('https://evil.example/cb');
		expect(await page.getAttribute('[data-scope="read"]', 'aria-pressed')).toBe('true');
		expect(await page.locator('.origins-input .tag').allInnerTexts()).toEqual([expect.stringContaining('https://ok.example.com')]);
		await page.screenshot({ path: screenshotPath('tokens-new-warnings'), fullPage: true });
		expect(await directus.db(TOKENS_TABLE).count({ n: '*' }).first()).toEqual(before);

		// Create still works; the refused callback means the token is revealed here, never sent.
		await page.getByRole('button', { name: 'Create token' }).click();
		await page.locator('input[data-testid="revealed-token"]').waitFor();
		expect(await page.locator('[data-testid="handback-send"]').count()).toBe(0);
	});

	it('works with the keyboard alone: Tab order, Space on scopes and the expiry menu, Enter adds an origin and submits', async () => {
		await page.goto(`${directus.url}/admin/tokens/new`);
		await page.locator('#token-name').waitFor();
		await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('token-name'); // autofocus
		await page.keyboard.type('Keyboard only');
		await page.keyboard.press('Tab'); // description
		await page.keyboard.type('typed without a mouse');
		await page.keyboard.press('Tab'); // first scope
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-scope'))).toBe('read');
		await page.keyboard.press('Space');
		expect(await page.getAttribute('[data-scope="read"]', 'aria-pressed')).toBe('true');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Tab'); // expiry select
		await page.keyboard.press('Space');
		await page.keyboard.press('Tab'); // first option: 30 days
		await page.keyboard.press('Enter');
		await poll(() => page.locator('[data-testid="expiry-select"] input').inputValue()).toBe('30 days');
		// The menu hands focus back to its activator as its closing transition ends: wait for that.
		await poll(() => page.locator('#menu-outlet .v-menu-popper').count()).toBe(0);
		await page.locator('[data-testid="expiry-select"] input').focus();
		await page.keyboard.press('Tab'); // origins
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-origins');
		await page.keyboard.type('https://Tools.Example.com/');
		await poll(() => page.inputValue('#token-origins')).toBe('https://Tools.Example.com/');
		await page.keyboard.press('Enter'); // adds the tag, does not submit
		await poll(() => page.locator('.origins-input .tag').allInnerTexts()).toEqual([expect.stringContaining('https://tools.example.com')]);
		await page.focus('#token-name');
		await page.keyboard.press('Enter');
		await page.locator('input[data-testid="revealed-token"]').waitFor();
		const created = await directus.db(TOKENS_TABLE).where({ name: 'Keyboard only' }).first();
		expect(created).toMatchObject({ description: 'typed without a mouse' });
		expect(JSON.parse(created.origins)).toEqual(['https://tools.example.com']);
		expect(JSON.parse(created.scopes)).toEqual(['read']);
	});

	it('serves the Data Studio with a CSP that lets the page reach loopback addresses', async () => {
		const response = await fetch(`${directus.url}/admin/tokens/new`);
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/connect-src 'self' https:\/\/\* wss:\/\/\* http:\/\/127\.0\.0\.1:\* http:\/\/localhost:\*/);
		expect(csp).toContain("form-action 'self'");
	});

	it.each([
		['127.0.0.1', '127.0.0.1'],
		['::1', '[::1]'],
	])('hands the token back to a CLI listening on %s, after the user confirms, through the real CSP', async (host, shown) => {
		let link = '';
		const received = receiveToken(directus.url, { name: `CLI on ${shown}`, scopes: ['read'], host, onLink: (line: string) => (link = line.slice(line.indexOf('http'))) });
		await poll(() => link).toContain('callback=');
		await page.goto(link);
		await page.locator('[data-testid="callback-info"]').waitFor();
		expect(await page.locator('[data-testid="callback-info"]').innerText()).toContain(shown);
		await page.getByRole('button', { name: 'Create token' }).click();
		const send = page.locator('[data-testid="handback-send"]');
		await send.waitFor();
		let delivered = false;
		void received.then(() => (delivered = true));
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(delivered).toBe(false); // nothing is sent before the user confirms
		await page.getByRole('button', { name: 'Send this token to the application on this computer' }).click();
		const token = await received;
		await page.locator('[data-testid="handback-sent"]').waitFor();
		expect(await page.content()).not.toContain(token);
		expect(await validate(directus, token)).toMatchObject({ valid: true, token: { scopes: ['read'] } });
	});

	it('falls back to the one-time reveal when the application is gone', async () => {
		const gone = `http://127.0.0.1:9/token`; // discard port: nothing listens
		await page.goto(buildNewTokenUrl({ dashboardUrl: directus.url, name: 'Gone CLI', scopes: ['read'], callback: gone, state: 'x' }));
		await page.getByRole('button', { name: 'Create token' }).click();
		await page.getByRole('button', { name: 'Send this token to the application on this computer' }).click();
		await page.locator('input[data-testid="revealed-token"]').waitFor();
		expect(await page.getByText('Sending to 127.0.0.1:9 failed').count()).toBe(1);
		expect(await validate(directus, await page.locator('input[data-testid="revealed-token"]').inputValue())).toMatchObject({ valid: true });
	});

	it('a non-admin sees neither other users’ tokens nor hidden app tokens, and no admin view', async () => {
		await api('POST', '', directus.adminToken, { name: 'Admin only', scopes: ['read'], duration: 30 * DAY });
		await insertAppToken(directus, alice.id, 'Marketing site');
		await page.goto(`${directus.url}/admin/tokens`);
		await row('Globalping CLI').waitFor();
		const names = await page.locator('tr.table-row .token-name').allInnerTexts();
		expect(names).not.toContain('Admin only');
		expect(names).not.toContain('Marketing site session');
		expect(await page.getByRole('link', { name: 'All tokens' }).count()).toBe(0);
		await page.goto(`${directus.url}/admin/tokens/all`);
		await page.getByText('Only admins see every user').waitFor();
		expect(await page.locator('tr.table-row').count()).toBe(0);
	});

	it('admins see every user’s tokens with owner, kind and app; filter; revoke any; reset a user', async () => {
		const { context, page: admin } = await signedInPage(browser, directus, ADMIN_EMAIL, ADMIN_PASSWORD);
		try {
			const adminRow = (name: string) => admin.locator('tr.table-row', { hasText: name });
			await admin.goto(`${directus.url}/admin/tokens/all`);
			await adminRow('Marketing site session').waitFor();
			const appRow = await adminRow('Marketing site session').innerText();
			expect(appRow).toContain(alice.email);
			expect(appRow).toMatch(/App\s*\(hidden\)/);
			expect(appRow).toContain('Marketing site');
			expect(await adminRow('Admin only').innerText()).toContain(ADMIN_EMAIL);
			await admin.screenshot({ path: screenshotPath('tokens-admin'), fullPage: true });

			// Filter by kind, then by user.
			await admin.locator('[data-testid="filter-kind"] .v-input').click();
			await admin.locator('.v-menu-content .v-list-item', { hasText: 'App (hidden)' }).click();
			await poll(() => admin.locator('tr.table-row .token-name').allInnerTexts()).toEqual(['Marketing site session']);
			await admin.locator('[data-testid="filter-kind"] .v-input').click();
			await admin.locator('.v-menu-content .v-list-item', { hasText: 'All kinds' }).click();
			await admin.locator('[data-testid="filter-user"] .v-input').click();
			await admin.locator('.v-menu-content .v-list-item', { hasText: alice.email }).click();
			await poll(async () => (await admin.locator('tr.table-row .token-name').allInnerTexts()).includes('Admin only')).toBe(false);
			expect(await admin.locator('tr.table-row .token-name').allInnerTexts()).toContain('Globalping CLI');

			// Revoke one of alice's tokens.
			await adminRow('Deploy bot').getByRole('button', { name: 'Revoke Deploy bot' }).click();
			await admin.locator('.token-action-dialog').getByRole('button', { name: 'Revoke token' }).click();
			await poll(() => adminRow('Deploy bot').count()).toBe(0);

			// Reset: all of alice's tokens, confirmed by typing her e-mail.
			await admin.locator('[data-testid="reset-user"]').click();
			const confirm = admin.getByRole('button', { name: 'Revoke all tokens', exact: true });
			expect(await confirm.isDisabled()).toBe(true);
			await admin.locator('#reset-confirm').fill(alice.email);
			await confirm.click();
			await admin.getByText(/Revoked \d+ tokens of/).waitFor();
			await poll(() => admin.locator('tr.table-row').count()).toBe(0);
			const live = await directus.db(TOKENS_TABLE).where({ user: alice.id }).whereNull('revoked_at').count({ n: '*' }).first();
			expect(Number(live!.n)).toBe(0);
		} finally {
			await context.close();
		}
	});
});
