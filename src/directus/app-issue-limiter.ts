/**
 * Per-user limit on app-token issuance (`API_TOKENS_APP_ISSUE_LIMIT`, default 60 per hour), so a
 * page stuck in a loop cannot fill the table. Counted in Redis when Directus has `REDIS` (shared by
 * every instance), else in memory; while Redis is unreachable an in-memory limiter stands in.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { TokenConfig } from '../core/config.js';

export interface IssueDecision {
	allowed: boolean;
	/** Seconds until the user may ask again (only when refused). */
	retryAfterSeconds: number;
}

export interface AppIssueLimiter {
	consume(userId: string): Promise<IssueDecision>;
}

export function createAppIssueLimiter(config: TokenConfig, redisUrl: string | null): AppIssueLimiter {
	const options = {
		points: config.appIssueLimit.points,
		duration: Math.max(1, Math.round(config.appIssueLimit.windowMs / 1000)),
		keyPrefix: 'api-tokens:app-issue',
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
		async consume(userId) {
			try {
				await limiter.consume(userId, 1);
				return { allowed: true, retryAfterSeconds: 0 };
			} catch (rejection) {
				if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
				throw rejection;
			}
		},
	};
}
