/**
 * Whether a token is live, about to expire or expired, for the list's expiry column. Pure.
 */
import type { TokenInfo } from '../types.js';

/** Tokens expiring within this many days get a warning. */
export const EXPIRY_WARNING_DAYS = 7;

export type TokenStatus =
	| { state: 'never' }
	| { state: 'active'; expiresAt: Date }
	| { state: 'expiring'; expiresAt: Date; daysLeft: number }
	| { state: 'expired'; expiresAt: Date };

/**
 * @example
 * ```ts
 * tokenStatus({ expiration: '2026-11-26T12:00:00Z' }, new Date('2026-11-23T12:00:00Z')); // { state: 'expiring', daysLeft: 3, … }
 * ```
 */
export function tokenStatus(token: Pick<TokenInfo, 'expiration'>, now: Date): TokenStatus {
	if (token.expiration === null) return { state: 'never' };
	const expiresAt = new Date(token.expiration);
	const left = expiresAt.getTime() - now.getTime();
	if (left <= 0) return { state: 'expired', expiresAt };
	// Rounded like the relative time next to it ("in 3 days" and "Expires in 3 days" agree).
	const daysLeft = Math.round(left / 86_400_000);
	if (daysLeft <= EXPIRY_WARNING_DAYS) return { state: 'expiring', expiresAt, daysLeft };
	return { state: 'active', expiresAt };
}

/** The chip text of a status, or `null` when none is shown. */
export function statusChip(status: TokenStatus): { text: string; kind: 'warning' | 'danger' | 'info' } | null {
	if (status.state === 'expired') return { text: 'Expired', kind: 'danger' };
	if (status.state === 'expiring') {
		const text = status.daysLeft < 1 ? 'Expires within a day' : status.daysLeft === 1 ? 'Expires in 1 day' : `Expires in ${status.daysLeft} days`;
		return { text, kind: 'warning' };
	}
	if (status.state === 'never') return { text: 'Never expires', kind: 'info' };
	return null;
}

/** Why a token no longer works, and since when; `null` while it is live. */
export type TokenEnd = { reason: 'revoked'; at: Date } | { reason: 'expired'; at: Date };

/**
 * @example
 * ```ts
 * tokenEnd({ revoked_at: '2026-11-20T10:00:00Z', expiration: null }, now); // { reason: 'revoked', at: … }
 * ```
 */
export function tokenEnd(token: Pick<TokenInfo, 'expiration' | 'revoked_at' | 'revoked'>, now: Date): TokenEnd | null {
	if (token.revoked || token.revoked_at) return { reason: 'revoked', at: new Date(token.revoked_at ?? 0) };
	if (token.expiration !== null && Date.parse(token.expiration) <= now.getTime()) return { reason: 'expired', at: new Date(token.expiration) };
	return null;
}

/** Which tokens a list shows: `active` (live ones) or `inactive` (revoked or expired, kept for history). */
export type StatusFilter = 'active' | 'inactive';

/**
 * @example
 * ```ts
 * byStatus(tokens, 'inactive', new Date()); // revoked and expired ones
 * ```
 */
export function byStatus<T extends Pick<TokenInfo, 'expiration' | 'revoked_at' | 'revoked'>>(tokens: readonly T[], filter: StatusFilter, now: Date): T[] {
	return tokens.filter((token) => (tokenEnd(token, now) === null) === (filter === 'active'));
}
