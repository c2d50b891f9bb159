/**
 * App token issuance with a frozen clock, on a real in-memory SQLite database holding the
 * token tables (Directus's `directus_users` only stands in).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knex, { type Knex } from 'knex';
import { createStandInUsersTable, createTokenSchema } from './token-tables.js';
import { createAppStore } from './app-store.js';
import { createAppTokenIssuer } from './app-token-issuer.js';
import { loadTokenConfig } from './config.js';
import { createTokenStore } from './token-store.js';
import type { TokenEvent } from './token-events.js';
import { hashToken } from './token-hash.js';
import { parseToken } from './token-format.js';

const ALICE = '11111111-1111-4111-8111-111111111111';
const APP_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const WWW = 'https://www.example.com';

describe('app token issuer', () => {
	let db: Knex;
	let clock: Date;
	let events: TokenEvent[];
	let issuer: ReturnType<typeof createAppTokenIssuer>;
	let store: ReturnType<typeof createTokenStore>;

	async function addApp(row: Record<string, unknown> = {}) {
		await db('api_token_apps').insert({
			id: APP_ID,
			name: 'web',
			origins: JSON.stringify(['https://WWW.example.com/', 'https://*.apps.example.com', 'not a url']),
			scopes: JSON.stringify(['read']),
			ttl: 86_400,
			max_active_per_user: 2,
			enabled: true,
			...row,
		});
	}

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		await createStandInUsersTable(db);
		await db('directus_users').insert([{ id: ALICE }]);
		await createTokenSchema(db);
		clock = new Date('2030-06-01T00:00:00Z');
		events = [];
		const now = () => clock;
		store = createTokenStore(db, { now });
		issuer = createAppTokenIssuer({
			store,
			apps: createAppStore(db),
			config: loadTokenConfig({ API_TOKENS_MAX_TTL_APP: '12h' }),
			events: { publish: async (event) => void events.push(event) },
			now,
		});
	});
	afterEach(async () => {
		await db.destroy();
	});

	it('refuses requests without a usable Origin before looking at anything else', async () => {
		for (const origin of [undefined, 'null', '', 'https://*.example.com', 'javascript:alert(1)']) {
			expect(await issuer.resolveApp({ app: 'web' }, origin)).toMatchObject({ ok: false, status: 403, code: 'origin_not_allowed' });
		}
	});

	it('admits only origins some enabled app allows', async () => {
		await addApp();
		expect(await issuer.admitOrigin('https://beta.apps.example.com')).toEqual({ ok: true, value: 'https://beta.apps.example.com' });
		expect(await issuer.admitOrigin('https://evil.example.net')).toMatchObject({ ok: false, status: 403, code: 'origin_not_allowed' });
		expect(await issuer.admitOrigin(undefined)).toMatchObject({ ok: false, status: 403 });
		await db('api_token_apps').update({ enabled: false });
		expect(await issuer.admitOrigin(WWW)).toMatchObject({ ok: false, status: 403 });
	});

	it('names the app field, unknown and disabled apps, and origins the app does not allow', async () => {
		await addApp();
		expect(await issuer.resolveApp({}, WWW)).toMatchObject({ status: 400, field: 'app' });
		expect(await issuer.resolveApp({ app: ['web'] }, WWW)).toMatchObject({ status: 400, field: 'app' });
		expect(await issuer.resolveApp({ app: 'other' }, WWW)).toMatchObject({ status: 404, field: 'app' });
		expect(await issuer.resolveApp({ app: 'web' }, 'https://evil.example.com')).toMatchObject({ status: 403, code: 'origin_not_allowed' });
		expect(await issuer.resolveApp({ app: 'web' }, 'http://www.example.com')).toMatchObject({ status: 403 });
		expect(await issuer.resolveApp({ app: 'web' }, 'https://apps.example.com')).toMatchObject({ status: 403 });
		const sub = await issuer.resolveApp({ app: 'web' }, 'https://beta.apps.example.com');
		expect(sub.ok && sub.value.origin).toBe('https://beta.apps.example.com');
		await db('api_token_apps').update({ enabled: false });
		expect(await issuer.resolveApp({ app: 'web' }, WWW)).toMatchObject({ status: 403, code: 'forbidden' });
	});

	it('issues a hidden app token bound to the origin, with the app scopes, capped lifetime and events', async () => {
		await addApp();
		const resolved = await issuer.resolveApp({ app: 'web' }, 'https://www.EXAMPLE.com');
		if (!resolved.ok) throw new Error(resolved.message);
		const issued = await issuer.issue(ALICE, resolved.value.app, resolved.value.origin);
		if (!issued.ok) throw new Error(issued.message);
		expect(parseToken(issued.value.token).ok && issued.value.token.startsWith('dta_')).toBe(true);
		expect(issued.value.scopes).toEqual(['read']);
		// The app asks for a day; the server caps app tokens at 12 h here.
		expect(issued.value.expires_at).toBe(new Date(clock.getTime() + 12 * 3_600_000).toISOString());
		const row = await store.findByHash(hashToken(issued.value.token));
		expect(row?.record).toMatchObject({ kind: 'app', hidden: true, app: APP_ID, origins: [WWW], user: ALICE, refreshable: false });
		expect(events).toMatchObject([{ type: 'created', tokenIds: [row!.record.id], userId: ALICE }]);
		expect(await store.countActiveForUser(ALICE)).toBe(0);
		expect(await store.countActiveForUser(ALICE, 'app')).toBe(1);
	});

	it('revokes the oldest beyond max_active_per_user', async () => {
		await addApp();
		const app = (await createAppStore(db).findByName('web'))!;
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) {
			clock = new Date(clock.getTime() + 1000);
			const issued = await issuer.issue(ALICE, app, WWW);
			if (!issued.ok) throw new Error(issued.message);
			ids.push((await store.findByHash(hashToken(issued.value.token)))!.record.id);
		}
		expect(await store.activeAppTokenIds(ALICE, APP_ID)).toEqual([ids[3], ids[2]]);
		expect(events.filter((e) => e.type === 'revoked').map((e) => e.tokenIds)).toEqual([[ids[0]], [ids[1]]]);
	});

	it('refuses to issue for an app whose scopes the server does not know', async () => {
		await addApp({ scopes: JSON.stringify(['read', 'admin']) });
		const app = (await createAppStore(db).findByName('web'))!;
		expect(await issuer.issue(ALICE, app, WWW)).toMatchObject({ ok: false, status: 409, code: 'app_misconfigured' });
		expect(await db('api_tokens').count({ n: '*' }).first()).toMatchObject({ n: 0 });
	});
});
