/**
 * Shared pieces of the token pages' browser tests: a signed-in page, a fresh validator check, and
 * token rows inserted the way the app-token endpoint will.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateToken } from '../../src/core/token-format.js';
import { APPS_TABLE, TOKENS_TABLE } from '../../src/shared/constants.js';
import { createTokenValidator } from '../../src/validator/index.js';
import type { DirectusInstance } from './directus.js';

/** A browser context signed in to the Data Studio with a session cookie, clipboard allowed. */
export async function signedInPage(browser: Browser, directus: DirectusInstance, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, baseURL: directus.url });
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: directus.url });
	const login = await context.request.post(`${directus.url}/auth/login`, { data: { email, password, mode: 'session' } });
	if (login.status() !== 200) throw new Error(`session login of ${email}: ${login.status()} ${await login.text()}`);
	const page = await context.newPage();
	return { context, page };
}

/** What a validator that starts now says of `token` (a fresh one, so no cache hides a change). */
export async function validate(directus: DirectusInstance, token: string) {
	const validator = createTokenValidator({ db: directus.db });
	await validator.start();
	try {
		return await validator.validate(token);
	} finally {
		await validator.stop();
	}
}

/** A hidden app token of `user` for a front-end app named `appName`, inserted directly. */
export async function insertAppToken(directus: DirectusInstance, user: string, appName: string) {
	const appId = randomUUID();
	await directus.db(APPS_TABLE).insert({ id: appId, name: appName, origins: JSON.stringify(['https://www.example.com']), scopes: JSON.stringify(['read']), enabled: true });
	const { hash, hint } = generateToken('app');
	const id = randomUUID();
	await directus.db(TOKENS_TABLE).insert({
		id,
		name: `${appName} session`,
		kind: 'app',
		hidden: true,
		app: appId,
		hash,
		hint,
		scopes: JSON.stringify(['read']),
		origins: JSON.stringify(['https://www.example.com']),
		expires_at: new Date(Date.now() + 86_400_000),
		user,
		date_created: new Date(),
	});
	return { id, appId, hint };
}
