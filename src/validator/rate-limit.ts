/**
 * Rate-limit tiers: callers with no token by IP (IPv6: by /64), anonymous tokens by their tier (`open`
 * from the open endpoint, `trusted` or another tier their issuer gave), app, personal and service
 * tokens by kind; low for unknown callers, highest for services. Every token has a bucket of its own.
 * Counted in memory or in Redis so every instance of an API shares one budget. Answers carry `RateLimit-Policy` / `RateLimit` (IETF httpapi draft) and
 * the common `X-RateLimit-*` headers; a refusal adds `Retry-After`.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { OPEN_ANONYMOUS_TIER, type TokenKind } from '../shared/constants.js';
import type { ValidToken } from './types.js';
import { clientKey } from './client-key.js';

/**
 * `anonymous`: callers with no token; `open`, `trusted` (or any other name): anonymous tokens' tiers;
 * else a token kind.
 */
export type Tier = Exclude<TokenKind, 'anonymous'> | 'anonymous' | 'open' | 'trusted' | (string & {});
export interface TierLimit {
	/** Requests allowed per window. */
	points: number;
	/** Window length in seconds. */
	windowSeconds: number;
}

/**
 * Default requests per hour per tier; override any of them with `tiers`.
 *
 * @example
 * ```ts
 * createTierRateLimiter({ tiers: { anonymous: { ...DEFAULT_TIERS.anonymous, points: 30 } } });
 * ```
 */
export const DEFAULT_TIERS: Readonly<Record<string, TierLimit>> = {
	anonymous: { points: 60, windowSeconds: 3600 },
	open: { points: 100, windowSeconds: 3600 },
	trusted: { points: 500, windowSeconds: 3600 },
	app: { points: 500, windowSeconds: 3600 },
	personal: { points: 1000, windowSeconds: 3600 },
	service: { points: 10_000, windowSeconds: 3600 },
};

export interface RateDecision {
	allowed: boolean;
	tier: Tier;
	headers: Record<string, string>;
}

export interface RateLimiterOptions {
	tiers?: Readonly<Record<string, TierLimit>>;
	/** Shared counters across instances; in memory when absent. */
	redis?: Redis;
	keyPrefix?: string;
}

/**
 * @example
 * ```ts
 * const limits = createTierRateLimiter({ redis });
 * const decision = await limits.consume(req.apiToken ?? null, req.socket.remoteAddress ?? '');
 * res.set(decision.headers);
 * if (!decision.allowed) return res.status(429).json({ error: 'rate_limited' });
 * ```
 */
export function createTierRateLimiter(options: RateLimiterOptions = {}) {
	const tiers: Record<string, TierLimit> = { ...DEFAULT_TIERS, ...options.tiers };
	const limiters = new Map<string, RateLimiterAbstract>(
		Object.entries(tiers).map(([tier, { points, windowSeconds }]) => {
			const common = { points, duration: windowSeconds, keyPrefix: `${options.keyPrefix ?? 'api-tokens-rl'}:${tier}` };
			return [tier, options.redis ? new RateLimiterRedis({ ...common, storeClient: options.redis }) : new RateLimiterMemory(common)];
		}),
	);

	/** A token's own tier when one is configured; else its kind's, and the open tier for anonymous tokens. */
	function tierOf(token: Pick<ValidToken, 'tier'> & { kind?: TokenKind }): Tier {
		if (limiters.has(token.tier)) return token.tier;
		return token.kind === undefined || token.kind === 'anonymous' ? OPEN_ANONYMOUS_TIER : token.kind;
	}

	function headers(tier: Tier, res: RateLimiterRes, limited: boolean): Record<string, string> {
		const { points, windowSeconds } = tiers[tier]!;
		const reset = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
		const remaining = Math.max(0, res.remainingPoints);
		const out: Record<string, string> = {
			'ratelimit-policy': `"${tier}";q=${points};w=${windowSeconds}`,
			ratelimit: `"${tier}";r=${remaining};t=${reset}`,
			'x-ratelimit-limit': String(points),
			'x-ratelimit-remaining': String(remaining),
			'x-ratelimit-reset': String(reset),
		};
		if (limited) out['retry-after'] = String(Math.max(1, reset));
		return out;
	}

	return {
		tiers,
		/** Counts one request of `token` (or of the anonymous client at `address`). */
		async consume(token: (Pick<ValidToken, 'id' | 'tier'> & { kind?: TokenKind }) | null, address: string): Promise<RateDecision> {
			const tier: Tier = token ? tierOf(token) : 'anonymous';
			const key = token ? `token:${token.id}` : clientKey(address);
			try {
				const res = await limiters.get(tier)!.consume(key, 1);
				return { allowed: true, tier, headers: headers(tier, res, false) };
			} catch (rejection) {
				if (rejection instanceof RateLimiterRes) return { allowed: false, tier, headers: headers(tier, rejection, true) };
				throw rejection; // the store failed: let the caller decide (fail open or closed)
			}
		},
	};
}
