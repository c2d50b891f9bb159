/**
 * The validator's memory: live tokens by hash (with an id index so events can drop them), and a
 * bounded LRU of hashes known not to exist. Freshness follows the jsDelivr note: an entry is good for
 * `ttlMs` after it was loaded or after the last sync that confirmed it.
 */
import { LRUCache } from 'lru-cache';
import type { TokenKind } from '../shared/constants.js';
import type { ValidToken } from './types.js';

export interface CachedToken {
	id: string;
	userId: string | null;
	kind: TokenKind;
	scopes: string[];
	origins: string[];
	expiresAt: number | null;
	revoked: boolean;
	/** Set when this hash is the previous secret of a regenerated token: valid until then. */
	graceUntil: number | null;
	/** When a miss loaded it; 0 for entries loaded by a sync (then the sync time vouches for them). */
	loadedAt: number;
	/** What a valid answer hands out, built on first use and kept (the hot path allocates nothing). */
	view?: Readonly<ValidToken>;
}

export function createTokenCache({ ttlMs, negativeMax, now }: { ttlMs: number; negativeMax: number; now: () => number }) {
	const byHash = new Map<string, CachedToken>();
	// Almost every token has one hash; a second one only during a regenerate grace period.
	const hashesById = new Map<string, string | string[]>();
	// The LRU's clock is ours, so tests can freeze time.
	const unknown = new LRUCache<string, true>({ max: negativeMax, ttl: ttlMs, ttlResolution: 0, perf: { now } });
	/** A sync that succeeded at time T vouches for every entry until T + ttl. */
	let confirmedAt = -Infinity;

	function remove(hash: string) {
		const entry = byHash.get(hash);
		if (!entry) return;
		byHash.delete(hash);
		const hashes = hashesById.get(entry.id);
		if (hashes === hash) hashesById.delete(entry.id);
		else if (Array.isArray(hashes)) {
			const rest = hashes.filter((h) => h !== hash);
			if (rest.length === 1) hashesById.set(entry.id, rest[0]!);
			else if (rest.length === 0) hashesById.delete(entry.id);
			else hashesById.set(entry.id, rest);
		}
	}

	function hashesOf(id: string): string[] {
		const hashes = hashesById.get(id);
		return hashes === undefined ? [] : Array.isArray(hashes) ? [...hashes] : [hashes];
	}

	return {
		/** A fresh entry for `hash`, `'unknown'` if known not to exist, or `undefined` (ask the database). */
		get(hash: string, now: number): CachedToken | 'unknown' | undefined {
			const entry = byHash.get(hash);
			if (entry) {
				if (now < Math.max(entry.loadedAt, confirmedAt) + ttlMs) return entry;
				remove(hash);
				return undefined;
			}
			return unknown.get(hash) ? 'unknown' : undefined;
		},
		set(hash: string, entry: CachedToken) {
			remove(hash);
			unknown.delete(hash);
			byHash.set(hash, entry);
			const hashes = hashesById.get(entry.id);
			if (hashes === undefined) hashesById.set(entry.id, hash);
			else hashesById.set(entry.id, [...(Array.isArray(hashes) ? hashes : [hashes]), hash]);
		},
		setUnknown(hash: string) {
			if (!byHash.has(hash)) unknown.set(hash, true);
		},
		/** Forgets every hash of these tokens (revoked, regenerated, …): the next use asks the database. */
		dropIds(ids: Iterable<string>) {
			for (const id of ids) for (const hash of hashesOf(id)) remove(hash);
		},
		dropUser(userId: string) {
			for (const [hash, entry] of byHash) if (entry.userId === userId) remove(hash);
		},
		/** Replaces everything with a full load; entries not in it are gone (revoked, purged, deleted). */
		replaceAll(entries: Iterable<[string, CachedToken]>, at: number) {
			byHash.clear();
			hashesById.clear();
			for (const [hash, entry] of entries) this.set(hash, entry);
			confirmedAt = at;
		},
		confirm(at: number) {
			confirmedAt = at;
		},
		forgetUnknown() {
			unknown.clear();
		},
		sizes: () => ({ valid: byHash.size, invalid: unknown.size }),
	};
}

export type TokenCache = ReturnType<typeof createTokenCache>;
