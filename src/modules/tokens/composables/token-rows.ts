/**
 * Search and sort of token rows, for the list and the admin view. Pure.
 */
import type { TokenInfo } from '../types.js';

export type SortKey = 'name' | 'hint' | 'scopes' | 'origins' | 'expiration' | 'last_access' | 'creation_time' | 'owner' | 'kind' | 'app' | 'subject' | 'tier' | 'issuer';
export interface TokenSort {
	by: SortKey | null;
	desc: boolean;
}

/** Extra text per row to search and sort on (e.g. the owner's e-mail in the admin view). */
export interface RowLabels {
	owner?: (token: TokenInfo) => string;
	app?: (token: TokenInfo) => string;
	/** Who issued an anonymous token (see `issuerLabel`). */
	issuer?: (token: TokenInfo) => string;
}

/**
 * Rows whose name, description, hint, scopes, origins, subject, tier (or labels) contain every word of
 * `query`.
 *
 * @example
 * ```ts
 * searchTokens(tokens, 'cli read'); // tokens named "… CLI …" that hold the read scope
 * ```
 */
export function searchTokens(tokens: readonly TokenInfo[], query: string | null, labels: RowLabels = {}): TokenInfo[] {
	// Directus's v-input answers null once emptied.
	const words = (query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	if (!words.length) return [...tokens];
	return tokens.filter((token) => {
		const text = [
			token.name,
			token.description ?? '',
			token.hint,
			token.kind,
			...token.scopes,
			...token.origins,
			token.subject ?? '',
			token.tier ?? '',
			labels.owner?.(token) ?? '',
			labels.app?.(token) ?? '',
			labels.issuer?.(token) ?? '',
		]
			.join(' ')
			.toLowerCase();
		return words.every((word) => text.includes(word));
	});
}

/**
 * Sorted copy; tokens that never expire sort after all others, never-used ones before all used.
 *
 * @example
 * ```ts
 * sortTokens(tokens, { by: 'expiration', desc: false }); // soonest expiry first
 * ```
 */
export function sortTokens(tokens: readonly TokenInfo[], sort: TokenSort, labels: RowLabels = {}): TokenInfo[] {
	const rows = [...tokens];
	const { by } = sort;
	if (!by) return rows;
	const key = (token: TokenInfo): string | number => {
		switch (by) {
			case 'expiration':
				return token.expiration === null ? Number.POSITIVE_INFINITY : Date.parse(token.expiration);
			case 'last_access':
				return token.last_access === null ? Number.NEGATIVE_INFINITY : Date.parse(token.last_access);
			case 'creation_time':
				return Date.parse(token.creation_time);
			case 'scopes':
				return token.scopes.join(',');
			case 'origins':
				return token.origins.join(',');
			case 'owner':
				return labels.owner?.(token) ?? token.user ?? '';
			case 'app':
				return labels.app?.(token) ?? token.app ?? '';
			case 'subject':
				return token.subject ?? '';
			case 'tier':
				return token.tier ?? '';
			case 'issuer':
				return labels.issuer?.(token) ?? token.issuer ?? '';
			default:
				return token[by];
		}
	};
	const direction = sort.desc ? -1 : 1;
	return rows.sort((a, b) => {
		const [x, y] = [key(a), key(b)];
		const order = typeof x === 'number' && typeof y === 'number' ? (x === y ? 0 : x < y ? -1 : 1) : String(x).localeCompare(String(y), 'en', { sensitivity: 'base', numeric: true });
		return order === 0 ? b.row_id - a.row_id : order * direction;
	});
}
