/**
 * Anonymous tokens in the admin view, in a real Chromium against a real Directus (SQLite): a service
 * token issues trusted tokens for two subjects and the open endpoint issues one; admins see them
 * with kind, subject, tier, issuer and last use, filter by subject, revoke all of a subject behind a
 * typed confirmation and revoke one; a non-admin never sees any of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { ANONYMOUS_ISSUE_SCOPE, TOKENS_TABLE } from '../src/shared/constants.js';
import { startDirectus, ADMIN_EMAIL, ADMIN_PASSWORD, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { launchBrowser, screenshotPath } from './helpers/browser.js';
import { signedInPage, validate } from './helpers/tokens-ui.js';

const DAY = 86_400;
/** Pages render after the app boots: poll longer than vitest's 1 s default. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('anonymous tokens in the admin view', () => {
	let directus: DirectusInstance;
	let browser: Browser;
	let bob: TestUser;
	let service: { id: string; token: string };
	/** Plaintexts: two for slack-T1, one for slack-T2, one from the open endpoint. */
	const issued = { t1: [] as string[], t2: '', open: '' };

	const api = (method: string, path: string, token: string | undefined, body?: unknown) => request(directus.url, method, `/api-tokens${path}`, { token, body });
	/** Every live anonymous token of `subject`, as the admin API lists them. */
	const listed = async (subject: string) => {
		const answer = await api('GET', `?user=all&include_hidden=true&kind=anonymous&subject=${encodeURIComponent(subject)}`, directus.adminToken);
		expect([200, 204]).toContain(answer.status);
		return answer.status === 204 ? [] : (answer.body.tokens as Array<Record<string, unknown>>).filter((token) => !token.revoked);
	};
	const issue = async (token: string | undefined, body: Record<string, unknown>) => {
		const answer = await api('POST', '/anonymous', token, body);
		expect(answer.status, JSON.stringify(answer.body)).toBe(201);
		return answer.body.token as string;
	};

	beforeAll(async () => {
		directus = await startDirectus('sqlite');
		bob = await createUser(directus, 'bob', { appAccess: true });
		const created = await api('POST', '', directus.adminToken, { name: 'Slack bot', kind: 'service', scopes: [ANONYMOUS_ISSUE_SCOPE], duration: null });
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		service = { id: created.body.info.id, token: created.body.token };
		issued.t1.push(await issue(service.token, { subject: 'slack-T1', tier: 'trusted' }));
		issued.t1.push(await issue(service.token, { subject: 'slack-T1', tier: 'trusted' }));
		issued.t2 = await issue(service.token, { subject: 'slack-T2', tier: 'trusted' });
		issued.open = await issue(undefined, {});
		// A personal token of bob, so his list is not empty, and one of the admin's.
		await api('POST', '', bob.accessToken, { name: 'Bob CLI', scopes: ['read'], duration: 30 * DAY });
		await api('POST', '', directus.adminToken, { name: 'Admin laptop', scopes: ['read'], duration: 30 * DAY });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await directus?.stop();
	});

	it('issued four live anonymous tokens', async () => {
		// slack-T1's are not used here, so the admin view shows them never used.
		for (const token of [issued.t2, issued.open]) expect(await validate(directus, token)).toMatchObject({ valid: true, token: { kind: 'anonymous' } });
		expect(issued.t1.map((token) => token.slice(0, 4))).toEqual(['dtn_', 'dtn_']);
		expect(await listed('slack-T1')).toHaveLength(2);
		expect(await listed('slack-T2')).toHaveLength(1);
	});

	it('a non-admin sees no anonymous token in their list, and no admin view', async () => {
		const { context, page } = await signedInPage(browser, directus, bob.email, bob.password);
		try {
			await page.goto(`${directus.url}/admin/tokens`);
			await page.locator('tr.table-row', { hasText: 'Bob CLI' }).waitFor();
			expect(await page.locator('tr.table-row').count()).toBe(1);
			const html = await page.content();
			expect(html).not.toContain('dtn_');
			expect(html).not.toContain('slack-T');
			// Asking the API for hidden anonymous tokens does not show them either.
			const answer = await api('GET', '?include_hidden=true&kind=anonymous', bob.accessToken);
			const tokens = answer.status === 200 ? (answer.body.tokens as Array<{ kind: string }>) : [];
			expect(tokens.filter((token) => token.kind === 'anonymous')).toEqual([]);
			await page.goto(`${directus.url}/admin/tokens/all`);
			await page.getByText('Only admins see every user').waitFor();
			expect(await page.locator('tr.table-row').count()).toBe(0);
		} finally {
			await context.close();
		}
	});

	it('admins see kind, subject, tier, issuer and last use; revoke all of a subject, then one token', async () => {
		const [t2] = await listed('slack-T2');
		await directus.db(TOKENS_TABLE).where({ id: t2!.id }).update({ last_used_at: new Date(Date.now() - 5 * 60_000) });

		const { context, page } = await signedInPage(browser, directus, ADMIN_EMAIL, ADMIN_PASSWORD);
		try {
			const rows = page.locator('tr.table-row');
			const row = (text: string) => page.locator('tr.table-row', { hasText: text });
			/** A row's cells by column header: `{ Name: …, Kind: …, Subject: … }`. */
			const columns = async (locator: Locator) => {
				const headers = await page.locator('.table-header th.actionable').allInnerTexts();
				const cells = await locator.locator('td.align-left').allInnerTexts();
				expect(cells).toHaveLength(headers.length);
				return Object.fromEntries(headers.map((header, i) => [header.trim(), cells[i]!.trim()]));
			};
			const hint = (token: string) => `${token.slice(0, 8)}…`;
			await page.goto(`${directus.url}/admin/tokens/all`);
			await row('Admin laptop').waitFor();
			// Subject, tier and issuer columns show only while anonymous tokens are listed.
			expect(await page.locator('.table-header').innerText()).toContain('Subject');
			await page.locator('[data-testid="filter-kind"] .v-input').click();
			await page.locator('.v-menu-content .v-list-item', { hasText: 'Personal' }).click();
			await poll(() => page.locator('.table-header').innerText()).not.toContain('Subject');
			expect(await row('Admin laptop').count()).toBe(1);

			// Kind filter: only the four anonymous tokens, each with kind, subject, tier, issuer, last use.
			await page.locator('[data-testid="filter-kind"] .v-input').click();
			await page.locator('.v-menu-content .v-list-item', { hasText: 'Anonymous' }).click();
			await poll(() => rows.count()).toBe(4);
			expect(await row('Admin laptop').count()).toBe(0);
			const byHint = Object.fromEntries(await Promise.all((await rows.all()).map(async (locator) => columns(locator).then((cells) => [cells.Token, cells]))));
			expect(Object.keys(byHint).sort()).toEqual([...issued.t1, issued.t2, issued.open].map(hint).sort());
			const anonymous = { Kind: 'Anonymous', Scopes: 'read' };
			// Only anonymous tokens listed: no owner, app or origins columns, and their last use on screen.
			const headers = await page.locator('.table-header th.actionable').allInnerTexts();
			expect(headers.map((header) => header.trim())).not.toContain('Owner');
			const lastUsed = await page.locator('.table-header th', { hasText: 'Last used' }).boundingBox();
			const table = await page.locator('.v-table').first().boundingBox();
			expect(lastUsed!.x + lastUsed!.width).toBeLessThanOrEqual(table!.x + table!.width);
			for (const token of issued.t1) {
				expect(byHint[hint(token)]).toMatchObject({ ...anonymous, Subject: 'slack-T1', Tier: 'trusted', Issuer: 'Slack bot', 'Last used': 'Never used' });
			}
			expect(byHint[hint(issued.t2)]).toMatchObject({ ...anonymous, Subject: 'slack-T2', Tier: 'trusted', Issuer: 'Slack bot', 'Last used': '5 minutes ago' });
			expect(byHint[hint(issued.open)]).toMatchObject({ ...anonymous, Subject: '—', Tier: 'open', Issuer: 'open endpoint' });
			await page.screenshot({ path: screenshotPath('tokens-anonymous'), fullPage: true });

			// Subject filter: only slack-T1's two tokens; then revoke all of them, confirmed by typing it.
			expect(await page.locator('[data-testid="reset-subject"]').count()).toBe(0);
			await page.locator('#admin-subject').fill('slack-T1');
			await poll(() => rows.count()).toBe(2);
			expect(await row('slack-T2').count()).toBe(0);
			await page.locator('[data-testid="reset-subject"]').click();
			const dialog = page.locator('.reset-subject-dialog');
			await poll(() => dialog.innerText()).toContain('Revoke all anonymous tokens of “slack-T1”?');
			expect(await dialog.innerText()).toContain('(2 listed here)');
			const confirm = dialog.getByRole('button', { name: 'Revoke all of this subject' });
			expect(await confirm.isDisabled()).toBe(true);
			await page.locator('#reset-subject-confirm').fill('slack-T2');
			expect(await confirm.isDisabled()).toBe(true);
			await page.locator('#reset-subject-confirm').fill('slack-T1');
			await confirm.click();
			await page.getByText('Revoked 2 tokens of subject slack-T1.').waitFor();
			await poll(() => rows.count()).toBe(0);

			expect(await listed('slack-T1')).toEqual([]);
			for (const token of issued.t1) expect(await validate(directus, token)).toMatchObject({ valid: false, code: 'revoked' });
			expect(await listed('slack-T2')).toHaveLength(1);
			expect(await validate(directus, issued.t2)).toMatchObject({ valid: true });
			expect(await validate(directus, issued.open)).toMatchObject({ valid: true });

			// Clearing the subject shows the rest; revoke the open one alone.
			await page.locator('#admin-subject').fill('');
			await poll(() => rows.count()).toBe(2);
			await row('open endpoint').getByRole('button', { name: /^Revoke / }).click();
			const action = page.locator('.token-action-dialog');
			await poll(() => action.innerText()).toContain('Revoke “');
			await action.getByRole('button', { name: 'Revoke token' }).click();
			await poll(() => rows.count()).toBe(1);
			expect(await row('slack-T2').count()).toBe(1);
			expect(await validate(directus, issued.open)).toMatchObject({ valid: false, code: 'revoked' });
			expect(await validate(directus, issued.t2)).toMatchObject({ valid: true });
		} finally {
			await context.close();
		}
	});
});
