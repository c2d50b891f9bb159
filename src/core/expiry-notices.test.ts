import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import knex, { type Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { dueNotices, noticeKey, noticeText, timeLeftText, type NoticeCandidate } from './expiry-notices.js';
import { createExpiryNoticeStore, NOTICES_TABLE } from './expiry-notice-store.js';
import { createStandInUsersTable, createTokenSchema } from './token-tables.js';
import { TOKENS_TABLE, TOKEN_KINDS } from '../shared/constants.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2030-01-01T00:00:00.000Z');
const THRESHOLDS = [7 * DAY, DAY];

const token = (over: Partial<NoticeCandidate> & { left?: number }): NoticeCandidate => ({
	id: 't1',
	kind: 'personal',
	hidden: false,
	user: 'u1',
	revoked_at: null,
	expires_at: over.left === undefined ? null : new Date(NOW.getTime() + over.left),
	...over,
});

describe('dueNotices', () => {
	it.each([
		['8 days left: nothing yet', { left: 8 * DAY }, [], null],
		['exactly 7 days left: the 7-day notice', { left: 7 * DAY }, [], { threshold: 7 * DAY, record: [7 * DAY] }],
		['6.5 days left: the 7-day notice', { left: 6.5 * DAY }, [], { threshold: 7 * DAY, record: [7 * DAY] }],
		['6.5 days left, 7-day notice given: nothing', { left: 6.5 * DAY }, [7 * DAY], null],
		['12 hours left, 7-day given: the 1-day notice', { left: 12 * HOUR }, [7 * DAY], { threshold: DAY, record: [DAY, 7 * DAY] }],
		['12 hours left, none given (made late): only the 1-day notice, settling 7 days', { left: 12 * HOUR }, [], { threshold: DAY, record: [DAY, 7 * DAY] }],
		['12 hours left, 1-day given: nothing', { left: 12 * HOUR }, [DAY], null],
		['expired: nothing', { left: -HOUR }, [], null],
		['expiring now: nothing', { left: 0 }, [], null],
		['never expires: nothing', {}, [], null],
		['a service token: noticed too', { left: HOUR, kind: 'service' as const }, [], { threshold: DAY, record: [DAY, 7 * DAY] }],
		['an app token: never', { left: HOUR, kind: 'app' as const, hidden: true }, [], null],
		['a hidden token: never', { left: HOUR, hidden: true }, [], null],
		['an anonymous token: never', { left: HOUR, kind: 'anonymous' as const, user: null }, [], null],
		['no owner: never', { left: HOUR, user: null }, [], null],
		['revoked: never', { left: HOUR, revoked_at: NOW }, [], null],
	])('%s', (_label, over, given, expected) => {
		const candidate = token(over);
		const keys = new Set(given.map((threshold) => noticeKey('t1', threshold, candidate.expires_at?.getTime() ?? 0)));
		const due = dueNotices([candidate], keys, NOW, THRESHOLDS);
		expect(due).toEqual(expected ? [{ token: 't1', user: 'u1', expiresAt: candidate.expires_at, ...expected }] : []);
	});

	it('gives notices again for a new expiry (a token extended or refreshed)', () => {
		const before = token({ left: 6 * DAY });
		const given = new Set([noticeKey('t1', 7 * DAY, before.expires_at!.getTime())]);
		expect(dueNotices([before], given, NOW, THRESHOLDS)).toEqual([]);
		const extended = { ...before, expires_at: new Date(before.expires_at!.getTime() + HOUR) };
		expect(dueNotices([extended], given, NOW, THRESHOLDS)).toMatchObject([{ threshold: 7 * DAY }]);
	});

	it('gives none when no threshold is configured', () => {
		expect(dueNotices([token({ left: HOUR })], new Set(), NOW, [])).toEqual([]);
	});

	/**
	 * The model: a schedule checks at random moments while tokens of every kind live; every due notice
	 * is sent and recorded. Whatever the moments, each token, threshold and expiry gets at most one
	 * notice; only visible live personal and service tokens with owners get any; what is sent is the
	 * smallest threshold reached; and a check once an hour from creation to expiry sends exactly the
	 * thresholds below the lifetime, plus the smallest one at or above it.
	 */
	it('sends each threshold at most once, whatever the check times (model)', () => {
		const arbToken = fc.record({
			kind: fc.constantFrom(...TOKEN_KINDS),
			hidden: fc.boolean(),
			owned: fc.boolean(),
			revokedAfter: fc.option(fc.integer({ min: 0, max: 20 * DAY }), { nil: null }),
			lifetime: fc.integer({ min: 1, max: 20 * DAY }),
		});
		const arbThresholds = fc.uniqueArray(fc.integer({ min: 1, max: 10 * 24 }).map((hours) => hours * HOUR), { minLength: 0, maxLength: 4 });
		fc.assert(
			fc.property(fc.array(arbToken, { maxLength: 6 }), arbThresholds, fc.array(fc.integer({ min: 1, max: 2 * DAY }), { maxLength: 60 }), fc.boolean(), (specs, thresholds, gaps, hourly) => {
				const start = NOW.getTime();
				const steps = hourly ? Array.from({ length: 21 * 24 }, () => HOUR) : gaps;
				const sent: Array<{ token: string; threshold: number; left: number; reached: number[] }> = [];
				const given = new Set<string>();
				let at = start;
				for (const step of steps) {
					at += step;
					const now = new Date(at);
					const tokens = specs.map((spec, i): NoticeCandidate => ({
						id: `t${i}`,
						kind: spec.kind,
						hidden: spec.hidden,
						user: spec.owned ? `u${i}` : null,
						expires_at: new Date(start + spec.lifetime),
						revoked_at: spec.revokedAfter !== null && start + spec.revokedAfter <= at ? new Date(start + spec.revokedAfter) : null,
					}));
					for (const notice of dueNotices(tokens, given, now, thresholds)) {
						const left = notice.expiresAt.getTime() - at;
						sent.push({ token: notice.token, threshold: notice.threshold, left, reached: thresholds.filter((t) => left <= t) });
						for (const threshold of notice.record) given.add(noticeKey(notice.token, threshold, notice.expiresAt.getTime()));
					}
				}
				const pairs = sent.map((s) => `${s.token}:${s.threshold}`);
				expect(new Set(pairs).size).toBe(pairs.length);
				for (const notice of sent) {
					const spec = specs[Number(notice.token.slice(1))]!;
					expect(['personal', 'service']).toContain(spec.kind);
					expect(spec.hidden || !spec.owned).toBe(false);
					expect(notice.left).toBeGreaterThan(0);
					expect(notice.threshold).toBe(Math.min(...notice.reached));
				}
				if (!hourly) return;
				specs.forEach((spec, i) => {
					if (!['personal', 'service'].includes(spec.kind) || spec.hidden || !spec.owned || spec.revokedAfter !== null) return;
					// Checked hourly: a threshold is met within an hour of being reached, if the token lives that long.
					const reachable = thresholds.filter((t) => t < spec.lifetime - HOUR);
					const got = sent.filter((s) => s.token === `t${i}`).map((s) => s.threshold);
					for (const threshold of reachable) expect(got).toContain(threshold);
					expect(got.filter((t) => !reachable.includes(t)).length).toBeLessThanOrEqual(1);
				});
			}),
			{ numRuns: 300 },
		);
	});
});

