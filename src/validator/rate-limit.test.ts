import { describe, expect, it } from 'vitest';
import { createTierRateLimiter } from './rate-limit.js';

describe('createTierRateLimiter (memory store)', () => {
	it('limits per tier and per token, with standard headers', async () => {
		const limiter = createTierRateLimiter({ tiers: { personal: { points: 3, windowSeconds: 60 }, anonymous: { points: 1, windowSeconds: 60 } } });
		const token = { id: 'a', tier: 'personal' as const };
		const decisions = [];
		for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(token, '203.0.113.1'));
		expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
		expect(decisions[0]!.headers).toMatchObject({ 'ratelimit-policy': '"personal";q=3;w=60', 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
		expect(decisions[3]!.headers['retry-after']).toMatch(/^\d+$/);
		expect(Number(decisions[3]!.headers['retry-after'])).toBeGreaterThan(0);
		expect((await limiter.consume({ id: 'b', tier: 'personal' }, '203.0.113.1')).allowed).toBe(true);
	});

	it('counts anonymous IPv6 clients per /64', async () => {
		const limiter = createTierRateLimiter({ tiers: { anonymous: { points: 1, windowSeconds: 60 } } });
		expect((await limiter.consume(null, '2001:db8:1:2::1')).allowed).toBe(true);
		expect((await limiter.consume(null, '2001:db8:1:2::99')).allowed).toBe(false);
		expect((await limiter.consume(null, '2001:db8:1:3::1')).allowed).toBe(true);
	});

	it('counts anonymous tokens per token in their own tier, whatever IP they come from', async () => {
		const limiter = createTierRateLimiter({ tiers: { open: { points: 2, windowSeconds: 60 }, trusted: { points: 3, windowSeconds: 60 }, anonymous: { points: 1, windowSeconds: 60 } } });
		const bot1 = { id: 'bot-1', kind: 'anonymous' as const, tier: 'trusted' };
		const bot2 = { id: 'bot-2', kind: 'anonymous' as const, tier: 'trusted' };
		const allowed = async (token: typeof bot1 | null) => (await limiter.consume(token, '198.51.100.7')).allowed;
		expect([await allowed(bot1), await allowed(bot1), await allowed(bot1), await allowed(bot1)]).toEqual([true, true, true, false]);
		expect(await allowed(bot2)).toBe(true);
		expect((await limiter.consume(bot2, '198.51.100.7')).headers['ratelimit-policy']).toBe('"trusted";q=3;w=60');
		// A tier no limit is configured for counts as the open tier; so does an anonymous token without one.
		const unknownTier = await limiter.consume({ id: 'bot-3', kind: 'anonymous', tier: 'gold' }, '198.51.100.7');
		expect(unknownTier).toMatchObject({ allowed: true, tier: 'open' });
		expect((await limiter.consume({ id: 'x', tier: 'gold' }, '198.51.100.7')).tier).toBe('open');
		// Callers with no token share their IP's bucket, apart from every token's.
		expect([await allowed(null), await allowed(null)]).toEqual([true, false]);
	});
});
