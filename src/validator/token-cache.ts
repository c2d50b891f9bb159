/**
 * The validator's memory: live tokens by hash, an id index so events can drop them, and a bounded
 * LRU of hashes known not to exist. Freshness follows the jsDelivr note: an entry is good for
 * `ttlMs` after a miss loaded it or after the last sync that confirmed it.
 *
 * A million tokens must fit in a few hundred MB (`npm run bench`), so entries live in a slab of
 * typed arrays (one slot per hash) instead of one object each; owners, kinds and scope/origin
 * lists are stored once and referenced by index. Indexes are 32-bit (a service may see millions of
 * distinct lists: app tokens are bound to their page's origin), and a full reload starts the tables
 * afresh, so they hold only what live entries use. `token-cache.model.test.ts` proves every answer
 * against a plain `Map`.
 */
import { LRUCache } from 'lru-cache';
import { TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
import type { ValidToken } from './types.js';

/** A valid answer, shared by every request that presents the same token. */
export type ValidAnswer = Readonly<{ valid: true; token: Readonly<ValidToken> }>;

/** What the cache knows of one hash. */
export interface CachedToken {
	id: string;
	userId: string | null;
	kind: TokenKind;
	scopes: string[];
	origins: string[];
	/** ms; `null`: never expires. */
	expiresAt: number | null;
	revoked: boolean;
	/** Set when this hash is the previous secret of a regenerated token: valid until then (ms). */
	graceUntil: number | null;
	/** The owner is an active user (or there is none), as the database said when this was loaded. */
	ownerActive: boolean;
	/** When a miss loaded it; 0 for entries loaded by a sync (then the sync time vouches for them). */
	loadedAt: number;
}

/**
 * A cache hit, read from the slab into one reused object with only what judging needs: use it
 * synchronously, never keep it.
 */
export type CacheHit = Pick<CachedToken, 'id' | 'kind' | 'scopes' | 'origins' | 'expiresAt' | 'revoked' | 'graceUntil' | 'ownerActive'> & { slot: number };

class Interner<T> {
	private readonly index = new Map<string, number>();
	readonly values: T[] = [];
	indexOf(key: string): number | undefined {
		return this.index.get(key);
	}
	add(key: string, value: () => T): number {
		let i = this.index.get(key);
		if (i === undefined) {
			i = this.values.push(value()) - 1;
			this.index.set(key, i);
		}
		return i;
	}
}

function grow<A extends Float64Array | Int32Array | Uint8Array>(array: A, size: number): A {
	if (size <= array.length) return array;
	const next = new (array.constructor as new (n: number) => A)(Math.max(size, array.length * 2));
	next.set(array);
	return next;
}

export function createTokenCache({ ttlMs, negativeMax, now }: { ttlMs: number; negativeMax: number; now: () => number }) {
	let slotByHash = new Map<string, number>();
	// Almost every token has one slot; a second one only during a regenerate grace period.
	let slotsById = new Map<string, number | number[]>();
	let hashes: (string | undefined)[] = [];
	let ids: (string | undefined)[] = [];
	let answers: (ValidAnswer | undefined)[] = [];
	let users = new Int32Array(1024);
	let kinds = new Uint8Array(1024);
	let scopeLists = new Int32Array(1024);
	let originLists = new Int32Array(1024);
	let expires = new Float64Array(1024); // NaN: never
	let graces = new Float64Array(1024); // NaN: not a grace entry
	let loaded = new Float64Array(1024);
	let revokedFlags = new Uint8Array(1024);
	let free: number[] = [];
	let used = 0;
	let userTable = new Interner<string>();
	let listTable = new Interner<string[]>();
	/** Per interned user: 1 when the database says they are not active (their tokens are refused). */
	let inactiveOwners = new Uint8Array(64);
	// The LRU's clock is ours, so tests can freeze time.
	const unknown = new LRUCache<string, true>({ max: negativeMax, ttl: ttlMs, ttlResolution: 0, perf: { now } });
	/** A sync that succeeded at time T vouches for every entry until T + ttl. */
	let confirmedAt = -Infinity;
	const hit = {} as CacheHit;

	function allocate(): number {
		const slot = free.pop() ?? used++;
		if (slot >= users.length) {
			const size = slot + 1;
			[users, kinds, scopeLists, originLists, expires, graces, loaded, revokedFlags] = [
				grow(users, size), grow(kinds, size), grow(scopeLists, size), grow(originLists, size),
				grow(expires, size), grow(graces, size), grow(loaded, size), grow(revokedFlags, size),
			];
		}
		return slot;
	}

	function remove(hash: string) {
		const slot = slotByHash.get(hash);
		if (slot === undefined) return;
		slotByHash.delete(hash);
		const id = ids[slot]!;
		const slots = slotsById.get(id);
		if (slots === slot) slotsById.delete(id);
		else if (Array.isArray(slots)) {
			const rest = slots.filter((s) => s !== slot);
			if (rest.length === 0) slotsById.delete(id);
			else slotsById.set(id, rest.length === 1 ? rest[0]! : rest);
		}
		hashes[slot] = ids[slot] = answers[slot] = undefined;
		free.push(slot);
	}

	function read(slot: number, into: CachedToken): CachedToken {
		const user = users[slot]!;
		into.id = ids[slot]!;
		into.userId = user < 0 ? null : userTable.values[user]!;
		into.kind = TOKEN_KINDS[kinds[slot]!]!;
		into.scopes = listTable.values[scopeLists[slot]!]!;
		into.origins = listTable.values[originLists[slot]!]!;
		into.expiresAt = Number.isNaN(expires[slot]!) ? null : expires[slot]!;
		into.revoked = revokedFlags[slot] === 1;
		into.graceUntil = Number.isNaN(graces[slot]!) ? null : graces[slot]!;
		into.ownerActive = user < 0 || inactiveOwners[user] === 0;
		into.loadedAt = loaded[slot]!;
		return into;
	}

	/** The interned index of an owner, with what the database last said of them. */
	function internUser(userId: string, active: boolean): number {
		const index = userTable.add(userId, () => userId);
		inactiveOwners = grow(inactiveOwners, index + 1);
		inactiveOwners[index] = active ? 0 : 1;
		return index;
	}

	function set(hash: string, entry: CachedToken) {
		remove(hash);
		unknown.delete(hash);
		const slot = allocate();
		hashes[slot] = hash;
		ids[slot] = entry.id;
		users[slot] = entry.userId === null ? -1 : internUser(entry.userId, entry.ownerActive);
		kinds[slot] = TOKEN_KINDS.indexOf(entry.kind);
		scopeLists[slot] = listTable.add(JSON.stringify(entry.scopes), () => Object.freeze([...entry.scopes]) as string[]);
		originLists[slot] = listTable.add(JSON.stringify(entry.origins), () => Object.freeze([...entry.origins]) as string[]);
		expires[slot] = entry.expiresAt ?? NaN;
		graces[slot] = entry.graceUntil ?? NaN;
		loaded[slot] = entry.loadedAt;
		revokedFlags[slot] = entry.revoked ? 1 : 0;
		slotByHash.set(hash, slot);
		const slots = slotsById.get(entry.id);
		if (slots === undefined) slotsById.set(entry.id, slot);
		else slotsById.set(entry.id, [...(Array.isArray(slots) ? slots : [slots]), slot]);
	}

	function slotsOf(id: string): number[] {
		const slots = slotsById.get(id);
		return slots === undefined ? [] : Array.isArray(slots) ? [...slots] : [slots];
	}

	return {
		/** A fresh entry for `hash`, `'unknown'` if known not to exist, or `undefined` (ask the database). */
		get(hash: string, at: number): CacheHit | 'unknown' | undefined {
			const slot = slotByHash.get(hash);
			if (slot !== undefined) {
				if (at < Math.max(loaded[slot]!, confirmedAt) + ttlMs) {
					const expiresAt = expires[slot]!;
					const graceUntil = graces[slot]!;
					const user = users[slot]!;
					hit.slot = slot;
					hit.id = ids[slot]!;
					hit.kind = TOKEN_KINDS[kinds[slot]!]!;
					hit.ownerActive = user < 0 || inactiveOwners[user] === 0;
					hit.scopes = listTable.values[scopeLists[slot]!]!;
					hit.origins = listTable.values[originLists[slot]!]!;
					hit.expiresAt = expiresAt === expiresAt ? expiresAt : null; // NaN: never
					hit.graceUntil = graceUntil === graceUntil ? graceUntil : null;
					hit.revoked = revokedFlags[slot] === 1;
					return hit;
				}
				remove(hash);
				return undefined;
			}
			return unknown.get(hash) ? 'unknown' : undefined;
		},
		/** The frozen `{ valid: true, token }` answer of a hit, built once per slot. */
		answer(entry: CacheHit, make: (entry: CachedToken) => Readonly<ValidToken>): ValidAnswer {
			return (answers[entry.slot] ??= Object.freeze({ valid: true as const, token: make(read(entry.slot, {} as CachedToken)) }));
		},
		set,
		setUnknown(hash: string) {
			if (!slotByHash.has(hash)) unknown.set(hash, true);
		},
		/** Forgets every hash of these tokens (revoked, regenerated, …): the next use asks the database. */
		dropIds(tokenIds: Iterable<string>) {
			for (const id of tokenIds) for (const slot of slotsOf(id)) remove(hashes[slot]!);
		},
		dropUser(userId: string) {
			for (let slot = 0; slot < used; slot++) {
				const user = users[slot]!;
				if (hashes[slot] !== undefined && user >= 0 && userTable.values[user] === userId) remove(hashes[slot]!);
			}
		},
		/**
		 * Which users are not active now (every other owner is): what a sync read. Their cached tokens
		 * stay and are refused (`owner_inactive`) until they are active again or revoked. Answers the
		 * owners of cached tokens who were active until now.
		 */
		setInactiveOwners(userIds: ReadonlySet<string>): string[] {
			const newly: string[] = [];
			const flags = new Uint8Array(inactiveOwners.length);
			// Only owners of cached tokens matter here; a token loaded later brings its owner's state.
			for (const userId of userIds) {
				const index = userTable.indexOf(userId);
				if (index === undefined) continue;
				if (inactiveOwners[index] === 0) newly.push(userId);
				flags[index] = 1;
			}
			inactiveOwners = flags;
			return newly;
		},
		/**
		 * Replaces everything with a full load; entries not in it are gone (revoked, purged, deleted).
		 * Answers the ids of tokens that were cached and are not in the load.
		 */
		replaceAll(entries: Iterable<[string, CachedToken]>, at: number): string[] {
			const before = slotsById;
			slotByHash = new Map();
			slotsById = new Map();
			hashes = [];
			ids = [];
			answers = [];
			free = [];
			used = 0;
			// Fresh tables: only what the loaded entries use, so lists and owners never pile up.
			userTable = new Interner<string>();
			listTable = new Interner<string[]>();
			inactiveOwners = new Uint8Array(64);
			for (const [hash, entry] of entries) set(hash, entry);
			confirmedAt = at;
			return [...before.keys()].filter((id) => !slotsById.has(id));
		},
		confirm(at: number) {
			confirmedAt = at;
		},
		forgetUnknown() {
			unknown.clear();
		},
		sizes: () => ({ valid: slotByHash.size, invalid: unknown.size }),
	};
}

export type TokenCache = ReturnType<typeof createTokenCache>;
