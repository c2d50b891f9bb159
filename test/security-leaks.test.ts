/**
 * No secret leaks (issue 7): a full token life on a real Directus logging at debug level (JSON lines,
 * and Directus's default pretty style on MariaDB), then every plaintext token issued (and its secret
 * without the prefix) is searched for in every table of the database, the server's log, /activity
 * and /revisions, exports (also to a file), GraphQL answers, and what went to other processes (Redis
 * pub/sub and keys, PostgreSQL NOTIFY): zero hits. And the hashes: no answer to anyone carries one,
 * and no filter, search or sort on them tells a real hash from a wrong one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { Redis } from 'ioredis';
import { PG_NOTIFY_CHANNEL } from '../src/core/token-events.js';
import { generateToken } from '../src/core/token-format.js';
import { APPS_TABLE, TOKENS_TABLE } from '../src/shared/constants.js';
import { createTokenValidator, type TokenValidator } from '../src/validator/index.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, sessionCookie, type TestUser } from './helpers/users.js';
import { request, type JsonResponse } from './helpers/http.js';
import { dumpDatabase } from './helpers/dump.js';
import { findNeedles, tokenNeedles, type Needle } from './helpers/leak-scan.js';
import { report } from './helpers/suite-report.js';

const WWW = 'https://www.example.com';
/** SQLite runs with Redis when there is one (token events go out on pub/sub, the issue limiter keeps keys there). */
const redisUrl = process.env.TEST_REDIS_URL;

