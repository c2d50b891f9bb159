/**
 * No cross-user access (OWASP API1 "broken object level authorization"): user B tries user A's
 * tokens through every route, query trick and batch operation we know of, with a JWT and with a
 * token of B's own: our token API, and every generic surface of Directus (REST, GraphQL, REST over
 * WebSocket and subscriptions, collaborative editing, MCP, `$FOLLOW` filters, comments, versions,
 * shares, exports, imports), with WebSockets, collaborative editing and MCP all turned on. Directus
 * itself refuses its own surfaces (non-admins hold no permission on our tables). A's rows must be
 * unchanged and A's tokens still work, and B's answer for one of A's real ids must be byte-for-byte
 * the answer for a random id that does not exist, so B cannot even learn which ids exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { generateToken } from '../src/core/token-format.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, sessionCookie, type TestUser } from './helpers/users.js';
import { request, type JsonResponse } from './helpers/http.js';
import { report } from './helpers/suite-report.js';

const WWW = 'https://www.example.com';
const T = TOKENS_TABLE;

/** One probe: what B sends, given an id (A's real one or a random one). */
interface Probe {
	name: string;
	send: (id: string, credential: string) => Promise<JsonResponse>;
}

describe.each(enabledDatabases())('no cross-user access on %s', (databaseName) => {
	let directus: DirectusInstance;
	let alice: TestUser;
	let bob: TestUser;
	/** A's tokens: plaintext by label, and ids by label. */
	const aTokens: Record<string, string> = {};
	const aIds: Record<string, string> = {};
	let bobToken: string;
	let bobTokenId: string;
	let serviceId: string;
	/** A comment B may write (on B's own user), to try moving it onto A's tokens. */
	let bobCommentId: string;
	let snapshot: string;
	const counts = { probes: 0, requests: 0 };

	const api = (method: string, path: string, token: string, body?: unknown) => {
		counts.requests++;
		return request(directus.url, method, path, { token, ...(body === undefined ? {} : { body }) });
	};
	/** A's rows as stored, every column. */
	const aliceRows = async () => JSON.stringify(await directus.db(T).where({ user: alice.id }).orderBy('id').select('*'));

	beforeAll(async () => {
		// WebSockets (REST over WebSocket, collaborative editing) and MCP: off by default in Directus, but operators turn them on.
		directus = await startDirectus(databaseName, { WEBSOCKETS_ENABLED: 'true', WEBSOCKETS_COLLAB_ENABLED: 'true', MCP_ENABLED: 'true' });
		const settings = await api('PATCH', '/settings', directus.adminToken, { mcp_enabled: true, collaborative_editing_enabled: true });
		expect(settings.status, JSON.stringify(settings.body)).toBe(200);
		alice = await createUser(directus, 'alice');
		// B with app access: Directus's minimal app permissions (activity, comments, versions, shares…) widen what B can try.
		bob = await createUser(directus, 'bob', { appAccess: true });
		// As in many dashboards, B may read every user (names for collaboration): reverse relations from
		// users to tokens then become something B can filter on.
		const bobPolicy = (await api('GET', `/roles/${bob.roleId}?fields=policies.policy`, directus.adminToken)).body.data.policies[0].policy as string;
		for (const collection of ['directus_users', 'directus_files']) {
			expect((await api('POST', '/permissions', directus.adminToken, { policy: bobPolicy, collection, action: 'read', fields: ['*'], permissions: null })).status).toBe(200);
		}
		const create = async (label: string, token: string, body: Record<string, unknown>) => {
			const created = await api('POST', '/api-tokens', token, body);
			expect(created.status, JSON.stringify(created.body)).toBe(201);
			return created.body as { token: string; info: { id: string } };
		};
		for (const [label, body] of [
			['personal', { name: 'alice personal', scopes: ['read', 'directus'], refreshable: true }],
			['regenerated', { name: 'alice regenerated', scopes: ['read', 'directus'] }],
			['revoked', { name: 'alice revoked', scopes: ['read'] }],
		] as const) {
			const created = await create(label, alice.accessToken, body);
			aTokens[label] = created.token;
			aIds[label] = created.info.id;
		}
		const regenerated = await api('POST', `/api-tokens/${aIds.regenerated}/regenerate`, alice.accessToken, { grace_seconds: 3600 });
		expect(regenerated.status).toBe(200);
		aTokens.regenerated = regenerated.body.token;
		expect((await api('DELETE', `/api-tokens/${aIds.revoked}`, alice.accessToken)).status).toBe(204);
		// A's hidden app token.
		expect((await api('POST', '/api-tokens/apps', directus.adminToken, { name: 'web', origins: [WWW], scopes: ['read', 'directus'] })).status).toBe(201);
		const cookie = await sessionCookie(directus, alice.email, alice.password);
		const app = await request(directus.url, 'POST', '/api-tokens/app', { body: { app: 'web' }, headers: { cookie, origin: WWW } });
		expect(app.status).toBe(201);
		aTokens.app = app.body.token;
		aIds.app = (await directus.db(T).where({ user: alice.id, kind: 'app' }).first()).id;
		// B's own token (with the directus scope, so it is a credential for Directus too), and an admin's service token.
		const bobs = await create('bob', bob.accessToken, { name: 'bob personal', scopes: ['read', 'directus'], refreshable: true });
		bobToken = bobs.token;
		bobTokenId = bobs.info.id;
		serviceId = (await create('service', directus.adminToken, { name: 'admin service', kind: 'service', scopes: ['introspect'], duration: null })).info.id;
		const comment = await api('POST', '/comments', bob.accessToken, { collection: 'directus_users', item: bob.id, comment: 'mine' });
		expect(comment.status, JSON.stringify(comment.body)).toBe(200);
		bobCommentId = comment.body.data.id;
		// A file of A's, which B may read: files lead to users, and users to tokens ($FOLLOW).
		const form = new FormData();
		form.append('file', new Blob(['hello']), 'hello.txt');
		const file = await fetch(`${directus.url}/files`, { method: 'POST', headers: { authorization: `Bearer ${directus.adminToken}` }, body: form });
		const fileId = ((await file.json()) as { data: { id: string } }).data.id;
		expect((await api('PATCH', `/files/${fileId}`, directus.adminToken, { uploaded_by: alice.id })).status).toBe(200);
		snapshot = await aliceRows();
	});
	afterAll(async () => {
		await directus?.stop();
	});

	/** A REST-over-WebSocket session (`/websocket`), authenticated in the handshake. */
	async function webSocket(token: string) {
		const socket = new WebSocket(`${directus.url.replace(/^http/, 'ws')}/websocket`);
		const received: Array<Record<string, unknown>> = [];
		let waiting: ((message: Record<string, unknown>) => void) | null = null;
		socket.addEventListener('message', (event) => {
			const message = JSON.parse(String(event.data)) as Record<string, unknown>;
			received.push(message);
			if (message.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
			waiting?.(message);
		});
		await new Promise((resolve, reject) => {
			socket.addEventListener('open', resolve);
			socket.addEventListener('error', reject);
		});
		/** Sends one message and resolves with the answer to it (its `uid`, or a server error), or a timeout. */
		const ask = (message: Record<string, unknown>) =>
			new Promise<Record<string, unknown>>((resolve) => {
				const timer = setTimeout(() => resolve({ timeout: true }), 3_000);
				waiting = (answer) => {
					if (answer.uid !== message.uid && !(answer.type === 'server' || answer.type === 'auth' || (message.type === 'collab' && answer.type === 'collab'))) return;
					clearTimeout(timer);
					waiting = null;
					resolve(answer);
				};
				socket.send(JSON.stringify(message));
			});
		const auth = await ask({ type: 'auth', access_token: token });
		expect(auth, JSON.stringify(auth)).toMatchObject({ type: 'auth', status: 'ok' });
		return { ask, received, close: () => socket.close() };
	}

	/** The answer with the id it was asked about taken out (an echo of the request is not a leak). */
	function fingerprint(response: JsonResponse, id: string): string {
		const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
		return `${response.status} ${response.headers.get('content-type') ?? ''} ${body.replaceAll(id, '<id>')}`;
	}

	/** One MCP tool call (JSON-RPC over `POST /mcp`), as an AI client of B's would send it. */
	const mcp = (credential: string, tool: string, args: Record<string, unknown>) =>
		request(directus.url, 'POST', '/mcp', {
			token: credential,
			headers: { accept: 'application/json, text/event-stream' },
			body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: args } },
		}).then((response) => (counts.requests++, response));

	const idProbes: Probe[] = [
		// The token API.
		{ name: 'GET /api-tokens/:id', send: (id, c) => api('GET', `/api-tokens/${id}`, c) },
		{ name: 'GET /api-tokens/:id/events', send: (id, c) => api('GET', `/api-tokens/${id}/events`, c) },
		{ name: 'PATCH /api-tokens/:id', send: (id, c) => api('PATCH', `/api-tokens/${id}`, c, { name: 'taken by bob' }) },
		{ name: 'PATCH /api-tokens/:id (scopes)', send: (id, c) => api('PATCH', `/api-tokens/${id}`, c, { scopes: ['read'] }) },
		{ name: 'DELETE /api-tokens/:id', send: (id, c) => api('DELETE', `/api-tokens/${id}`, c) },
		{ name: 'POST /api-tokens/:id/regenerate', send: (id, c) => api('POST', `/api-tokens/${id}/regenerate`, c, {}) },
		{ name: 'POST /api-tokens/:id/regenerate (grace)', send: (id, c) => api('POST', `/api-tokens/${id}/regenerate`, c, { grace_seconds: 60 }) },
		{ name: 'POST /api-tokens/:id/refresh', send: (id, c) => api('POST', `/api-tokens/${id}/refresh`, c) },
		// Bodies that would be refused anyway: the refusal must not come first for A's ids only.
		{ name: 'PATCH /api-tokens/:id (bad name)', send: (id, c) => api('PATCH', `/api-tokens/${id}`, c, { name: '' }) },
		{ name: 'PATCH /api-tokens/:id (wider scopes)', send: (id, c) => api('PATCH', `/api-tokens/${id}`, c, { scopes: ['read', 'write', 'directus'] }) },
		{ name: 'PATCH /api-tokens/:id (bad expiry)', send: (id, c) => api('PATCH', `/api-tokens/${id}`, c, { expires_at: 'soon' }) },
		{ name: 'POST /api-tokens/:id/regenerate (negative grace)', send: (id, c) => api('POST', `/api-tokens/${id}/regenerate`, c, { grace_seconds: -5 }) },
		{ name: 'POST /api-tokens/:id/regenerate (grace too long)', send: (id, c) => api('POST', `/api-tokens/${id}/regenerate`, c, { grace_seconds: 10_000_000 }) },
		{ name: 'GET /api-tokens/:id (upper case)', send: (id, c) => api('GET', `/api-tokens/${id.toUpperCase()}`, c) },
		// Directus's items API, one item.
		{ name: 'GET /items/:id', send: (id, c) => api('GET', `/items/${T}/${id}`, c) },
		{ name: 'GET /items/:id fields=*.*', send: (id, c) => api('GET', `/items/${T}/${id}?fields=*.*`, c) },
		{ name: 'PATCH /items/:id', send: (id, c) => api('PATCH', `/items/${T}/${id}`, c, { name: 'taken by bob' }) },
		{ name: 'DELETE /items/:id', send: (id, c) => api('DELETE', `/items/${T}/${id}`, c) },
		// Directus's other routes that take a collection and an item id.
		{ name: 'GET /items/:id?version', send: (id, c) => api('GET', `/items/${T}/${id}?version=draft`, c) },
		{ name: 'GET /permissions/me/:collection/:id', send: (id, c) => api('GET', `/permissions/me/${T}/${id}`, c) },
		{ name: 'GET /permissions/me/:collection/:id (encoded)', send: (id, c) => api('GET', `/permissions/me/api%5Ftokens/${id.replace('-', '%2D')}`, c) },
		{ name: 'GET /permissions/me/:collection/:id (upper case route)', send: (id, c) => api('GET', `/Permissions/ME/${T}/${id}`, c) },
		{ name: 'filter id + meta (upper case route)', send: (id, c) => api('GET', `/ITEMS/${T}?fields=id&filter[id][_eq]=${id}&meta=*`, c) },
		{ name: 'POST /Comments (upper case route)', send: (id, c) => api('POST', '/Comments', c, { collection: T, item: id, comment: 'bob was here' }) },
		{ name: 'GraphQL create comment (upper case route)', send: (id, c) => api('POST', '/GraphQL/System', c, { query: `mutation { create_comments_item(data: { collection: "${T}", item: "${id}", comment: "bob was here" }) { id } }` }) },
		{ name: 'filter id + meta (encoded path)', send: (id, c) => api('GET', `/items/api%5Ftokens?fields=id&filter[id][_eq]=${id}&meta=*`, c) },
		{ name: 'GET /activity by item', send: (id, c) => api('GET', `/activity?fields=*&filter[item][_eq]=${id}&meta=*`, c) },
		{ name: 'GET /revisions by item', send: (id, c) => api('GET', `/revisions?fields=*&filter[item][_eq]=${id}&meta=*`, c) },
		{ name: 'GET /comments by item', send: (id, c) => api('GET', `/comments?fields=*&filter[item][_eq]=${id}&meta=*`, c) },
		{ name: 'POST /comments', send: (id, c) => api('POST', '/comments', c, { collection: T, item: id, comment: 'bob was here' }) },
		{ name: 'POST /versions', send: (id, c) => api('POST', '/versions', c, { collection: T, item: id, key: 'bob', name: 'bob' }) },
		{ name: 'POST /shares', send: (id, c) => api('POST', '/shares', c, { collection: T, item: id, name: 'bob' }) },
		{ name: 'POST /utils/export', send: (id, c) => api('POST', `/utils/export/${T}`, c, { query: { filter: { id: { _eq: id } }, fields: ['*'] }, format: 'json', file: {} }) },
		{ name: 'GraphQL create comment', send: (id, c) => api('POST', '/graphql/system', c, { query: `mutation { create_comments_item(data: { collection: "${T}", item: "${id}", comment: "bob was here" }) { id } }` }) },
		{ name: 'GraphQL create comment (variables)', send: (id, c) => api('POST', '/graphql/system', c, { query: 'mutation ($data: create_directus_comments_input!) { create_comments_item(data: $data) { id } }', variables: { data: { collection: T, item: id, comment: 'bob was here' } } }) },
		{
			name: 'GraphQL create comment (escaped id)',
			send: (id, c) => {
				const escaped = `\\u${id.charCodeAt(0).toString(16).padStart(4, '0')}${id.slice(1)}`;
				return api('POST', '/graphql/system', c, { query: `mutation { create_comments_item(data: { collection: "${T}", item: "${escaped}", comment: "bob was here" }) { id } }` });
			},
		},
		{ name: 'GraphQL move comment', send: (id, c) => api('POST', '/graphql/system', c, { query: `mutation { update_comments_item(id: "${bobCommentId}", data: { collection: "${T}", item: "${id}" }) { id } }` }) },
		{ name: 'GraphQL create version', send: (id, c) => api('POST', '/graphql/system', c, { query: `mutation { create_versions_item(data: { collection: "${T}", item: "${id}", key: "bob", name: "bob" }) { id } }` }) },
		{ name: 'GraphQL create share', send: (id, c) => api('POST', '/graphql/system', c, { query: `mutation { create_shares_item(data: { collection: "${T}", item: "${id}", name: "bob" }) { id } }` }) },
		// Creating with A's id (an upsert updates an existing row), importing a row with it.
		{ name: 'POST /items with id', send: (id, c) => api('POST', `/items/${T}`, c, { id, name: 'taken by bob' }) },
		{ name: 'GraphQL create with id', send: (id, c) => api('POST', '/graphql', c, { query: `mutation { create_${T}_item(data: { id: "${id}", name: "taken by bob" }) { id } }` }) },
		{
			name: 'POST /utils/import',
			send: async (id, c) => {
				counts.requests++;
				const form = new FormData();
				form.append('file', new Blob([JSON.stringify([{ id, name: 'taken by bob' }])], { type: 'application/json' }), 'tokens.json');
				const response = await fetch(`${directus.url}/utils/import/${T}`, { method: 'POST', headers: { authorization: `Bearer ${c}` }, body: form });
				const text = await response.text();
				return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
			},
		},
		{ name: 'PATCH /comments/:id moves it', send: (id, c) => api('PATCH', `/comments/${bobCommentId}`, c, { collection: T, item: id }) },
		// From the users' side: Directus's implicit reverse relation ($FOLLOW) into api_tokens.
		{ name: '/users $FOLLOW id', send: (id, c) => api('GET', `/users?fields=id&limit=-1&filter[$FOLLOW(${T},user)][id][_eq]=${id}&meta=filter_count`, c) },
		{ name: '/users $FOLLOW _or id', send: (id, c) => api('GET', `/users?fields=id&limit=-1&filter[_or][0][$FOLLOW(${T},user)][id][_in]=${id}&filter[_or][1][id][_null]=true`, c) },
		{ name: '/users aggregate $FOLLOW id', send: (id, c) => api('GET', `/users?aggregate[count]=*&filter[$FOLLOW(${T},user_created)][id][_eq]=${id}`, c) },
		{ name: 'SEARCH /users $FOLLOW id', send: (id, c) => api('SEARCH', '/users', c, { query: { fields: ['id'], filter: { [`$FOLLOW(${T},user)`]: { id: { _eq: id } } } } }) },
		{ name: 'export /users $FOLLOW id', send: (id, c) => api('POST', '/utils/export/directus_users', c, { query: { fields: ['id'], filter: { [`$FOLLOW(${T},user)`]: { id: { _eq: id } } } }, format: 'json', file: {} }) },
		{ name: '/users deep $FOLLOW id', send: (id, c) => api('GET', `/users?fields=id,role.id&deep[role][_filter][$FOLLOW(${T},user)][id][_eq]=${id}`, c) },
		// MCP, with B's credential (it acts with B's permissions).
		{ name: 'MCP items read', send: (id, c) => mcp(c, 'items', { action: 'read', collection: T, keys: [id] }) },
		{ name: 'MCP items read by filter', send: (id, c) => mcp(c, 'items', { action: 'read', collection: T, query: { fields: ['id', 'name'], filter: { id: { _eq: id } } } }) },
		{ name: 'MCP items update', send: (id, c) => mcp(c, 'items', { action: 'update', collection: T, keys: [id], data: { name: 'taken by bob' } }) },
		{ name: 'MCP items delete', send: (id, c) => mcp(c, 'items', { action: 'delete', collection: T, keys: [id] }) },
		{ name: 'MCP files $FOLLOW id', send: (id, c) => mcp(c, 'files', { action: 'read', query: { fields: ['id'], filter: { uploaded_by: { [`$FOLLOW(${T},user)`]: { id: { _eq: id } } } } } }) },
		// Query tricks.
		{ name: 'filter id _eq', send: (id, c) => api('GET', `/items/${T}?fields=*&filter[id][_eq]=${id}`, c) },
		{ name: 'filter id _in + meta', send: (id, c) => api('GET', `/items/${T}?fields=id&filter[id][_in]=${id}&meta=*`, c) },
		{ name: 'filter _or id', send: (id, c) => api('GET', `/items/${T}?fields=id&filter[_or][0][id][_eq]=${id}&filter[_or][1][user][_null]=true&meta=filter_count`, c) },
		{ name: 'aggregate count filter id', send: (id, c) => api('GET', `/items/${T}?aggregate[count]=*&filter[id][_eq]=${id}`, c) },
		{ name: 'search id', send: (id, c) => api('GET', `/items/${T}?fields=id&search=${id}&meta=filter_count`, c) },
		{ name: 'SEARCH keys', send: (id, c) => api('SEARCH', `/items/${T}`, c, { keys: [id], query: { fields: ['*'], meta: ['filter_count', 'total_count'] } }) },
		{ name: 'SEARCH query', send: (id, c) => api('SEARCH', `/items/${T}`, c, { query: { fields: ['*'], filter: { id: { _eq: id } }, meta: '*' } }) },
		// Batch writes: keys, query form, array form, and mixed with B's own token.
		{ name: 'PATCH /items keys', send: (id, c) => api('PATCH', `/items/${T}`, c, { keys: [id], data: { name: 'taken by bob' } }) },
		{ name: 'PATCH /items query', send: (id, c) => api('PATCH', `/items/${T}`, c, { query: { filter: { id: { _eq: id } } }, data: { name: 'taken by bob' } }) },
		{ name: 'PATCH /items array', send: (id, c) => api('PATCH', `/items/${T}`, c, [{ id, name: 'taken by bob' }]) },
		{ name: 'DELETE /items keys array', send: (id, c) => api('DELETE', `/items/${T}`, c, [id]) },
		{ name: 'DELETE /items keys', send: (id, c) => api('DELETE', `/items/${T}`, c, { keys: [id] }) },
		{ name: 'DELETE /items keys with own', send: (id, c) => api('DELETE', `/items/${T}`, c, { keys: [bobTokenId, id] }) },
		{ name: 'DELETE /items query', send: (id, c) => api('DELETE', `/items/${T}`, c, { query: { filter: { id: { _eq: id } } } }) },
		// GraphQL.
		{ name: 'GraphQL by id', send: (id, c) => api('POST', '/graphql', c, { query: `{ ${T}_by_id(id: "${id}") { id name user } }` }) },
		{ name: 'GraphQL filter id', send: (id, c) => api('POST', '/graphql', c, { query: `{ ${T}(filter: { id: { _eq: "${id}" } }) { id name } }` }) },
		{ name: 'GraphQL aggregate id', send: (id, c) => api('POST', '/graphql', c, { query: `{ ${T}_aggregated(filter: { id: { _eq: "${id}" } }) { count { id } } }` }) },
		{ name: 'GraphQL update item', send: (id, c) => api('POST', '/graphql', c, { query: `mutation { update_${T}_item(id: "${id}", data: { name: "taken by bob" }) { id } }` }) },
		{ name: 'GraphQL update items', send: (id, c) => api('POST', '/graphql', c, { query: `mutation { update_${T}_items(ids: ["${id}"], data: { name: "taken by bob" }) { id } }` }) },
		{ name: 'GraphQL update batch', send: (id, c) => api('POST', '/graphql', c, { query: `mutation { update_${T}_batch(data: [{ id: "${id}", name: "taken by bob" }]) { id } }` }) },
		{ name: 'GraphQL delete item', send: (id, c) => api('POST', '/graphql', c, { query: `mutation { delete_${T}_item(id: "${id}") { id } }` }) },
		{ name: 'GraphQL delete items', send: (id, c) => api('POST', '/graphql', c, { query: `mutation { delete_${T}_items(ids: ["${id}"]) { ids } }` }) },
	];

	/** Probes that name A (the user), compared with a random user id. */
	const userProbes: Probe[] = [
		{ name: 'GET /api-tokens?user=', send: (id, c) => api('GET', `/api-tokens?user=${id}`, c) },
		{ name: 'GET /api-tokens?user=&include_hidden', send: (id, c) => api('GET', `/api-tokens?user=${id}&include_hidden=true&kind=app`, c) },
		{ name: 'POST /api-tokens/reset', send: (id, c) => api('POST', '/api-tokens/reset', c, { user: id }) },
		{ name: 'filter user', send: (id, c) => api('GET', `/items/${T}?fields=*&filter[user][_eq]=${id}&meta=*`, c) },
		{ name: 'filter user.id', send: (id, c) => api('GET', `/items/${T}?fields=id&filter[user][id][_eq]=${id}&meta=filter_count`, c) },
		{ name: 'filter user_created', send: (id, c) => api('GET', `/items/${T}?fields=id&filter[user_created][_eq]=${id}&meta=filter_count`, c) },
		{ name: 'aggregate count filter user', send: (id, c) => api('GET', `/items/${T}?aggregate[count]=*&filter[user][_eq]=${id}`, c) },
		{ name: 'SEARCH filter user + meta', send: (id, c) => api('SEARCH', `/items/${T}`, c, { query: { filter: { user: { _eq: id } }, meta: ['filter_count'] } }) },
		{ name: 'DELETE /items query user', send: (id, c) => api('DELETE', `/items/${T}`, c, { query: { filter: { user: { _eq: id } } } }) },
		{ name: 'PATCH /items query user', send: (id, c) => api('PATCH', `/items/${T}`, c, { query: { filter: { user: { _eq: id } } }, data: { description: 'bob was here' } }) },
		{ name: '/users $FOLLOW by owner', send: (id, c) => api('GET', `/users?fields=id&limit=-1&filter[id][_eq]=${id}&filter[$FOLLOW(${T},user)][name][_starts_with]=alice`, c) },
		{ name: 'MCP files $FOLLOW by owner name', send: (id, c) => mcp(c, 'files', { action: 'read', query: { fields: ['id'], filter: { uploaded_by: { _and: [{ id: { _eq: id } }, { [`$FOLLOW(${T},user)`]: { name: { _starts_with: 'alice' } } }] } } } }) },
		{ name: 'MCP files $FOLLOW hidden app token', send: (id, c) => mcp(c, 'files', { action: 'read', query: { fields: ['id'], filter: { uploaded_by: { _and: [{ id: { _eq: id } }, { [`$FOLLOW(${T},user)`]: { kind: { _eq: 'app' } } }] } } } }) },
		{ name: 'GraphQL filter user', send: (id, c) => api('POST', '/graphql', c, { query: `{ ${T}(filter: { user: { _eq: "${id}" } }) { id } }` }) },
		{ name: 'GraphQL aggregate filter user', send: (id, c) => api('POST', '/graphql', c, { query: `{ ${T}_aggregated(filter: { user: { _eq: "${id}" } }) { count { id } } }` }) },
	];

	/** Probes that carry A's plaintext token (B found it nowhere; these are the token-holding routes). */
	const tokenProbes: Probe[] = [
		{ name: 'introspect with B credential', send: (token, c) => api('POST', '/api-tokens/introspect', c, { token }) },
	];

	async function compare(probe: Probe, real: string, fake: string, credential: string, problems: string[]) {
		counts.probes++;
		const [a, b] = [await probe.send(real, credential), await probe.send(fake, credential)];
		if (a.status >= 500 || b.status >= 500) problems.push(`${probe.name}: ${a.status}/${b.status} ${JSON.stringify(a.body).slice(0, 300)}`);
		if (a.status < 400 && a.status !== 204 && JSON.stringify(a.body).includes(real) && !JSON.stringify(b.body).includes(fake)) problems.push(`${probe.name}: shows A's item`);
		const [fa, fb] = [fingerprint(a, real), fingerprint(b, fake)];
		if (fa !== fb) problems.push(`${probe.name}: A's real id answers differently from a random one:\n    real ${fa.slice(0, 400)}\n    fake ${fb.slice(0, 400)}`);
	}

	it("gives B nothing of A's tokens through any route, query trick or batch, and says nothing of which ids exist", async () => {
		const problems: string[] = [];
		const credentials: Array<[string, string]> = [
			['B JWT', bob.accessToken],
			["B's token", bobToken],
		];
		const aliceIds = Object.entries(aIds);
		for (const [credentialName, credential] of credentials) {
			for (const [label, id] of [...aliceIds, ['admin service', serviceId] as const]) {
				for (const probe of idProbes) await compare({ ...probe, name: `${credentialName} ${probe.name} (${label})` }, id, randomUUID(), credential, problems);
			}
			for (const probe of userProbes) await compare({ ...probe, name: `${credentialName} ${probe.name}` }, alice.id, randomUUID(), credential, problems);
			for (const [label, token] of Object.entries(aTokens)) {
				for (const probe of tokenProbes) await compare({ ...probe, name: `${credentialName} ${probe.name} (${label})` }, token, generateToken(label === 'app' ? 'app' : 'personal').token, credential, problems);
			}
		}
		// RFC 7009 revocation takes no credential but the token itself: A's id or hint is not A's token.
		for (const [label, id] of aliceIds) {
			const hint = (await directus.db(T).where({ id }).first()).hint as string;
			for (const value of [id, hint, hint.replace('…', '')]) {
				counts.probes++;
				const response = await fetch(`${directus.url}/api-tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${bobToken}` }, body: new URLSearchParams({ token: value }).toString() });
				if (response.status !== 200) problems.push(`/revoke with A's ${label} id or hint: ${response.status}`);
			}
		}

		// Whatever B's exports wrote to the file library holds none of A's tokens.
		const files = await api('GET', '/files?fields=id,uploaded_by&limit=-1', directus.adminToken);
		for (const file of files.body.data as Array<{ id: string; uploaded_by: string | null }>) {
			const content = await (await fetch(`${directus.url}/assets/${file.id}`, { headers: { authorization: `Bearer ${directus.adminToken}` } })).text();
			if (Object.values(aIds).some((id) => content.includes(id))) problems.push(`an exported file (${file.uploaded_by === bob.id ? "B's" : 'not B\'s'}) holds A's tokens`);
		}

		// REST over WebSocket, with B's JWT.
		const socket = await webSocket(bob.accessToken);
		const wsProbes: Array<[string, (id: string) => Record<string, unknown>]> = [
			['ws read by filter + meta', (id) => ({ type: 'items', collection: T, action: 'read', query: { fields: ['id'], filter: { id: { _eq: id } }, meta: ['filter_count', 'total_count'] }, uid: 'p' })],
			['ws read by id', (id) => ({ type: 'items', collection: T, action: 'read', id, uid: 'p' })],
			['ws read by ids', (id) => ({ type: 'items', collection: T, action: 'read', ids: [id], query: { meta: '*' }, uid: 'p' })],
			['ws update', (id) => ({ type: 'items', collection: T, action: 'update', id, data: { name: 'taken by bob' }, uid: 'p' })],
			['ws delete', (id) => ({ type: 'items', collection: T, action: 'delete', ids: [id], uid: 'p' })],
			['ws delete by query', (id) => ({ type: 'items', collection: T, action: 'delete', query: { filter: { id: { _eq: id } } }, uid: 'p' })],
			['ws comment', (id) => ({ type: 'items', collection: 'directus_comments', action: 'create', data: { collection: T, item: id, comment: 'bob was here' }, uid: 'p' })],
			['ws subscribe item', (id) => ({ type: 'subscribe', collection: T, item: id, uid: 'p' })],
			['ws subscribe filter', (id) => ({ type: 'subscribe', collection: T, query: { filter: { id: { _eq: id } } }, uid: 'p' })],
			['collab join', (id) => ({ type: 'collab', action: 'join', collection: T, item: id, version: null })],
			['collab join with changes', (id) => ({ type: 'collab', action: 'join', collection: T, item: id, version: null, initialChanges: { name: 'taken by bob' } })],
		];
		for (const [label, id] of [...aliceIds, ['admin service', serviceId] as const]) {
			for (const [name, make] of wsProbes) {
				counts.probes++;
				counts.requests += 2;
				const fake = randomUUID();
				const [a, b] = [await socket.ask(make(id)), await socket.ask(make(fake))];
				const [fa, fb] = [JSON.stringify(a).replaceAll(id, '<id>'), JSON.stringify(b).replaceAll(fake, '<id>')];
				if (fa !== fb) problems.push(`${name} (${label}): A's real id answers differently from a random one:\n    real ${fa.slice(0, 300)}\n    fake ${fb.slice(0, 300)}`);
				if (a.timeout) problems.push(`${name} (${label}): no answer`);
			}
		}
		// Nothing B sent changed A's rows; A's own changes below are then the new state.
		if ((await aliceRows()) !== snapshot) problems.push("B's probes changed A's rows");
		// Subscribed (or refused), B hears nothing of A's tokens while A creates, regenerates and revokes one.
		const subscribed = await socket.ask({ type: 'subscribe', collection: T, uid: 'all' });
		if (subscribed.type === 'subscription' && subscribed.event === 'init') problems.push('B subscribed to the token table');
		const doomed = await api('POST', '/api-tokens', alice.accessToken, { name: 'alice doomed', scopes: ['read'] });
		expect((await api('POST', `/api-tokens/${doomed.body.info.id}/regenerate`, alice.accessToken, {})).status).toBe(200);
		expect((await api('DELETE', `/api-tokens/${doomed.body.info.id}`, alice.accessToken)).status).toBe(204);
		// Whatever Directus would send B for these changes it sends before this answer to B's own ping.
		await socket.ask({ type: 'items', collection: 'directus_users', action: 'read', query: { fields: ['id'], limit: 1 }, uid: 'after' });
		socket.close();
		if (JSON.stringify(socket.received).includes(doomed.body.info.id)) problems.push("B's WebSocket heard the id of A's token");
		snapshot = await aliceRows();

		// Lists: B sees only B's own, however asked.
		const aliceIdList = Object.values(aIds);
		for (const [credentialName, credential] of credentials) {
			for (const path of [
				'/api-tokens?delta=-1000',
				'/api-tokens?user=all',
				'/api-tokens?include_hidden=true',
				`/items/${T}?fields=*.*&limit=-1`,
				`/items/${T}?fields=*&limit=-1&filter[hidden][_eq]=true`,
				`/items/${T}?aggregate[count]=*&groupBy[]=user`,
				`/items/${T}?aggregate[count]=*&groupBy[]=kind&groupBy[]=hidden`,
				`/items/${T}?fields=id&limit=-1&meta=*`,
				`/items/${T}?fields=id&limit=-1&meta=*&search=alice`,
				`/items/${T}?fields=id&limit=-1&meta=*&filter[name][_starts_with]=alice`,
				`/items/${T}?fields=id&limit=-1&meta=*&filter[kind][_eq]=app`,
				`/items/${T}?export=json&limit=-1`,
				`/items/${T}?export=csv&limit=-1&fields=*,user.*`,
			]) {
				counts.probes++;
				const response = await api('GET', path, credential);
				const text = JSON.stringify(response.body);
				if (response.status >= 500) problems.push(`${credentialName} ${path}: ${response.status}`);
				const shown = aliceIdList.filter((id) => text.includes(id)).concat(text.includes(alice.id) ? ['A user id'] : []);
				if (shown.length) problems.push(`${credentialName} ${path}: shows ${shown.join(', ')}`);
				// Counts are B's own: one visible token.
				if (response.body?.meta) {
					for (const [key, value] of Object.entries(response.body.meta as Record<string, number>)) {
						if (value > 1) problems.push(`${credentialName} ${path}: meta.${key} = ${value} counts tokens that are not B's`);
					}
				}
				if (path.includes('aggregate') && Array.isArray(response.body?.data)) {
					const total = (response.body.data as Array<{ count: number | string }>).reduce((sum, row) => sum + Number(row.count), 0);
					if (total > 1) problems.push(`${credentialName} ${path}: counts ${total} tokens, B has 1`);
				}
			}
			const gql = await api('POST', '/graphql', credential, { query: `{ ${T}(limit: -1) { id user hidden } ${T}_aggregated(groupBy: ["user"]) { group count { id } } }` });
			counts.probes++;
			const gqlText = JSON.stringify(gql.body);
			if (aliceIdList.some((id) => gqlText.includes(id)) || gqlText.includes(alice.id)) problems.push(`${credentialName} GraphQL list shows A's tokens`);
		}

		expect(problems, problems.join('\n')).toEqual([]);
	});

	it("leaves A's tokens unchanged and working", async () => {
		expect(await aliceRows()).toBe(snapshot);
		for (const label of ['personal', 'regenerated', 'app'] as const) {
			// The app token from its page's origin, as the page would.
			const me = await request(directus.url, 'GET', '/users/me?fields=id', { token: aTokens[label]!, headers: label === 'app' ? { origin: WWW } : {} });
			expect(me.status, label).toBe(200);
			expect(me.body.data.id).toBe(alice.id);
		}
		expect((await api('GET', '/users/me?fields=id', aTokens.revoked!)).status).toBe(401);
		// B's own token survived the mixed batch delete too.
		expect((await api('GET', `/api-tokens/${bobTokenId}`, bob.accessToken)).status).toBe(200);
		// A never sees the hidden app token in a list; the admin does.
		const own = await api('GET', '/api-tokens?delta=-100', alice.accessToken);
		expect(JSON.stringify(own.body)).not.toContain(aIds.app);
		// B left no comment, version or share on A's tokens.
		for (const table of ['directus_comments', 'directus_versions', 'directus_shares']) {
			expect(await directus.db(table).whereIn('item', Object.values(aIds)), table).toEqual([]);
		}
		// Directus gives A herself nothing of the table either (deny by default): her tokens are hers through the token API.
		expect((await api('GET', `/items/${T}?fields=id&limit=-1`, alice.accessToken)).status).toBe(403);
		const mine = await api('GET', `/permissions/me/${T}/${aIds.personal}`, alice.accessToken);
		expect(Object.values(mine.body.data ?? {}).every((entry) => (entry as { access?: boolean }).access === false), JSON.stringify(mine.body)).toBe(true);
		expect((own.body.tokens as Array<{ id: string }>).map((token) => token.id).sort()).toEqual([aIds.personal, aIds.regenerated].sort());
		const admin = await api('GET', `/api-tokens?user=${alice.id}&include_hidden=true&kind=app`, directus.adminToken);
		expect(JSON.stringify(admin.body)).toContain(aIds.app);
		report('No cross-user access', `${databaseName}: ${counts.probes} probes (${counts.requests} requests) by user B on A's tokens, A's user id and A's plaintexts: token API routes, /items read/update/delete by id, filters, search, aggregates, meta counts, SEARCH, batch keys/query/array writes, GraphQL queries and mutations, introspect, revoke, permissions/me, comments, versions, shares, activity, revisions, export to file, users and files filtered through $FOLLOW, MCP tool calls (items, files), REST over WebSocket (items, subscriptions), collaborative editing (join); A's rows unchanged, A's tokens still work, B's answers for A's real ids identical to random ids`);
	});
});
