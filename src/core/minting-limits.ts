/**
 * A token cannot mint more than it holds. When a request is authenticated by one of our tokens (not
 * by a session or a Directus token), whatever it creates or changes stays within that token:
 * - app tokens create and change nothing (they belong to one page, for its API calls);
 * - scopes: only scopes the token holds;
 * - origins: a token bound to origins makes only tokens bound within them;
 * - lifetime: nothing outlives it (a longer one is shortened to its expiry, and said so);
 * - regenerating or refreshing a token reveals a secret of it: only of tokens within all of the above.
 */
import type { TokenKind } from '../shared/constants.js';
import { originMatches } from './origin.js';

/** The token a request was authenticated with. */
export interface ActorToken {
	id: string;
	kind: TokenKind;
	scopes: readonly string[];
	origins: readonly string[];
	/** ms; `null`: never expires. */
	expiresAt: number | null;
	/** Which secret was presented: the current one, or the previous one in its grace period. */
	secret: 'current' | 'previous';
}

/** What a token asks to make, or a token it asks to reveal a secret of. */
export interface Minted {
	scopes: readonly string[];
	origins: readonly string[];
	expiresAt: Date | null;
}

export type MintingCheck = { ok: true; expiresAt: Date | null; capped: boolean } | { ok: false; message: string; field: string | null };

/** Whether every origin (or pattern) of `wanted` lies within `allowed`. */
function originsWithin(allowed: readonly string[], wanted: readonly string[]): boolean {
	if (allowed.length === 0) return true;
	if (wanted.length === 0) return false; // unbound would be wider than bound
	return wanted.every((origin) => (origin.includes('*') ? allowed.includes(origin) : originMatches(allowed, origin)));
}

/**
 * @example
 * ```ts
 * const check = mintingLimit(actor.token, { scopes: ['read'], origins: [], expiresAt });
 * if (!check.ok) return fail(403, 'forbidden', check.message, check.field);
 * ```
 */
export function mintingLimit(token: ActorToken | null | undefined, wanted: Minted, { shorten = true }: { shorten?: boolean } = {}): MintingCheck {
	if (!token) return { ok: true, expiresAt: wanted.expiresAt, capped: false };
	if (token.kind === 'app') return { ok: false, message: 'App tokens cannot create or change tokens.', field: null };
	const extra = wanted.scopes.filter((scope) => !token.scopes.includes(scope));
	if (extra.length) return { ok: false, message: `The token this request came with does not hold ${extra.join(', ')}; a token it makes or reveals cannot either.`, field: 'scopes' };
	if (!originsWithin(token.origins, wanted.origins)) {
		return { ok: false, message: `The token this request came with is bound to ${token.origins.join(', ')}; a token it makes or reveals must be bound within them.`, field: 'origins' };
	}
	if (token.expiresAt === null) return { ok: true, expiresAt: wanted.expiresAt, capped: false };
	if (wanted.expiresAt !== null && wanted.expiresAt.getTime() <= token.expiresAt) return { ok: true, expiresAt: wanted.expiresAt, capped: false };
	if (!shorten) return { ok: false, message: 'The token this request came with expires first; it cannot reveal a token that outlives it.', field: null };
	return { ok: true, expiresAt: new Date(token.expiresAt), capped: true };
}