describe('noticeText', () => {
	it.each([
		[7 * DAY, '7 days'],
		[6.5 * DAY, '7 days'],
		[7 * DAY - HOUR, '7 days'],
		[6.5 * DAY - 5_000, '7 days'],
		[DAY + HOUR, '2 days'],
		[DAY, '1 day'],
		[23.5 * HOUR, '1 day'],
		[12 * HOUR, '12 hours'],
		[12 * HOUR - 5_000, '12 hours'],
		[HOUR, '1 hour'],
		[HOUR - 1, '1 hour'],
		[90_000, '2 minutes'],
		[1_000, '1 minute'],
	])('says %i ms left as "%s"', (ms, text) => {
		expect(timeLeftText(ms)).toBe(text);
	});

	it('names the token, links its page, and escapes the markdown of its name', () => {
		const { subject, message } = noticeText({ name: 'CLI [x](https://evil.example)\nnext', hint: 'dtp_AbCd…', kind: 'personal', expiresAt: new Date(NOW.getTime() + 6.5 * DAY), now: NOW, tokenUrl: 'https://dash.example.com/admin/tokens/abc' });
		expect(subject).toBe('Your token "CLI [x](https://evil.example) next" expires in 7 days');
		expect(message).toContain('[Renew the token](https://dash.example.com/admin/tokens/abc)');
		expect(message).toContain('CLI \\[x\\]\\(https://evil\\.example\\) next');
		expect(message).toContain('`dtp_AbCd…`');
		expect(message).toContain('2030-01-07 12:00 UTC');
		expect(message).toContain('Regenerate');
	});
});

