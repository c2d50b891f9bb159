/**
 * The knex token store against the real schema (installed by the bundle when Directus starts) on
 * every database: JSON, booleans, dates and auto-increment ids differ between them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore, type TokenStore } from '../src/core/token-store.js';
import { generateToken } from '../src/core/token-format.js';
import { factsOf, judgeToken } from '../src/core/token-liveness.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';

const DAY = 86_400_000;

describe.each(enabledDatabases())('token store on %s', (databaseName) => {
	let directus: DirectusInstance;
	let user: TestUser;
	let store: TokenStore;
	let clock = new Date('2030-01-01T00:00:00Z');

	beforeAll(async () => {
		directus = await startDirectus(databaseName);
		user = await createUser(directus, 'store');
		store = createTokenStore(directus.db, { now: () => clock });
	});
	afterAll(async () => {
		await directus?.stop();
	});

	function newToken(overrides: Partial<Parameters<TokenStore['insert']>[0]> = {}) {
		const generated = generateToken('personal');
		return {
			generated,
			input: {
				name: 'CLI',
				kind: 'personal' as const,
				hash: generated.hash,
				hint: generated.hint,
				scopes: ['read'],
				origins: ['https://www.example.com'],
				expires_at: new Date(clock.getTime() + 30 * DAY),
				user: user.id,
				...overrides,
			},
		};
	}

	it('inserts and finds by hash, with types normalised', async () => {
		const { input, generated } = newToken({ description: 'for the CLI', refreshable: true });
		const record = await store.insert(input);
		expect(record).toMatchObject({
			name: 'CLI',
			description: 'for the CLI',
			kind: 'personal',
			hidden: false,
			scopes: ['read'],
			origins: ['https://www.example.com'],
			refreshable: true,
			revoked_at: null,
			user: user.id,
		});
		expect(record.expires_at?.toISOString()).toBe(input.expires_at?.toISOString());
		expect(record.row_id).toBeGreaterThan(0);
		const found = await store.findByHash(generated.hash);
		expect(found?.matched).toBe('current');
		expect(found?.record.id).toBe(record.id);
		expect(await store.findByHash(generateToken('personal').hash)).toBeNull();
	});

	it('finds an old secret, which judgeToken accepts only during its grace period, with its owner', async () => {
		const { input, generated: old } = newToken();
		const record = await store.insert(input);
		const fresh = generateToken('personal');
		await store.replaceSecret(record.id, { hash: fresh.hash, hint: fresh.hint, previousHash: old.hash, graceUntil: new Date(clock.getTime() + 60_000) });
		const current = await store.findByHash(fresh.hash);
		expect(current).toMatchObject({ matched: 'current', record: { id: record.id, ownerActive: true } });
		const previous = (await store.findByHash(old.hash))!;
		expect(previous.matched).toBe('previous');
		expect(judgeToken(factsOf(previous.record, 'previous'), clock.getTime(), {})).toBeNull();
		expect(judgeToken(factsOf(previous.record, 'previous'), clock.getTime() + 61_000, {})).toBe('revoked');
		expect(await store.endGrace(record.id)).toBe(true);
		expect(await store.findByHash(old.hash)).toBeNull();
	});

	it('pages with delta/start over row ids, hidden and revoked rows left out', async () => {
		const other = await createUser(directus, 'pager');
		const ids: number[] = [];
		for (let i = 0; i < 5; i++) ids.push((await store.insert(newToken({ user: other.id, name: `t${i}` }).input)).row_id);
		await store.insert(newToken({ user: other.id, hidden: true, kind: 'app' }).input);
		const revoked = await store.insert(newToken({ user: other.id }).input);
		await store.revoke(revoked.id);
		const newest = await store.list({ user: other.id, delta: -2 });
		expect(newest.map((r) => r.name)).toEqual(['t4', 't3']);
		const older = await store.list({ user: other.id, delta: -2, start: newest[1]!.row_id });
		expect(older.map((r) => r.name)).toEqual(['t2', 't1']);
		const forward = await store.list({ user: other.id, delta: 3, start: ids[0] });
		expect(forward.map((r) => r.name)).toEqual(['t1', 't2', 't3']);
		expect(await store.list({ user: other.id, delta: -20, includeHidden: true })).toHaveLength(6);
		expect(await store.countActiveForUser(other.id)).toBe(5); // hidden app tokens are not the user's to count
		expect(await store.countActiveForUser(other.id, 'app')).toBe(1);
	});

	it('revokes all of a user at once and pages through the changes since a watermark, however many share one time', async () => {
		const victim = await createUser(directus, 'victim');
		const watermark = new Date(clock.getTime());
		clock = new Date(clock.getTime() + 1000);
		const tokens: Array<{ id: string }> = [];
		for (let i = 0; i < 7; i++) tokens.push(await store.insert(newToken({ user: victim.id }).input));
		clock = new Date(clock.getTime() + 1000);
		const revoked = await store.revokeAllForUser(victim.id);
		expect(revoked.sort()).toEqual(tokens.map((t) => t.id).sort());
		expect(await store.revokeAllForUser(victim.id)).toEqual([]);
		expect((await store.findById(tokens[0]!.id))?.revoked_at?.getTime()).toBe(clock.getTime());
		// Seven rows changed at the same time, read three at a time: every one, once.
		const seen: string[] = [];
		let cursor: { at: Date; id: string | null } | null = { at: watermark, id: null };
		for (;;) {
			const page = await store.changedPage(cursor, 3);
			seen.push(...page.map((r) => r.id));
			if (page.length < 3) break;
			const last = page[page.length - 1]!;
			cursor = { at: last.date_updated!, id: last.id };
		}
		const ours = seen.filter((id) => tokens.some((t) => t.id === id));
		expect(ours.sort()).toEqual(tokens.map((t) => t.id).sort());
		expect(new Set(seen).size).toBe(seen.length);
		// The full sync's pages: live tokens by row_id, none revoked.
		const { live, lastRowId } = await store.livePage(0, 1000);
		expect(lastRowId).toBeNull();
		expect(live.length).toBeGreaterThan(0);
		expect(live.some((r) => tokens.some((t) => t.id === r.id))).toBe(false);
		expect(live.every((r, i) => i === 0 || r.row_id > live[i - 1]!.row_id)).toBe(true);
		// Pages of two: every live token once, the last page says so.
		const paged: string[] = [];
		for (let after: number | null = 0; after !== null; ) {
			const page = await store.livePage(after, 2);
			paged.push(...page.live.map((r) => r.id));
			after = page.lastRowId;
		}
		expect(paged).toEqual(live.map((r) => r.id));
	});

	it('writes last-used times in one statement per call, never backwards', async () => {
		const a = await store.insert(newToken().input);
		const b = await store.insert(newToken().input);
		const t1 = new Date(clock.getTime() + 5_000);
		const t2 = new Date(clock.getTime() + 9_000);
		let statements = 0;
		const count = () => statements++;
		directus.db.on('query', count);
		expect(await store.touchLastUsed([a.id, b.id], t2)).toBe(2);
		directus.db.off('query', count);
		expect(statements).toBe(1);
		expect((await store.findById(a.id))?.last_used_at?.getTime()).toBe(t2.getTime());
		expect(await store.touchLastUsed([a.id], t1)).toBe(0);
		expect((await store.findById(a.id))?.last_used_at?.getTime()).toBe(t2.getTime());
		expect((await store.findById(b.id))?.last_used_at?.getTime()).toBe(t2.getTime());
	});

	it('purges long-revoked and long-expired rows only', async () => {
		const purgeUser = await createUser(directus, 'purge');
		const keep = await store.insert(newToken({ user: purgeUser.id }).input);
		const expired = await store.insert(newToken({ user: purgeUser.id, expires_at: new Date(clock.getTime() + 1000) }).input);
		const revoked = await store.insert(newToken({ user: purgeUser.id }).input);
		await store.revoke(revoked.id);
		const appExpired = await store.insert(newToken({ user: purgeUser.id, kind: 'app', hidden: true, expires_at: new Date(clock.getTime() + 1000) }).input);
		const appLive = await store.insert(newToken({ user: purgeUser.id, kind: 'app', hidden: true, expires_at: new Date(clock.getTime() + 3 * DAY) }).input);
		const anonymousExpired = await store.insert(newToken({ user: null, kind: 'anonymous', hidden: true, subject: 'bot-1', tier: 'trusted', expires_at: new Date(clock.getTime() + 1000) }).input);
		clock = new Date(clock.getTime() + 2 * DAY);
		// Within the retention: only the expired app and anonymous tokens go (hidden: nobody looks for them).
		expect(await store.purge({ revokedBefore: new Date(clock.getTime() - 7 * DAY), expiredBefore: new Date(clock.getTime() - 7 * DAY), appExpiredBefore: clock })).toBe(2);
		expect(await store.findById(appExpired.id)).toBeNull();
		expect(await store.findById(anonymousExpired.id)).toBeNull();
		expect(await store.findById(appLive.id)).not.toBeNull();
		expect(await store.findById(expired.id)).not.toBeNull();
		clock = new Date(clock.getTime() + 8 * DAY);
		const removed = await store.purge({ revokedBefore: new Date(clock.getTime() - DAY), expiredBefore: new Date(clock.getTime() - DAY) });
		expect(removed).toBeGreaterThanOrEqual(3);
		expect(await store.findById(keep.id)).not.toBeNull();
		expect(await store.findById(expired.id)).toBeNull();
		expect(await store.findById(revoked.id)).toBeNull();
	});
});