/** The log with each request line's URL and query (what the client sent) left out. */
function withoutRequestUrls(log: string): string {
	return log
		.split('\n')
		.map((line) => {
			// Pretty style: `[11:33:20] GET /users/me?… 200 5ms`.
			if (/^\[[\d:.]+\] [A-Z]+ \//.test(line)) return '';
			try {
				const entry = JSON.parse(line) as { req?: Record<string, unknown> };
				if (entry.req) for (const key of ['url', 'query', 'params']) delete entry.req[key];
				return JSON.stringify(entry);
			} catch {
				return line;
			}
		})
		.join('\n');
}
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe.each(enabledDatabases())('no secret leaks on %s', (databaseName) => {
	let directus: DirectusInstance;
	let validatorDb: Knex;
	let validator: TokenValidator;
	let alice: TestUser;
	let bob: TestUser;
	let aliceCookie: string;
	/** Every plaintext the server handed out (or that a test tried to plant), by label. */
	const issued = new Map<string, string>();
	/** Every hash (current or previous) the database held at any point. */
	const hashes = new Set<string>();
	const counts = { sources: 0, probes: 0 };
	/** Everything Directus sent to other processes: every Redis pub/sub message, or PostgreSQL NOTIFY payloads. */
	const broadcast: string[] = [];
	let subscriber: Redis | undefined;
	let listener: Knex | undefined;
	const withRedis = databaseName === 'sqlite' && Boolean(redisUrl);
	/** Directus's default log style (what `npm start` prints) on MariaDB, JSON lines elsewhere. */
	const logStyle = databaseName === 'mariadb' ? 'pretty' : 'raw';

	const keep = (label: string, response: JsonResponse, status = 201): string => {
		expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBe(status);
		const token = response.body.token as string;
		issued.set(label, token);
		return token;
	};
	const needles = (): Needle[] => [...issued].flatMap(([label, token]) => tokenNeedles(label, token));
	async function collectHashes() {
		for (const row of await directus.db(TOKENS_TABLE).select('hash', 'previous_hash')) {
			for (const hash of [row.hash, row.previous_hash]) if (hash) hashes.add(String(hash));
		}
	}
	const hashesIn = (text: string) => [...hashes].filter((hash) => text.includes(hash)).map((hash) => `hash ${hash.slice(0, 6)}…`);

	beforeAll(async () => {
		if (withRedis) {
			subscriber = new Redis(redisUrl!);
			subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => broadcast.push(`${channel} ${message}`));
			await subscriber.psubscribe('*');
		}
		directus = await startDirectus(databaseName, { LOG_LEVEL: 'debug', LOG_STYLE: logStyle, MCP_ENABLED: 'true', ...(withRedis ? { REDIS: redisUrl! } : {}) });
		expect((await api('PATCH', '/settings', directus.adminToken, { mcp_enabled: true })).status).toBe(200);
		if (databaseName === 'postgres') {
			listener = directus.database.connect();
			type PgClient = { query(sql: string): Promise<unknown>; on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void };
			const raw = (await (listener.client as { acquireRawConnection(): Promise<PgClient> }).acquireRawConnection()) as PgClient;
			raw.on('notification', (message) => broadcast.push(`${message.channel} ${message.payload ?? ''}`));
			await raw.query(`LISTEN ${PG_NOTIFY_CHANNEL}`);
		}
		// With app access: Directus's minimal app permissions let her read more (her user, relations).
		alice = await createUser(directus, 'alice', { appAccess: true });
		bob = await createUser(directus, 'bob');
		aliceCookie = await sessionCookie(directus, alice.email, alice.password);
		validatorDb = directus.database.connect();
		validator = createTokenValidator({ db: validatorDb, lastUsedFlushMs: 3_600_000 });
		await validator.start();
	});
	afterAll(async () => {
		subscriber?.disconnect();
		await listener?.destroy();
		await validator?.stop();
		await validatorDb?.destroy();
		await directus?.stop();
	});

	const api = (method: string, path: string, token: string, body?: unknown) => request(directus.url, method, path, { token, ...(body === undefined ? {} : { body }) });
	/** Every field of `api_tokens` this caller's GraphQL schema offers (relations as `{ id }`), hashes left out. */
	async function graphqlSelection(token: string): Promise<string> {
		const schema = await api('POST', '/graphql', token, { query: `{ __type(name: "${TOKENS_TABLE}") { fields { name type { kind ofType { kind } } } } }` });
		const fields = schema.body.data.__type.fields as Array<{ name: string; type: { kind: string; ofType: { kind: string } | null } }>;
		return fields
			.filter((f) => !['hash', 'previous_hash'].includes(f.name) && !f.name.endsWith('_func'))
			.map((f) => ((f.type.kind === 'NON_NULL' ? f.type.ofType?.kind : f.type.kind) === 'OBJECT' ? `${f.name} { id }` : f.name))
			.join(' ');
	}
	/** All of `api_tokens` over GraphQL, as this caller: an answer with data, not a validation error. */
	async function graphqlAll(token: string): Promise<JsonResponse> {
		const response = await api('POST', '/graphql', token, { query: `{ ${TOKENS_TABLE}(limit: -1) { ${await graphqlSelection(token)} } }` });
		expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
		expect(response.body.data[TOKENS_TABLE].length).toBeGreaterThan(0);
		return response;
	}

	it('issues tokens through every path and uses them', async () => {
		const admin = directus.adminToken;
		// Our token API: personal tokens of two users, and an admin's service token.
		const refreshable = keep('alice refreshable', await api('POST', '/api-tokens', alice.accessToken, { name: 'refreshable', scopes: ['read', 'directus'], refreshable: true }));
		const regenerated = keep('alice before regenerate', await api('POST', '/api-tokens', alice.accessToken, { name: 'to regenerate', scopes: ['read', 'directus'] }));
		const toRevoke = keep('alice revoked by id', await api('POST', '/api-tokens', alice.accessToken, { name: 'to revoke', scopes: ['directus'] }));
		const toOAuthRevoke = keep('alice revoked by RFC 7009', await api('POST', '/api-tokens', alice.accessToken, { name: 'oauth revoke', scopes: ['read'] }));
		const selfRevoke = keep('alice revoked by itself', await api('POST', '/api-tokens', alice.accessToken, { name: 'self', scopes: ['directus'] }));
		const bobs = keep('bob', await api('POST', '/api-tokens', bob.accessToken, { name: 'bob', scopes: ['read', 'directus'] }));
		const service = keep('service', await api('POST', '/api-tokens', admin, { name: 'introspector', kind: 'service', scopes: ['introspect'], duration: null }));

		// /items and GraphQL cannot create tokens, even with a token or hash planted in the payload.
		const planted = generateToken('personal');
		issued.set('planted in /items', planted.token);
		const plantedGql = generateToken('personal');
		issued.set('planted in GraphQL', plantedGql.token);
		const before = Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n);
		for (const token of [admin, alice.accessToken]) {
			const rest = await api('POST', `/items/${TOKENS_TABLE}`, token, { name: 'via items', hash: planted.hash, hint: planted.hint, description: planted.token });
			expect(rest.status).toBeGreaterThanOrEqual(400);
			expect(rest.status).toBeLessThan(500);
			const restNoHash = await api('POST', `/items/${TOKENS_TABLE}`, token, [{ name: 'batch via items', description: planted.token }]);
			expect(restNoHash.status).toBeGreaterThanOrEqual(400);
			expect(restNoHash.status).toBeLessThan(500);
			const gql = await api('POST', '/graphql', token, {
				query: `mutation { create_${TOKENS_TABLE}_item(data: { id: "${randomUUID()}", name: "via graphql", description: "${plantedGql.token}" }) { id hint } }`,
			});
			expect(gql.body.errors?.length, JSON.stringify(gql.body)).toBeGreaterThan(0);
			expect(gql.body.data?.[`create_${TOKENS_TABLE}_item`] ?? null).toBeNull();
		}
		expect(Number((await directus.db(TOKENS_TABLE).count({ n: '*' }).first())?.n)).toBe(before);

		// Regenerate with a grace period: the old secret keeps working for a while.
		const regenId = (await api('GET', '/api-tokens', alice.accessToken)).body.tokens.find((t: { name: string }) => t.name === 'to regenerate').id;
		const afterRegen = keep('alice after regenerate', await api('POST', `/api-tokens/${regenId}/regenerate`, alice.accessToken, { grace_seconds: 3600 }), 200);
		// Refresh a refreshable token: a new token, the old one revoked.
		const refreshableId = (await api('GET', '/api-tokens', alice.accessToken)).body.tokens.find((t: { name: string }) => t.name === 'refreshable').id;
		const refreshed = keep('alice refreshed', await api('POST', `/api-tokens/${refreshableId}/refresh`, alice.accessToken));

		// An app token from the session cookie and an allowed Origin.
		const app = await api('POST', '/api-tokens/apps', admin, { name: 'web', origins: [WWW], scopes: ['read', 'directus'] });
		expect(app.status).toBe(201);
		const appToken = keep(
			'alice app token',
			await request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'web' }, headers: { cookie: aliceCookie, origin: WWW } }),
		);

		// Use them: Directus requests with Authorization, validator checks (so last-used is written).
		for (const token of [regenerated, afterRegen, refreshed, appToken, bobs, toRevoke, selfRevoke]) {
			// The app token from its page's origin, as the page would.
			const headers: Record<string, string> = token === appToken ? { origin: WWW } : {};
			const me = await request(directus.url, 'GET', '/users/me?fields=id', { token, headers });
			expect(me.status, JSON.stringify(me.body)).toBe(200);
			expect((await request(directus.url, 'GET', `/items/${TOKENS_TABLE}?fields=id,name`, { token, headers })).status).toBe(403);
		}
		// A token in the URL is refused, and Directus redacts `access_token` from its request log.
		expect((await request(directus.url, 'GET', `/users/me?access_token=${encodeURIComponent(bobs)}`)).status).toBe(401);
		for (const token of [regenerated, afterRegen, refreshed, bobs, toOAuthRevoke]) {
			expect(await validator.validate(token)).toMatchObject({ valid: true });
		}
		expect(await validator.validate(appToken, { origin: WWW })).toMatchObject({ valid: true });
		await validator.flushLastUsed();
		const used = await directus.db(TOKENS_TABLE).whereNotNull('last_used_at').count({ n: '*' }).first();
		expect(Number(used?.n)).toBeGreaterThanOrEqual(5);

		// RFC 7662 introspection (form and JSON) and RFC 7009 revocation.
		for (const token of [afterRegen, regenerated, refreshed]) {
			const response = await fetch(`${directus.url}/api-tokens/introspect`, {
				method: 'POST',
				headers: { authorization: `Bearer ${service}`, 'content-type': 'application/x-www-form-urlencoded' },
				body: form({ token }),
			});
			expect(((await response.json()) as { active: boolean }).active).toBe(true);
		}
		expect((await request(directus.url, 'POST', '/api-tokens/introspect', { token: service, body: { token: bobs } })).body.active).toBe(true);
		const oauthRevoke = await fetch(`${directus.url}/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ token: toOAuthRevoke }) });
		expect(oauthRevoke.status).toBe(200);

		// Revoke by id and by itself; /items changes nothing, not even for an admin.
		const list = (await api('GET', '/api-tokens?delta=-100', alice.accessToken)).body.tokens as Array<{ id: string; name: string }>;
		const idOf = (name: string) => list.find((t) => t.name === name)!.id;
		expect((await api('DELETE', `/api-tokens/${idOf('to revoke')}`, alice.accessToken)).status).toBe(204);
		expect((await api('DELETE', '/api-tokens/self', selfRevoke)).status).toBe(204);
		expect((await api('PATCH', `/items/${TOKENS_TABLE}/${idOf('to regenerate')}`, admin, { name: 'renamed by admin' })).status).toBe(403);
		expect((await api('PATCH', `/api-tokens/${idOf('to regenerate')}`, admin, { name: 'renamed by admin' })).status).toBe(200);
		for (const token of [refreshable, toRevoke, selfRevoke, toOAuthRevoke]) expect((await api('GET', '/users/me', token)).status).toBe(401);
		await collectHashes();
		expect(hashes.size).toBeGreaterThanOrEqual(8);
	});

	it('shows no hash to anyone, and no filter, search or sort on a hash tells a real one from a wrong one', async () => {
		await collectHashes();
		const own = await directus.db(TOKENS_TABLE).where({ user: alice.id }).whereNotNull('previous_hash').first();
		expect(own, 'a token regenerated with grace').toBeTruthy();
		const real = String(own.hash);
		const realPrevious = String(own.previous_hash);
		const wrong = generateToken('personal').hash;
		const leaks: string[] = [];
		const errors: string[] = [];
		const check = (label: string, response: JsonResponse) => {
			counts.probes++;
			if (response.status >= 500) errors.push(`${label}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
			const found = hashesIn(JSON.stringify(response.body));
			if (found.length) leaks.push(`${label}: ${found.join(', ')}`);
		};
		/** The same answer, status and body (the value asked about taken out), for the real value and a wrong one. */
		const sameAnswer = async (label: string, send: (value: string) => Promise<JsonResponse>, realValue: string, wrongValue: string) => {
			const [a, b] = [await send(realValue), await send(wrongValue)];
			check(`${label} (real)`, a);
			check(`${label} (wrong)`, b);
			const [fa, fb] = [`${a.status} ${JSON.stringify(a.body).replaceAll(realValue, '<v>')}`, `${b.status} ${JSON.stringify(b.body).replaceAll(wrongValue, '<v>')}`];
			if (fa !== fb) leaks.push(`${label}: answers differ (${fa.slice(0, 200)} vs ${fb.slice(0, 200)})`);
		};

		const tokensRest = [
			'fields=*.*',
			'fields=*.*.*',
			'fields=hash',
			'fields=*,hash',
			'fields=id,previous_hash',
			'fields=count(hash)',
			'fields=json(hash,a)',
			'alias[h]=hash&fields=h',
			'fields=*.*&deep[user][_filter][id][_nnull]=true',
			'fields=*,user.*&deep[user][_fields]=*',
			'aggregate[max]=hash',
			'aggregate[min]=hash',
			'aggregate[count]=hash',
			'aggregate[countDistinct]=hash',
			'aggregate[count]=*&groupBy[]=hash',
			'aggregate[count]=*&groupBy[]=previous_hash',
			'meta=*&fields=*',
		];
		for (const who of [alice, 'admin'] as const) {
			const token = who === 'admin' ? directus.adminToken : who.accessToken;
			const label = who === 'admin' ? 'admin' : 'user';
			for (const probe of tokensRest) check(`${label} ${probe}`, await api('GET', `/items/${TOKENS_TABLE}?${probe}`, token));
			check(`${label} one token *.*`, await api('GET', `/items/${TOKENS_TABLE}/${own.id}?fields=*.*`, token));
			check(`${label} /api-tokens`, await api('GET', '/api-tokens?delta=-100', token));
			check(`${label} /api-tokens/:id`, await api('GET', `/api-tokens/${own.id}`, token));
			check(`${label} /users/me *.*`, await api('GET', '/users/me?fields=*.*', token));
			check(`${label} /users/me *.*.*`, await api('GET', '/users/me?fields=*.*.*', token));
			check(`${label} /users *.*`, await api('GET', '/users?fields=*.*&limit=-1', token));
			check(`${label} /items/api_token_events`, await api('GET', '/items/api_token_events?fields=*.*&limit=-1', token));
			check(`${label} /items/api_token_apps`, await api('GET', `/items/${APPS_TABLE}?fields=*.*&limit=-1`, token));

			const items = (query: string) => api('GET', `/items/${TOKENS_TABLE}?fields=id&limit=-1&${query}`, token);
			for (const [field, value] of [['hash', real], ['previous_hash', realPrevious]] as const) {
				await sameAnswer(`${label} filter ${field} _eq`, (v) => items(`filter[${field}][_eq]=${v}`), value, wrong);
				await sameAnswer(`${label} filter ${field} _in`, (v) => items(`filter[${field}][_in]=${v}`), value, wrong);
				await sameAnswer(`${label} filter ${field} _starts_with`, (v) => items(`filter[${field}][_starts_with]=${v}`), value.slice(0, 4), wrong.slice(0, 4));
				await sameAnswer(`${label} filter ${field} _contains`, (v) => items(`filter[${field}][_contains]=${v}`), value.slice(10, 16), wrong.slice(10, 16));
				await sameAnswer(`${label} filter _or ${field} _eq`, (v) => items(`filter[_or][0][${field}][_eq]=${v}&filter[_or][1][id][_null]=true`), value, wrong);
				await sameAnswer(`${label} filter json ${field}`, (v) => items(`filter=${encodeURIComponent(JSON.stringify({ _and: [{ [field]: { _eq: v } }] }))}`), value, wrong);
				await sameAnswer(`${label} search ${field} prefix`, (v) => items(`search=${v}`), value.slice(0, 12), wrong.slice(0, 12));
				await sameAnswer(`${label} deep ${field}`, (v) => api('GET', `/items/${TOKENS_TABLE}?fields=id,user.id&deep[user][_filter][${field}][_eq]=${v}`, token), value, wrong);
				// From the other side of the owner relation: Directus's implicit reverse relation.
				await sameAnswer(`${label} /users $FOLLOW ${field} _eq`, (v) => api('GET', `/users?fields=id&limit=-1&filter[$FOLLOW(${TOKENS_TABLE},user)][${field}][_eq]=${v}`, token), value, wrong);
				await sameAnswer(`${label} /users $FOLLOW ${field} _starts_with`, (v) => api('GET', `/users?fields=id&limit=-1&filter[$FOLLOW(${TOKENS_TABLE},user)][${field}][_starts_with]=${v}`, token), value.slice(0, 4), wrong.slice(0, 4));
			}

			// Sorting by the hash: refused, or an order that does not follow the hash.
			const rows = await directus.db(TOKENS_TABLE).select('id', 'hash');
			const byHash = rows.sort((a, b) => (String(a.hash) < String(b.hash) ? -1 : 1)).map((r) => String(r.id));
			for (const sort of ['hash', '-hash', 'previous_hash']) {
				const sorted = await api('GET', `/items/${TOKENS_TABLE}?fields=id&limit=-1&sort=${sort}`, token);
				check(`${label} sort=${sort}`, sorted);
				if (sorted.status === 200) {
					const ids = (sorted.body.data as Array<{ id: string }>).map((r) => r.id);
					const expected = byHash.filter((id) => ids.includes(id));
					if (ids.length > 2 && JSON.stringify(ids) === JSON.stringify(sort === '-hash' ? expected.reverse() : expected)) leaks.push(`${label} sort=${sort}: the order follows the hash`);
				}
			}

			// GraphQL.
			const gql = (query: string) => api('POST', '/graphql', token, { query });
			// MCP tool calls read with the caller's permissions, hashes concealed like everywhere else.
			const mcp = (args: Record<string, unknown>) =>
				api('POST', '/mcp', token, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'items', arguments: args } });
			check(`${label} MCP items read`, await mcp({ action: 'read', collection: TOKENS_TABLE, query: { fields: ['*'], limit: -1 } }));
			check(`${label} MCP items read hash`, await mcp({ action: 'read', collection: TOKENS_TABLE, query: { fields: ['id', 'hash', 'previous_hash'] } }));
			check(`${label} MCP items sort hash`, await mcp({ action: 'read', collection: TOKENS_TABLE, query: { fields: ['id'], sort: ['hash'] } }));
			for (const [field, value] of [['hash', real], ['previous_hash', realPrevious]] as const) {
				await sameAnswer(`${label} MCP filter ${field} _eq`, (v) => mcp({ action: 'read', collection: TOKENS_TABLE, query: { fields: ['id'], filter: { [field]: { _eq: v } } } }), value, wrong);
			}
			// Admins read every row over GraphQL (hashes concealed); users' schema has no such type.
			if (who === 'admin') check(`${label} gql all fields`, await graphqlAll(token));
			check(`${label} gql hash`, await gql(`{ ${TOKENS_TABLE}(limit: -1) { id hash previous_hash } }`));
			check(`${label} gql alias hash`, await gql(`{ ${TOKENS_TABLE}(limit: -1) { id h: hash p: previous_hash } }`));
			check(`${label} gql fragment hash`, await gql(`query { ${TOKENS_TABLE}(limit: -1) { ...f } } fragment f on ${TOKENS_TABLE} { id hash }`));
			check(`${label} gql by id hash`, await gql(`{ ${TOKENS_TABLE}_by_id(id: "${own.id}") { id hash } }`));
			check(`${label} gql aggregate`, await gql(`{ ${TOKENS_TABLE}_aggregated { countDistinct { hash } count { hash } } }`));
			check(`${label} gql groupBy`, await gql(`{ ${TOKENS_TABLE}_aggregated(groupBy: ["hash"]) { group count { id } } }`));
			check(`${label} gql sort`, await gql(`{ ${TOKENS_TABLE}(sort: ["hash"], limit: -1) { id } }`));
			check(`${label} gql users_me`, await api('POST', '/graphql/system', token, { query: '{ users_me { id email role { id name } } }' }));
			for (const [field, value] of [['hash', real], ['previous_hash', realPrevious]] as const) {
				await sameAnswer(`${label} gql filter ${field} _eq`, (v) => gql(`{ ${TOKENS_TABLE}(filter: { ${field}: { _eq: "${v}" } }, limit: -1) { id } }`), value, wrong);
				await sameAnswer(`${label} gql filter ${field} _starts_with`, (v) => gql(`{ ${TOKENS_TABLE}(filter: { ${field}: { _starts_with: "${v}" } }, limit: -1) { id } }`), value.slice(0, 4), wrong.slice(0, 4));
				await sameAnswer(`${label} gql search`, (v) => gql(`{ ${TOKENS_TABLE}(search: "${v}", limit: -1) { id } }`), value.slice(0, 12), wrong.slice(0, 12));
			}
		}
		expect(errors, errors.join('\n')).toEqual([]);
		expect(leaks, leaks.join('\n')).toEqual([]);
	});

	it('finds no plaintext anywhere after a user reset and a user deletion', async () => {
		// A user reset (the admin route) and a user deletion (which revokes first, then deletes).
		await collectHashes();
		const reset = await api('POST', '/api-tokens/reset', directus.adminToken, { user: alice.id });
		expect(reset.status).toBe(200);
		expect(reset.body.revoked).toBeGreaterThan(0);
		expect((await api('DELETE', `/users/${bob.id}`, directus.adminToken)).status).toBe(204);
		expect((await api('GET', '/users/me', issued.get('bob')!)).status).toBe(401);
		await validator.flushLastUsed();

		const all = needles();
		const hits: string[] = [];
		const search = (source: string, text: string, { andHashes = true } = {}) => {
			counts.sources++;
			for (const label of findNeedles(text, all)) hits.push(`${source}: ${label}`);
			if (andHashes) for (const label of hashesIn(text)) hits.push(`${source}: ${label}`);
		};
		const answer = async (source: string, response: JsonResponse) => {
			expect(response.status, `${source}: ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(500);
			search(source, typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
			return response;
		};

		// Every table: no plaintext; hashes only in the tokens table itself.
		const dump = (await dumpDatabase(directus.db)).split('\n');
		for (let i = 0; i + 1 < dump.length; i += 2) search(`table ${dump[i]}`, dump[i + 1]!, { andHashes: dump[i] !== TOKENS_TABLE });

		// The log at debug level, which did log the requests that carried the tokens.
		const log = directus.log();
		expect(log).toMatch(logStyle === 'raw' ? /"level":20/ : /\] DEBUG: /);
		expect(log).toContain('/users/me');
		expect(log).toContain('/api-tokens/introspect');
		// JSON lines carry the request headers: Authorization is there, redacted by Directus.
		if (logStyle === 'raw') expect(log).toContain('"authorization":"--redacted--"');
		search('Directus log', log, { andHashes: false });
		// Hashes: the probes above sent real hashes in their URLs, which the request log echoes back.
		search('Directus log (without the URLs the test sent)', withoutRequestUrls(log));

		// Activity and revisions, as the admin, everything.
		const admin = directus.adminToken;
		await answer('/activity', await api('GET', '/activity?fields=*.*&limit=-1', admin));
		await answer('/revisions', await api('GET', '/revisions?fields=*.*&limit=-1', admin));
		await answer('/revisions *.*.*', await api('GET', '/revisions?fields=*.*.*&limit=-1', admin));
		for (const who of [alice.accessToken, admin]) {
			// Exports of the tokens collection.
			for (const format of ['csv', 'json', 'xml', 'yaml']) {
				await answer(`export ${format}`, await api('GET', `/items/${TOKENS_TABLE}?export=${format}&fields=*.*&limit=-1`, who));
			}
			await answer('export events', await api('GET', `/items/api_token_events?export=json&limit=-1`, who));
		}
		// The export-to-file utility: a file in the library.
		const toFile = await api('POST', `/utils/export/${TOKENS_TABLE}`, admin, { query: { fields: ['*'], limit: -1 }, format: 'csv', file: {} });
		expect(toFile.status, JSON.stringify(toFile.body)).toBeLessThan(300);
		let file: { id: string } | undefined;
		for (let i = 0; i < 50 && !file; i++) {
			file = (await api('GET', '/files?fields=id,filename_download&limit=-1', admin)).body.data.find((f: { filename_download: string }) => f.filename_download.includes(TOKENS_TABLE));
			if (!file) await new Promise((r) => setTimeout(r, 200));
		}
		expect(file, 'the export file').toBeTruthy();
		const exported = await fetch(`${directus.url}/assets/${file!.id}`, { headers: { authorization: `Bearer ${admin}` } });
		const exportedText = await exported.text();
		expect(exportedText).toContain('hint');
		search('/utils/export file', exportedText);

		// GraphQL answers.
		await answer('GraphQL tokens', await graphqlAll(admin));
		await answer('GraphQL tokens (user)', await api('POST', '/graphql', alice.accessToken, { query: `{ ${TOKENS_TABLE}(limit: -1) { id name } }` }));
		await answer('GraphQL activity', await api('POST', '/graphql/system', admin, { query: '{ activity(limit: -1) { id action collection item comment origin user_agent ip } }' }));
		await answer('GraphQL revisions', await api('POST', '/graphql/system', admin, { query: '{ revisions(limit: -1) { id collection item data delta } }' }));
		await answer('GraphQL events', await api('POST', '/graphql', admin, { query: '{ api_token_events(limit: -1) { id type token user actor at } }' }));
		// What went to other processes: Redis pub/sub (every channel) and keys, or PostgreSQL NOTIFY.
		if (withRedis || databaseName === 'postgres') {
			await expect.poll(() => broadcast.filter((m) => m.includes(alice.id)).length, { timeout: 5_000 }).toBeGreaterThan(5);
			search(withRedis ? 'Redis pub/sub messages' : 'PostgreSQL NOTIFY payloads', broadcast.join('\n'), { andHashes: false });
			// Hashes: Directus streams its request log on Redis too, echoing the URLs the probes sent.
			const requestEcho = /^directus:bus:logs .*\\"msg\\":\\"[A-Z]+ \//;
			search('pub/sub messages (without the request log)', broadcast.filter((m) => !requestEcho.test(m)).join('\n'));
		}
		if (withRedis) {
			const redis = new Redis(redisUrl!);
			try {
				const values: string[] = [];
				let cursor = '0';
				do {
					const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
					cursor = next;
					for (const key of keys) {
						const type = await redis.type(key);
						const value =
							type === 'string' ? await redis.getBuffer(key).then((b) => b?.toString('latin1') ?? '')
							: type === 'hash' ? JSON.stringify(await redis.hgetall(key))
							: type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
							: type === 'set' ? JSON.stringify(await redis.smembers(key))
							: type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1))
							: '';
						values.push(key, value);
					}
				} while (cursor !== '0');
				search('Redis keys and values', values.join('\n'));
			} finally {
				redis.disconnect();
			}
		}
		// The token API's own lists and reads.
		await answer('/api-tokens all', await api('GET', '/api-tokens?user=all&include_hidden=true&delta=-1000', admin));

		report('No secret leaks', `${databaseName}: ${issued.size} plaintext tokens (${all.length} strings) and ${hashes.size} hashes searched in ${counts.sources} places (every table, the debug log (${logStyle}), activity, revisions, exports, GraphQL${withRedis ? ', Redis pub/sub and keys' : databaseName === 'postgres' ? ', NOTIFY payloads' : ''}): 0 hits; ${counts.probes} hash probes: none shown, none discriminating`);
		expect(hits, hits.join('\n')).toEqual([]);
	});
});
