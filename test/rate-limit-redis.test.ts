/** Rate-limit counters in real Redis are shared by every API instance. */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createTierRateLimiter } from '../src/validator/index.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe.runIf(redisUrl)('tier rate limits on Redis', () => {
	const clients: Redis[] = [];
	afterAll(() => clients.forEach((c) => c.disconnect()));

	it('shares one budget between two instances', async () => {
		const keyPrefix = `test-rl-${randomBytes(4).toString('hex')}`;
		const tiers = { app: { points: 5, windowSeconds: 60 } };
		const [a, b] = [new Redis(redisUrl!), new Redis(redisUrl!)];
		clients.push(a, b);
		const first = createTierRateLimiter({ redis: a, keyPrefix, tiers });
		const second = createTierRateLimiter({ redis: b, keyPrefix, tiers });
		const token = { id: 'shared', tier: 'app' as const };
		const allowed: boolean[] = [];
		for (let i = 0; i < 6; i++) allowed.push((await (i % 2 ? second : first).consume(token, '')).allowed);
		expect(allowed).toEqual([true, true, true, true, true, false]);
		const refused = await first.consume(token, '');
		expect(refused.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'ratelimit-policy': '"app";q=5;w=60' });
		expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
	});
});
