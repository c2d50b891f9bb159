/**
 * Services holding live connections (the resgate note's "token reset"): a real `ws` WebSocket server
 * whose connections are opened with one of our tokens and watched with `watchConnection`. A revoke
 * made in Directus closes the socket within a second when revocations are pushed (Redis pub/sub,
 * PostgreSQL NOTIFY), and within one sync when the validator polls; a user reset closes every socket
 * of that user, and leaves others open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { bearerToken, createTokenValidator, postgresChannel, redisChannel, watchConnection, type TokenEventChannel, type TokenValidator } from '../src/validator/index.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';
import { report } from './helpers/suite-report.js';

const redisUrl = process.env.TEST_REDIS_URL;
const SYNC_MS = 1_500;

/** A WebSocket server that lets a connection live as long as its token (code 4401 and the reason when it dies). */
async function liveServer(validator: TokenValidator) {
	const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	server.on('connection', async (socket, req) => {
		const watched = await watchConnection(validator, bearerToken(req.headers), { scopes: ['read'], onEnd: (code) => socket.close(4401, code) });
		if (!watched.ok) return socket.close(4401, watched.code);
		socket.on('close', () => watched.value.stop());
		socket.send('welcome');
	});
	await new Promise((resolve) => server.once('listening', resolve));
	const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		/** Opens a connection with `token`; resolves once the server welcomed it. */
		async connect(token: string) {
			const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
			const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })));
			await new Promise<void>((resolve, reject) => {
				socket.once('message', () => resolve());
				socket.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
			});
			return { socket, closed };
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

const setups: Array<{ name: string; database: 'sqlite' | 'postgres'; env: Record<string, string>; channel: (db: Knex) => TokenEventChannel | undefined; pushed: boolean }> = [
	...(redisUrl ? [{ name: 'Redis pub/sub', database: 'sqlite' as const, env: { REDIS: redisUrl }, channel: (_db: Knex) => redisChannel(redisUrl), pushed: true }] : []),
	...(process.env.TEST_PG_URL ? [{ name: 'PostgreSQL NOTIFY', database: 'postgres' as const, env: {}, channel: (db: Knex) => postgresChannel(db), pushed: true }] : []),
	{ name: 'polling (no channel)', database: 'sqlite' as const, env: {}, channel: () => undefined, pushed: false },
];

describe.each(setups)('live connections with $name', ({ name, database, env, channel, pushed }) => {
	const latencies: number[] = [];
	let directus: DirectusInstance;
	let alice: TestUser;
	let bob: TestUser;
	let db: Knex;
	let validator: TokenValidator;
	let server: Awaited<ReturnType<typeof liveServer>>;

	const token = async (user: TestUser) => {
		const created = await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'live', scopes: ['read'] } });
		expect(created.status).toBe(201);
		return created.body as { token: string; info: { id: string } };
	};
	/** How long the socket stayed open after `at`, at most. */
	const bound = pushed ? 1_000 : SYNC_MS * 2;

	beforeAll(async () => {
		directus = await startDirectus(database, env);
		[alice, bob] = [await createUser(directus, 'alice'), await createUser(directus, 'bob')];
		db = directus.database.connect();
		validator = createTokenValidator({ db, channel: channel(db), syncIntervalMs: pushed ? 60_000 : SYNC_MS, trackLastUsed: false });
		await validator.start();
		for (const deadline = Date.now() + 10_000; pushed && !validator.status().channelUp; ) {
			if (Date.now() > deadline) throw new Error('the validator never subscribed');
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		server = await liveServer(validator);
	});
	afterAll(async () => {
		if (latencies.length) report('Live connections', `${name}: sockets closed ${latencies.map((ms) => `${ms} ms`).join(', ')} after the revoke or reset in Directus (bound ${bound} ms)`);
		await server?.close();
		await validator?.stop();
		await db?.destroy();
		await directus?.stop();
	});

	it(`closes the connection of a token revoked in Directus within ${pushed ? '1 s' : 'one sync'}`, async () => {
		const [doomed, kept] = [await token(alice), await token(alice)];
		const a = await server.connect(doomed.token);
		const b = await server.connect(kept.token);
		const revokedAt = Date.now();
		expect((await request(directus.url, 'DELETE', `/api-tokens/${doomed.info.id}`, { token: alice.accessToken })).status).toBe(204);
		const closed = await a.closed;
		expect(closed).toMatchObject({ code: 4401, reason: 'revoked' });
		latencies.push(closed.at - revokedAt);
		expect(closed.at - revokedAt).toBeLessThan(bound);
		expect(b.socket.readyState).toBe(WebSocket.OPEN);
		b.socket.close();
	});

	it("closes every connection of a user reset in Directus, and no one else's", async () => {
		const [first, second, other] = [await token(alice), await token(alice), await token(bob)];
		const sockets = [await server.connect(first.token), await server.connect(second.token)];
		const bobs = await server.connect(other.token);
		const resetAt = Date.now();
		expect((await request(directus.url, 'POST', '/api-tokens/reset', { token: directus.adminToken, body: { user: alice.id } })).status).toBe(200);
		for (const { closed } of sockets) {
			const ended = await closed;
			expect(ended).toMatchObject({ code: 4401, reason: 'revoked' });
			latencies.push(ended.at - resetAt);
			expect(ended.at - resetAt).toBeLessThan(bound);
		}
		expect(bobs.socket.readyState).toBe(WebSocket.OPEN);
		bobs.socket.close();
	});

	it('refuses to open a connection with a token that is not live', async () => {
		await expect(server.connect('dtp_nope')).rejects.toThrow('4401 malformed');
	});
});
