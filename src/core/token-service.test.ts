/**
 * The token service's rules with a frozen clock, on a real in-memory SQLite database holding the
 * token tables (Directus's `directus_users` only stands in).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knex, { type Knex } from 'knex';
import { createStandInUsersTable, createTokenSchema } from './token-tables.js';
import { loadTokenConfig } from './config.js';
import { createTokenStore } from './token-store.js';
import { createTokenService, SYSTEM_ACTOR, type Actor } from './token-service.js';
import type { TokenEvent } from './token-events.js';
import { hashToken } from './token-hash.js';
import { latestStorableTime } from './storable-time.js';
import { createAuditSink } from './token-audit.js';

const DAY = 86_400_000;
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const alice: Actor = { userId: ALICE, admin: false };
const bob: Actor = { userId: BOB, admin: false };
const admin: Actor = { userId: '33333333-3333-4333-8333-333333333333', admin: true };

describe('token service', () => {
	let db: Knex;
	let clock: Date;
	let events: TokenEvent[];
	let service: ReturnType<typeof createTokenService>;

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		await createStandInUsersTable(db);
		await db('directus_users').insert([{ id: ALICE }, { id: BOB }, { id: admin.userId }]);
		await createTokenSchema(db);
		clock = new Date('2030-06-01T00:00:00Z');
		events = [];
		const now = () => clock;
		service = createTokenService({
			store: createTokenStore(db, { now }),
			config: loadTokenConfig({ API_TOKENS_MAX_ACTIVE_PER_USER: '3' }),
			events: { publish: async (event) => void events.push(event) },
			now,
		});
	});
	afterEach(async () => {
		await db.destroy();
	});

	async function created(actor: Actor, body: Record<string, unknown> = { name: 'cli' }) {
		const result = await service.create(actor, body);
		if (!result.ok) throw new Error(result.message);
		return result.value;
	}

	it('regenerates with a renewed expiry on request: the lifetime at creation, counted from now, within the cap', async () => {
		const month = await created(alice, { name: 'cli', duration: 30 * 86_400 });
		clock = new Date(clock.getTime() + 25 * DAY);
		const kept = await service.regenerate(alice, month.info.id, {});
		expect(kept.ok && kept.value.info.expiration).toBe(month.info.expiration);
		const renewed = await service.regenerate(alice, month.info.id, { renew: true });
		expect(renewed).toMatchObject({ ok: true, value: { capped: false, info: { expiration: new Date(clock.getTime() + 30 * DAY).toISOString() } } });
		expect(await service.regenerate(alice, month.info.id, { renew: 'yes' })).toMatchObject({ ok: false, status: 400, field: 'renew' });
		// A token made by another token is renewed no longer than that token lives.
		const parent = { id: 'parent', kind: 'personal' as const, scopes: ['read', 'write', 'directus'], origins: [], expiresAt: clock.getTime() + 10 * DAY, secret: 'current' as const };
		const shortened = await service.regenerate({ ...alice, token: parent }, month.info.id, { renew: true });
		expect(shortened).toMatchObject({ ok: true, value: { capped: true, info: { expiration: new Date(parent.expiresAt).toISOString() } } });
	});

	it('refuses expiries the database cannot store (MySQL/MariaDB: 2038), naming the field', async () => {
		const mysql = createTokenService({ store: createTokenStore(db, { now: () => clock }), config: loadTokenConfig({}), now: () => clock, latestExpiry: latestStorableTime('mysql') });
		const service = { name: 'svc', kind: 'service', scopes: ['introspect'] };
		expect(await mysql.create(admin, { ...service, expires_at: '2039-01-01T00:00:00Z' })).toMatchObject({ ok: false, status: 400, code: 'invalid_expiry', field: 'expires_at' });
		expect(await mysql.create(admin, { ...service, duration: 10 * 365 * 86_400 })).toMatchObject({ ok: false, code: 'invalid_expiry', field: 'duration' });
		const kept = await mysql.create(admin, { ...service, expires_at: '2037-12-31T00:00:00Z' });
		expect(kept).toMatchObject({ ok: true });
		if (!kept.ok) return;
		expect(await mysql.update(admin, kept.value.info.id, { expires_at: '2100-01-01T00:00:00Z' })).toMatchObject({ ok: false, code: 'invalid_expiry', field: 'expires_at' });
		expect(await db('api_tokens').count({ n: '*' }).first()).toMatchObject({ n: 1 });
	});

	it('refuses control characters in names and descriptions, and ids that are not UUIDs', async () => {
		expect(await service.create(alice, { name: 'a\u0000b' })).toMatchObject({ ok: false, code: 'invalid_name' });
		expect(await service.create(alice, { name: 'cli', description: 'x\u001b[31m' })).toMatchObject({ ok: false, code: 'invalid_description' });
		expect(await service.create(alice, { name: 'cli', description: 'line 1\nline 2' })).toMatchObject({ ok: true });
		for (const id of ['-'.repeat(36), 'a'.repeat(36)]) expect(await service.get(admin, id)).toMatchObject({ ok: false, status: 404 });
		expect(await service.reset(admin, '0'.repeat(36))).toMatchObject({ ok: false, status: 400, field: 'user' });
	});

	it('refuses list bounds beyond the 32-bit row_id column', async () => {
		expect(await service.list(alice, { start: '2147483647' })).toMatchObject({ ok: true });
		for (const start of ['2147483648', '99999999999', '9'.repeat(30)]) expect(await service.list(alice, { start })).toMatchObject({ ok: false, status: 400, field: 'start' });
	});

	it('creates with the default lifetime and publishes an event without the secret', async () => {
		const { token, info } = await created(alice);
		expect(info.expiration).toBe(new Date(clock.getTime() + 90 * DAY).toISOString());
		expect(events).toEqual([{ type: 'created', tokenIds: [info.id], userId: ALICE, actor: ALICE, at: clock.toISOString() }]);
		expect(JSON.stringify(events)).not.toContain(token);
		expect((await db('api_tokens').first()).hash).toBe(hashToken(token));
	});

	it('enforces the per-user cap on active tokens, counting neither revoked nor expired ones', async () => {
		const first = await created(alice, { name: 'a', duration: 60 });
		await created(alice, { name: 'b' });
		const third = await created(alice, { name: 'c' });
		const refused = await service.create(alice, { name: 'd' });
		expect(refused).toMatchObject({ ok: false, status: 409, code: 'too_many_tokens' });
		await service.revoke(alice, third.info.id);
		await created(alice, { name: 'd' });
		clock = new Date(clock.getTime() + 61_000); // `a` expired
		await created(alice, { name: 'e' });
		expect((await service.create(bob, { name: 'bob' })).ok).toBe(true);
		expect(first.info.name).toBe('a');
	});

	it('keeps never-expiring tokens to service kind and system scopes', async () => {
		expect(await service.create(alice, { name: 'forever', duration: 'forever' })).toMatchObject({ ok: false, code: 'never_not_allowed' });
		expect(await service.create(alice, { name: 'svc' }, 'service')).toMatchObject({ ok: false, status: 403 });
		const svc = await service.create(admin, { name: 'introspector', scopes: ['introspect'], duration: null }, 'service');
		expect(svc.ok && svc.value.info).toMatchObject({ kind: 'service', expiration: null, scopes: ['introspect'] });
		expect(svc.ok && svc.value.token.startsWith('dts_')).toBe(true);
		expect(await service.create(admin, { name: 'bad', scopes: ['read'], duration: null }, 'service')).toMatchObject({ ok: false, code: 'invalid_scopes' });
	});

	it('hides other users’ tokens behind 404 and lets admins see and reset everything', async () => {
		const { info } = await created(alice);
		for (const result of [
			await service.get(bob, info.id),
			await service.update(bob, info.id, { name: 'x' }),
			await service.regenerate(bob, info.id, {}),
			await service.refresh(bob, info.id),
			await service.revoke(bob, info.id),
			await service.get(bob, 'not-a-uuid'),
		]) {
			expect(result).toMatchObject({ ok: false, status: 404, code: 'not_found' });
		}
		expect(await service.get(admin, info.id)).toMatchObject({ ok: true, value: { user: ALICE } });
		expect(await service.reset(bob, ALICE)).toMatchObject({ ok: false, status: 403 });
		expect(await service.reset(SYSTEM_ACTOR, ALICE)).toEqual({ ok: true, value: { revoked: 1 } });
		expect(events.at(-1)).toMatchObject({ type: 'reset', tokenIds: [info.id], userId: ALICE, actor: null });
		// Its owner still reads it, as revoked (the page and history of a revoked token), while it is kept.
		expect(await service.get(alice, info.id)).toMatchObject({ ok: true, value: { revoked: true } });
	});

	it('caps PATCHed expiry at the kind’s maximum counted from creation', async () => {
		const { info } = await created(alice);
		clock = new Date(clock.getTime() + 300 * DAY);
		const patched = await service.update(alice, info.id, { expires_at: new Date(clock.getTime() + 300 * DAY).toISOString() });
		expect(patched.ok && patched.value.expiration).toBe(new Date(Date.parse(info.creation_time) + 365 * DAY).toISOString());
	});

	it('refreshes with the original lifetime and revokes the old token', async () => {
		const { info } = await created(alice, { name: 'r', refreshable: true, duration: 7 * 86_400 });
		clock = new Date(clock.getTime() + DAY);
		const refreshed = await service.refresh(alice, info.id);
		expect(refreshed.ok && refreshed.value.info.expiration).toBe(new Date(clock.getTime() + 7 * DAY).toISOString());
		expect((await db('api_tokens').where({ id: info.id }).first()).revoked_at).not.toBeNull();
		expect(events.at(-1)).toMatchObject({ type: 'refreshed' });
	});

	it('lists newest first, 20 by default, and refuses bad pagination', async () => {
		for (const name of ['a', 'b', 'c']) await created(bob, { name });
		const list = await service.list(bob, {});
		expect(list.ok && list.value.map((t) => t.name)).toEqual(['c', 'b', 'a']);
		expect(await service.list(bob, { delta: '0' })).toMatchObject({ ok: false, status: 400 });
		expect(await service.list(bob, { include_hidden: 'true' })).toMatchObject({ ok: false, status: 403 });
		expect(await service.list(bob, { sort: 'hash' })).toMatchObject({ ok: false, status: 400 });
	});

	it('shows its owner a revoked token and its history (admins too, nobody else), lists it on request, and refuses writes to it', async () => {
		const audited = createTokenService({ store: createTokenStore(db, { now: () => clock }), config: loadTokenConfig({}), events: createAuditSink(db), now: () => clock });
		const made = await audited.create(alice, { name: 'old laptop', scopes: ['read', 'write'], refreshable: true });
		if (!made.ok) throw new Error(made.message);
		const { id } = made.value.info;
		clock = new Date(clock.getTime() + DAY);
		expect(await audited.update(alice, id, { scopes: ['read'] })).toMatchObject({ ok: true });
		clock = new Date(clock.getTime() + DAY);
		expect(await audited.revoke(alice, id)).toEqual({ ok: true, value: null });

		expect(await audited.get(alice, id)).toMatchObject({ ok: true, value: { revoked: true, revoked_at: clock.toISOString() } });
		const history = await audited.history(alice, id);
		expect(history.ok && history.value).toEqual([
			{ type: 'created', at: '2030-06-01T00:00:00.000Z', actor: ALICE },
			{ type: 'updated', at: '2030-06-02T00:00:00.000Z', actor: ALICE },
			{ type: 'revoked', at: '2030-06-03T00:00:00.000Z', actor: ALICE },
		]);
		expect(await audited.history(admin, id)).toMatchObject({ ok: true });
		expect(await audited.history(bob, id)).toMatchObject({ ok: false, status: 404, code: 'not_found' });
		expect(await audited.get(bob, id)).toMatchObject({ ok: false, status: 404 });
		expect(await audited.history(alice, 'not-a-uuid')).toMatchObject({ ok: false, status: 404 });

		const live = await audited.list(alice, {});
		expect(live.ok && live.value.map((t) => t.id)).toEqual([]);
		const all = await audited.list(alice, { include_revoked: 'true' });
		expect(all.ok && all.value.map((t) => t.id)).toEqual([id]);
		expect(await audited.list(alice, { include_revoked: 'yes' })).toMatchObject({ ok: false, status: 400 });

		expect(await audited.update(alice, id, { name: 'x' })).toMatchObject({ ok: false, status: 404 });
		expect(await audited.regenerate(alice, id, {})).toMatchObject({ ok: false, status: 404 });
		expect(await audited.refresh(alice, id)).toMatchObject({ ok: false, status: 404 });
		expect(await audited.update(admin, id, { name: 'x' })).toMatchObject({ ok: false, status: 409 });
		expect(await audited.refresh(admin, id)).toMatchObject({ ok: false, status: 409 });
	});
});
