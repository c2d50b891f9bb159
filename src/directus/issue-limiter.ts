/**
 * Limits on issuing tokens without a token: app tokens per user (`API_TOKENS_APP_ISSUE_LIMIT`, so a
 * page stuck in a loop cannot fill the table) and open anonymous tokens per client IP or IPv6 /64
 * (`API_TOKENS_ANONYMOUS_ISSUE_LIMIT`). Counted in Redis when Directus has `REDIS` (shared by every
 * instance), else in memory; while Redis is unreachable an in-memory limiter stands in.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface IssueDecision {
	allowed: boolean;
	/** Seconds until the user may ask again (only when refused). */
	retryAfterSeconds: number;
}

export interface IssueLimiter {
	/** Counts one issuance for `key` (a user id, a client's network). */
	consume(key: string): Promise<IssueDecision>;
	/** Gives one back: the attempt it counted turned out not to be what the limit is about. */
	refund(key: string): Promise<void>;
}

/**
 * @example
 * ```ts
 * const perUser = createIssueLimiter('app-issue', config.appIssueLimit, env.REDIS ?? null);
 * if (!(await perUser.consume(userId)).allowed) res.status(429);
 * ```
 */
export function createIssueLimiter(name: string, rate: { points: number; windowMs: number }, redisUrl: string | null): IssueLimiter {
	const options = {
		points: rate.points,
		duration: Math.max(1, Math.round(rate.windowMs / 1000)),
		keyPrefix: `api-tokens:${name}`,
	};
	const memory = new RateLimiterMemory(options);
	const limiter: RateLimiterAbstract = redisUrl
		? new RateLimiterRedis({
				...options,
				storeClient: new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }).on('error', () => {
					// Reported by the event sink's client; the insurance limiter counts meanwhile.
				}),
				insuranceLimiter: memory,
			})
		: memory;
	return {
		async consume(key) {
			try {
				await limiter.consume(key, 1);
				return { allowed: true, retryAfterSeconds: 0 };
			} catch (rejection) {
				if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
				throw rejection;
			}
		},
		async refund(key) {
			await limiter.reward(key, 1);
		},
	};
}
