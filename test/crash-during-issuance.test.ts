/**
 * Directus killed (SIGKILL) in the middle of issuing tokens, then restarted. Every token a client saw
 * revealed has its row (none lost, none rolled back under it); a regenerated token holds the last
 * secret its owner saw; rows whose answer the crash cut off are counted in the report (see
 * `src/endpoints/tokens/reveal-once.ts` for why they cannot be ruled out and why they are inert). Creates, app-token
 * issuance and regenerations run concurrently while the server dies at a random moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/core/token-hash.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, login, sessionCookie, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { report } from './helpers/suite-report.js';

const ORIGIN = 'https://www.example.com';
const WORKERS = 12;

/** One issuing request; a reveal only counts when the whole JSON answer arrived. */
async function reveal(url: string, init: RequestInit): Promise<string | null> {
	try {
		const response = await fetch(url, init);
		if (response.status !== 200 && response.status !== 201) return null;
		const body = (await response.json()) as { token?: unknown };
		return typeof body.token === 'string' ? body.token : null;
	} catch {
		return null; // connection reset, or an answer cut short
	}
}

describe.each(enabledDatabases())('a crash while issuing tokens on %s', (databaseName) => {
	let directus: DirectusInstance;
	let user: TestUser;
	const tried = { creates: 0, appTokens: 0, regenerations: 0, revealed: 0, crashes: 0, orphans: 0 };

	beforeAll(async () => {
		directus = await startDirectus(databaseName, { API_TOKENS_MAX_ACTIVE_PER_USER: '100000', API_TOKENS_APP_ISSUE_LIMIT: '100000/1h' });
		user = await createUser(directus, 'crash');
		const app = await request(directus.url, 'POST', '/api-tokens/apps', { token: directus.adminToken, body: { name: 'web', origins: [ORIGIN], scopes: ['read'], max_active_per_user: 1000 } });
		expect(app.status).toBe(201);
	});
	afterAll(async () => {
		report('Crash while issuing tokens', `${databaseName}: ${tried.crashes} SIGKILLs during ${tried.creates} creates, ${tried.appTokens} app-token requests, ${tried.regenerations} regenerations; ${tried.revealed} reveals: 0 without a row, ${tried.orphans} rows without a reveal`);
		await directus?.stop();
	});

	it('leaves no reveal without its row, and counts rows whose answer was cut off', async () => {
		const revealed = new Set<string>();
		/** For each regenerated token: the secrets its owner saw, in order. */
		const seen = new Map<string, string[]>();
		for (let round = 0; round < 3; round++) {
			const jwt = await login(directus, user.email, user.password);
			const cookie = await sessionCookie(directus, user.email, user.password);
			const rotating = await request(directus.url, 'POST', '/api-tokens', { token: jwt, body: { name: `rotating ${round}` } });
			expect(rotating.status).toBe(201);
			revealed.add(rotating.body.token);
			seen.set(rotating.body.info.id, [rotating.body.token]);

			let alive = true;
			const worker = async (n: number) => {
				for (let i = 0; alive; i++) {
					const kind = (n + i) % 3;
					let token: string | null;
					if (kind === 0) {
						tried.creates++;
						token = await reveal(`${directus.url}/api-tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `w${n}-${i}` }) });
					} else if (kind === 1) {
						tried.appTokens++;
						token = await reveal(`${directus.url}/api-tokens/app`, { method: 'POST', headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ app: 'web' }) });
					} else {
						// One regeneration at a time per token, as a real owner would.
						if (n !== 0) continue;
						tried.regenerations++;
						token = await reveal(`${directus.url}/api-tokens/${rotating.body.info.id}/regenerate`, { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: '{}' });
						if (token) seen.get(rotating.body.info.id)!.push(token);
					}
					if (token) revealed.add(token);
				}
			};
			const load = Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
			await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 1200));
			await directus.stopServer('SIGKILL');
			tried.crashes++;
			alive = false;
			await load;
			await directus.startServer();
		}
		tried.revealed = revealed.size;

		const rows: Array<{ id: string; hash: string; revoked_at: unknown }> = await directus.db(TOKENS_TABLE).where({ user: user.id }).select('id', 'hash', 'revoked_at');
		const revealedHashes = new Map([...revealed].map((token) => [hashToken(token), token]));
		const rowHashes = new Set(rows.map((row) => row.hash));
		// A row without a reveal (a crash between the commit and the answer) is inert: counted, and
		// it must be a token nobody holds, so nothing below may depend on it (see reveal-once.ts).
		const orphans = rows.filter((row) => !revealedHashes.has(row.hash));
		tried.orphans = orphans.length;
		// Earlier secrets of a regenerated token are gone by design; so is the last one its owner saw
		// when a later regeneration committed and the crash cut its answer off (the row is an orphan).
		const replaced = new Set<string>();
		for (const [id, secrets] of seen) {
			const row = rows.find((r) => r.id === id)!;
			const cutOff = orphans.includes(row);
			for (const secret of cutOff ? secrets : secrets.slice(0, -1)) replaced.add(hashToken(secret));
			// A regenerated token holds the last secret its owner saw, or one nobody saw, never an earlier one.
			expect(secrets.slice(0, -1).map(hashToken), `token ${id}`).not.toContain(row.hash);
			if (!cutOff) expect(row.hash, `token ${id}`).toBe(hashToken(secrets.at(-1)!));
		}
		// No reveal without a row, on every database.
		const missing = [...revealedHashes.keys()].filter((hash) => !rowHashes.has(hash) && !replaced.has(hash));
		expect(missing).toEqual([]);
		// The server is healthy after the crashes.
		const listed = await request(directus.url, 'GET', '/api-tokens?delta=-1000', { token: await login(directus, user.email, user.password) });
		expect(listed.status).toBe(200);
		expect(tried.revealed).toBeGreaterThan(20);
	});
});
