/**
 * The one decision of whether a token is live for a request, used by every consumer alike: the
 * validator API services embed, Directus's `authenticate` hook, RFC 7662 introspection, RFC 7009
 * revocation and `DELETE /api-tokens/self`. Pure: the token's facts, the clock and the request in,
 * `null` (live) or the reason out, so they cannot disagree.
 *
 * The rules, in order (the first two are {@link judgeSecret}):
 * - revoked, or an old secret whose grace period after a regenerate is over: `revoked`;
 * - past its expiry: `expired`;
 * - its owner is not an active user (suspended, archived, locked out, deleted): `owner_inactive`;
 * - bound to origins (`origins` not empty): a request from any other `Origin` is refused; a request
 *   with no `Origin` is refused for app tokens, which only ever belong in the page that got them, and
 *   allowed for personal and service tokens, whose origins keep other sites' pages from using them
 *   in a browser (which always sends `Origin`), while a program outside a browser could send any
 *   `Origin` it likes, so refusing a missing one would stop no one: `origin_not_allowed`;
 * - lacking a scope the request needs: `insufficient_scope`.
 */
import type { TokenKind } from '../shared/constants.js';
import { originMatches } from './origin.js';

export type LivenessFailure = 'revoked' | 'expired' | 'owner_inactive' | 'origin_not_allowed' | 'insufficient_scope';

/** What the judgement needs to know of a token (times in ms since the epoch). */
export interface TokenFacts {
	kind: TokenKind;
	scopes: readonly string[];
	origins: readonly string[];
	/** `null`: never expires. */
	expiresAt: number | null;
	revoked: boolean;
	/** Set when the secret presented is the previous one of a regenerated token: it works until then. */
	graceUntil: number | null;
	/** The owner exists and is `active`, or the token has no owner. */
	ownerActive: boolean;
}

/** What a request asks of a token. */
export interface LivenessRequest {
	/** Scopes the request needs (all of them). */
	scopes?: readonly string[] | undefined;
	/** The request's `Origin` header; `null` or absent: it sent none. */
	origin?: string | null | undefined;
}

/**
 * The first half of {@link judgeToken}: whether the secret presented still opens its token (not
 * revoked, not an old secret past its grace period, not expired), whoever and wherever asks. Enough
 * to revoke it (RFC 7009): whoever holds a live secret may end it, from anywhere.
 *
 * @example
 * ```ts
 * if (judgeSecret(facts, Date.now()) === null) await revoke(token);
 * ```
 */
export function judgeSecret(facts: Pick<TokenFacts, 'revoked' | 'graceUntil' | 'expiresAt'>, at: number): 'revoked' | 'expired' | null {
	if (facts.revoked || (facts.graceUntil !== null && facts.graceUntil <= at)) return 'revoked';
	if (facts.expiresAt !== null && facts.expiresAt <= at) return 'expired';
	return null;
}

/**
 * @example
 * ```ts
 * const failure = judgeToken(facts, Date.now(), { scopes: ['read'], origin: req.headers.origin });
 * if (failure) return reply(401, failure); // 'expired', 'origin_not_allowed', …
 * ```
 */
export function judgeToken(facts: TokenFacts, at: number, request: LivenessRequest): LivenessFailure | null {
	const secret = judgeSecret(facts, at);
	if (secret) return secret;
	if (!facts.ownerActive) return 'owner_inactive';
	if (facts.origins.length > 0) {
		const origin = request.origin;
		if (origin === null || origin === undefined || origin === '') {
			if (facts.kind === 'app') return 'origin_not_allowed';
		} else if (!originMatches(facts.origins, origin)) {
			return 'origin_not_allowed';
		}
	}
	const needed = request.scopes;
	if (needed) for (const scope of needed) if (!facts.scopes.includes(scope)) return 'insufficient_scope';
	return null;
}

/**
 * The facts of a stored token as a hash lookup found it: `matched` says which of its secrets was
 * presented (the previous one works until `grace_until`).
 *
 * @example
 * ```ts
 * const match = await store.findByHash(hashToken(bearer));
 * const failure = match ? judgeToken(factsOf(match.record, match.matched), Date.now(), request) : 'unknown';
 * ```
 */
export function factsOf(
	record: { kind: TokenKind; scopes: readonly string[]; origins: readonly string[]; expires_at: Date | null; revoked_at: Date | null; grace_until: Date | null; ownerActive: boolean },
	matched: 'current' | 'previous',
): TokenFacts {
	return {
		kind: record.kind,
		scopes: record.scopes,
		origins: record.origins,
		expiresAt: record.expires_at?.getTime() ?? null,
		revoked: record.revoked_at !== null,
		graceUntil: matched === 'previous' ? (record.grace_until?.getTime() ?? 0) : null,
		ownerActive: record.ownerActive,
	};
}
