/**
 * With REDIS configured, Directus publishes token events on Redis pub/sub for validators: ids and
 * times only, never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { TOKEN_EVENTS_CHANNEL, parseTokenEvent, type TokenEvent } from '../src/core/token-events.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe.runIf(redisUrl)('token events on Redis', () => {
	let directus: DirectusInstance;
	let user: TestUser;
	let subscriber: Redis;
	const received: Array<{ raw: string; event: TokenEvent | null }> = [];

	beforeAll(async () => {
		subscriber = new Redis(redisUrl!);
		await subscriber.subscribe(TOKEN_EVENTS_CHANNEL);
		subscriber.on('message', (_channel: string, raw: string) => received.push({ raw, event: parseTokenEvent(raw) }));
		directus = await startDirectus('sqlite', { REDIS: redisUrl! });
		user = await createUser(directus, 'redis');
	});
	afterAll(async () => {
		subscriber?.disconnect();
		await directus?.stop();
	});

	it('publishes create, regenerate, revoke and reset', async () => {
		const created = await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'evented' } });
		const id = created.body.info.id as string;
		const regenerated = await request(directus.url, 'POST', `/api-tokens/${id}/regenerate`, { token: user.accessToken, body: {} });
		await request(directus.url, 'DELETE', `/api-tokens/${id}`, { token: user.accessToken });
		await request(directus.url, 'POST', '/api-tokens', { token: user.accessToken, body: { name: 'second' } });
		await request(directus.url, 'POST', '/api-tokens/reset', { token: directus.adminToken, body: { user: user.id } });

		await expect.poll(() => received.filter((r) => r.event?.userId === user.id).map((r) => r.event!.type), { timeout: 5_000 }).toEqual([
			'created',
			'regenerated',
			'revoked',
			'created',
			'reset',
		]);
		const mine = received.filter((r) => r.event?.userId === user.id);
		expect(mine[2]!.event!.tokenIds).toEqual([id]);
		expect(mine[0]!.event!.actor).toBe(user.id);
		for (const { raw } of mine) {
			expect(raw).not.toContain(created.body.token.slice(4));
			expect(raw).not.toContain(regenerated.body.token.slice(4));
		}
	});
});
