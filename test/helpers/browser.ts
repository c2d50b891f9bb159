/**
 * Real Chromium (Debian's package) driven by playwright-core, for browser tests. Never downloads a
 * browser. Hostnames under {@link TEST_DOMAIN} resolve to 127.0.0.1, so a test can run the dashboard
 * and a website on sibling subdomains that share a cookie domain, as in production.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './directus.js';

/** Parent domain of the test hosts: `dash.apitokens.test`, `www.apitokens.test`, … */
export const TEST_DOMAIN = 'apitokens.test';
/** A site that is not ours at all (another registrable domain). */
export const FOREIGN_DOMAIN = 'elsewhere.example';

/** Where browser tests save screenshots (the README shows them). */
export const SCREENSHOTS_DIR = join(ROOT, 'docs', 'screenshots');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];

export function chromiumPath(): string {
	const found = CANDIDATES.find((path): path is string => Boolean(path && existsSync(path)));
	if (!found) throw new Error('Chromium not found: install Debian\'s "chromium" package (".ci/run" does) or set CHROMIUM_PATH');
	return found;
}

/** Headless Chromium where every `*.apitokens.test` and `*.elsewhere.example` host is 127.0.0.1. */
export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath(),
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-dev-shm-usage',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			'--disable-sync',
			`--host-resolver-rules=MAP *.${TEST_DOMAIN} 127.0.0.1, MAP *.${FOREIGN_DOMAIN} 127.0.0.1`,
		],
	});
}

export function screenshotPath(name: string): string {
	mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	return join(SCREENSHOTS_DIR, `${name}.png`);
}