describe('the notices store (SQLite)', () => {
	let db: Knex;
	const owner = randomUUID();
	const insertToken = async (over: Record<string, unknown> = {}) => {
		const id = randomUUID();
		await db(TOKENS_TABLE).insert({ id, name: 'cli', kind: 'personal', hidden: false, hash: randomUUID(), hint: 'dtp_AbCd…', scopes: '[]', origins: '[]', user: owner, expires_at: new Date(Date.now() + 6.5 * DAY), date_created: new Date(), ...over });
		return id;
	};
	const noticesOf = (id: string) => db(NOTICES_TABLE).where({ token: id }).orderBy('threshold');

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		await db.raw('PRAGMA foreign_keys = ON');
		await createStandInUsersTable(db, [owner]);
		await createTokenSchema(db);
	});
	afterEach(async () => {
		await db.destroy();
	});

	it('reads only live, visible personal and service tokens of active owners within the window', async () => {
		const store = createExpiryNoticeStore(db);
		const personal = await insertToken();
		const service = await insertToken({ kind: 'service' });
		await insertToken({ kind: 'app', hidden: true });
		await insertToken({ kind: 'anonymous', user: null });
		await insertToken({ revoked_at: new Date() });
		await insertToken({ expires_at: new Date(Date.now() - HOUR) });
		await insertToken({ expires_at: new Date(Date.now() + 30 * DAY) });
		await insertToken({ expires_at: null });
		const inactive = randomUUID();
		await db('directus_users').insert({ id: inactive, status: 'suspended' });
		await insertToken({ user: inactive });
		const found = await store.candidates(new Date(), 7 * DAY);
		expect(found.map((t) => t.id).sort()).toEqual([personal, service].sort());
	});

	it('sends a notice once: a second claim (another instance) sends nothing', async () => {
		const store = createExpiryNoticeStore(db);
		const id = await insertToken({ expires_at: new Date(Date.now() + 12 * HOUR) });
		const now = new Date();
		const [notice] = dueNotices(await store.candidates(now, 7 * DAY), new Set(), now, THRESHOLDS);
		const sends: string[] = [];
		expect(await store.sendOnce(notice!, now, async (_trx, t) => void sends.push(t.id))).toBe(true);
		expect(await store.sendOnce(notice!, now, async (_trx, t) => void sends.push(t.id))).toBe(false);
		expect(sends).toEqual([id]);
		expect((await noticesOf(id)).map((row) => [row.threshold, row.sent_at === null])).toEqual([[86_400, false], [7 * 86_400, true]]);
		expect(dueNotices(await store.candidates(now, 7 * DAY), await store.given([id]), now, THRESHOLDS)).toEqual([]);
	});

	it('records nothing when sending fails (tried again at the next check), or when the token changed meanwhile', async () => {
		const store = createExpiryNoticeStore(db);
		const id = await insertToken();
		const now = new Date();
		const [notice] = dueNotices(await store.candidates(now, 7 * DAY), new Set(), now, THRESHOLDS);
		await expect(store.sendOnce(notice!, now, async () => Promise.reject(new Error('mail down')))).rejects.toThrow('mail down');
		expect(await noticesOf(id)).toEqual([]);
		await db(TOKENS_TABLE).where({ id }).update({ expires_at: new Date(Date.now() + 5 * DAY) });
		expect(await store.sendOnce(notice!, now, async () => {})).toBe(false);
		await db(TOKENS_TABLE).where({ id }).update({ expires_at: notice!.expiresAt, revoked_at: new Date() });
		expect(await store.sendOnce(notice!, now, async () => {})).toBe(false);
		expect(await noticesOf(id)).toEqual([]);
	});

	it("deletes a token's notices with the token (a purge)", async () => {
		const store = createExpiryNoticeStore(db);
		const id = await insertToken();
		const now = new Date();
		const [notice] = dueNotices(await store.candidates(now, 7 * DAY), new Set(), now, THRESHOLDS);
		expect(await store.sendOnce(notice!, now, async () => {})).toBe(true);
		await db(TOKENS_TABLE).where({ id }).delete();
		expect(await db(NOTICES_TABLE)).toEqual([]);
	});
});
