import type { TokenKind } from '../shared/constants.js';
import type { ValidationFailureCode } from '../core/errors.js';

/**
 * A token the validator accepted. `tier` is its rate-limit tier: an anonymous token's own (`open`
 * from the open endpoint, or the tier its trusted issuer gave), else its kind.
 */
export interface ValidToken {
	id: string;
	userId: string | null;
	kind: TokenKind;
	scopes: string[];
	origins: string[];
	tier: string;
	expiresAt: Date | null;
}

/**
 * What {@link TokenValidator.validate} answers: never throws for a bad token.
 *
 * @example
 * ```ts
 * const result = await validator.validate(bearer, { scopes: ['measurements'] });
 * if (!result.valid) return reply(result.code === 'unavailable' ? 503 : 401);
 * ```
 */
export type ValidationResult = { valid: true; token: ValidToken } | { valid: false; code: ValidationFailureCode };

export interface ValidateOptions {
	/**
	 * The request's `Origin` header; absent or `null`: it sent none. A token bound to origins is
	 * refused from any other origin, and app tokens also without one (see `judgeToken`).
	 */
	origin?: string | null | undefined;
	/** Scopes the route needs. */
	scopes?: readonly string[];
}

export interface ValidatorStatus {
	/** Tokens held as valid. */
	cachedValid: number;
	/** Hashes remembered as unknown (LRU-bounded). */
	cachedInvalid: number;
	lastSyncAt: Date | null;
	lastFullSyncAt: Date | null;
	lastSyncError: string | null;
	/** `push`: events arrive; `polling`: no channel or it is down, revocations wait for the sync. */
	revocations: 'push' | 'polling';
	channel: 'redis' | 'postgres' | 'none';
	channelUp: boolean;
	/** Time from the last event's `at` to its arrival here, in ms. */
	lastRevocationLagMs: number | null;
	/** About how many tokens have a last-used time waiting for the next flush. */
	pendingLastUsed: number;
}
