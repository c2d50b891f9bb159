/**
 * The validator's memory: live tokens by key (the SHA-256 of the token, as 32 one-byte characters),
 * an id index so events can drop them, and a bounded LRU of keys known not to exist. Freshness follows
 * the jsDelivr note: an entry is good for `ttlMs` after a miss loaded it or after the last sync that
 * confirmed it.
 *
 * A million tokens must fit in well under 300 bytes each (`npm run bench`), so entries live in a slab
 * of typed arrays (one slot per key) instead of one object each; owners and scope/origin lists are
 * stored once and referenced by 32-bit numbers (a service may see millions of distinct lists: app
 * tokens are bound to their page's origin). Nothing is kept per use: an answer is built when asked
 * for, and a use is one number in a typed array until the next flush.
 *
 * A full reload builds a new slab beside the one serving (`reload()`), fed page by page, and swaps
 * them in one step, so a sync never holds the event loop; the new slab starts with fresh tables, so
 * lists and owners never pile up. `token-cache.model.test.ts` proves every answer against plain Maps.
 */
import { LRUCache } from 'lru-cache';
import { TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
import type { ValidToken } from './types.js';

/** What the cache knows of one key. */
export interface CachedToken {
	id: string;
	userId: string | null;
	kind: TokenKind;
	scopes: readonly string[];
	origins: readonly string[];
	/** ms; `null`: never expires. */
	expiresAt: number | null;
	revoked: boolean;
	/** Set when this key is the previous secret of a regenerated token: valid until then (ms). */
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

type Numbers = Float64Array | Int32Array | Uint8Array;

/** Grows by a quarter, not by doubling: at a million slots, doubling would waste up to half of every array. */
function grow<A extends Numbers>(array: A, size: number, fill = 0): A {
	if (size <= array.length) return array;
	const next = new (array.constructor as new (n: number) => A)(Math.max(size, Math.ceil(array.length * 1.25), 1024));
	next.set(array);
	if (fill !== 0) next.fill(fill, array.length);
	return next;
}

/** One generation of entries: what `get` answers from, or what a reload is building. */
class Slab {
	slotByKey = new Map<string, number>();
	// Almost every token has one slot; a second one only during a regenerate grace period.
	slotsById = new Map<string, number | number[]>();
	keys: (string | undefined)[] = [];
	ids: (string | undefined)[] = [];
	users = new Int32Array(0);
	kinds = new Uint8Array(0);
	scopeLists = new Int32Array(0);
	originLists = new Int32Array(0);
	expires = new Float64Array(0); // NaN: never
	graces = new Float64Array(0); // NaN: not a grace entry
	loaded = new Float64Array(0);
	revokedFlags = new Uint8Array(0);
	/** When the slot's token was last used and not yet taken by `takeUsed` (0: not since). */
	usedAt = new Float64Array(0);
	/** Slots whose `usedAt` was set since the last `takeUsed` (each once). */
	dirty: number[] = [];
	free: number[] = [];
	used = 0;
	userTable = new Interner<string>();
	listTable = new Interner<readonly string[]>();
	/** Per interned user: 1 when the database says they are not active (their tokens are refused). */
	inactiveOwners = new Uint8Array(0);

	allocate(): number {
		const slot = this.free.pop() ?? this.used++;
		if (slot >= this.users.length) {
			const size = slot + 1;
			this.users = grow(this.users, size);
			this.kinds = grow(this.kinds, size);
			this.scopeLists = grow(this.scopeLists, size);
			this.originLists = grow(this.originLists, size);
			this.expires = grow(this.expires, size);
			this.graces = grow(this.graces, size);
			this.loaded = grow(this.loaded, size);
			this.revokedFlags = grow(this.revokedFlags, size);
			this.usedAt = grow(this.usedAt, size);
		}
		return slot;
	}

	internUser(userId: string, active: boolean): number {
		const index = this.userTable.add(userId, () => userId);
		this.inactiveOwners = grow(this.inactiveOwners, index + 1);
		this.inactiveOwners[index] = active ? 0 : 1;
		return index;
	}

	internList(list: readonly string[]): number {
		return this.listTable.add(list.length === 0 ? '' : JSON.stringify(list), () => Object.freeze([...list]));
	}

	/** Removes a key; a use not yet taken goes to `pendingUsed`. */
	remove(key: string, pendingUsed: Map<string, number>): void {
		const slot = this.slotByKey.get(key);
		if (slot === undefined) return;
		this.slotByKey.delete(key);
		const id = this.ids[slot]!;
		const slots = this.slotsById.get(id);
		if (slots === slot) this.slotsById.delete(id);
		else if (Array.isArray(slots)) {
			const rest = slots.filter((s) => s !== slot);
			if (rest.length === 0) this.slotsById.delete(id);
			else this.slotsById.set(id, rest.length === 1 ? rest[0]! : rest);
		}
		const usedAt = this.usedAt[slot]!;
		if (usedAt > 0) {
			if (!((pendingUsed.get(id) ?? 0) >= usedAt)) pendingUsed.set(id, usedAt);
			this.usedAt[slot] = 0;
		}
		this.keys[slot] = this.ids[slot] = undefined;
		this.free.push(slot);
	}

	set(key: string, entry: CachedToken, pendingUsed: Map<string, number>): void {
		this.remove(key, pendingUsed);
		const slot = this.allocate();
		this.keys[slot] = key;
		this.ids[slot] = entry.id;
		this.users[slot] = entry.userId === null ? -1 : this.internUser(entry.userId, entry.ownerActive);
		this.kinds[slot] = TOKEN_KINDS.indexOf(entry.kind);
		this.scopeLists[slot] = this.internList(entry.scopes);
		this.originLists[slot] = this.internList(entry.origins);
		this.expires[slot] = entry.expiresAt ?? NaN;
		this.graces[slot] = entry.graceUntil ?? NaN;
		this.loaded[slot] = entry.loadedAt;
		this.revokedFlags[slot] = entry.revoked ? 1 : 0;
		this.usedAt[slot] = 0;
		this.slotByKey.set(key, slot);
		const slots = this.slotsById.get(entry.id);
		if (slots === undefined) this.slotsById.set(entry.id, slot);
		else this.slotsById.set(entry.id, [...(Array.isArray(slots) ? slots : [slots]), slot]);
	}

	slotsOf(id: string): number[] {
		const slots = this.slotsById.get(id);
		return slots === undefined ? [] : Array.isArray(slots) ? [...slots] : [slots];
	}

	dropIds(tokenIds: Iterable<string>, pendingUsed: Map<string, number>): void {
		for (const id of tokenIds) for (const slot of this.slotsOf(id)) this.remove(this.keys[slot]!, pendingUsed);
	}

	dropUser(userId: string, pendingUsed: Map<string, number>): void {
		const index = this.userTable.indexOf(userId);
		if (index === undefined) return;
		for (let slot = 0; slot < this.used; slot++) {
			if (this.keys[slot] !== undefined && this.users[slot] === index) this.remove(this.keys[slot]!, pendingUsed);
		}
	}

	ownerActive(slot: number): boolean {
		const user = this.users[slot]!;
		return user < 0 || this.inactiveOwners[user] === 0;
	}
}

/** A full reload being built beside the serving slab: fed page by page, then swapped in at once. */
export interface CacheReload {
	add(key: string, entry: CachedToken): void;
	/**
	 * Swaps the new slab in (every entry vouched for until `at` + ttl) and answers the ids of tokens
	 * the old one held that the new one has not, a batch at a time (for callers that yield between).
	 */
	finish(at: number): Iterable<string[]>;
}

export function createTokenCache({ ttlMs, negativeMax, now }: { ttlMs: number; negativeMax: number; now: () => number }) {
	let current = new Slab();
	let building: { slab: Slab; droppedIds: Set<string>; droppedUsers: Set<string> } | null = null;
	/** Slabs replaced by a reload whose uses `takeUsed` has not taken yet. */
	let retired: Slab[] = [];
	/** Uses of tokens that left the cache before a flush took them: id → time. */
	const pendingUsed = new Map<string, number>();
	// The LRU's clock is ours, so tests can freeze time.
	const unknown = new LRUCache<string, true>({ max: negativeMax, ttl: ttlMs, ttlResolution: 0, perf: { now } });
	/** A sync that succeeded at time T vouches for every entry until T + ttl. */
	let confirmedAt = -Infinity;
	const hit = {} as CacheHit;

	function read(slab: Slab, slot: number, into: CachedToken): CachedToken {
		const user = slab.users[slot]!;
		into.id = slab.ids[slot]!;
		into.userId = user < 0 ? null : slab.userTable.values[user]!;
		into.kind = TOKEN_KINDS[slab.kinds[slot]!]!;
		into.scopes = slab.listTable.values[slab.scopeLists[slot]!]!;
		into.origins = slab.listTable.values[slab.originLists[slot]!]!;
		into.expiresAt = Number.isNaN(slab.expires[slot]!) ? null : slab.expires[slot]!;
		into.revoked = slab.revokedFlags[slot] === 1;
		into.graceUntil = Number.isNaN(slab.graces[slot]!) ? null : slab.graces[slot]!;
		into.ownerActive = slab.ownerActive(slot);
		into.loadedAt = slab.loaded[slot]!;
		return into;
	}

	return {
		/** A fresh entry for `key`, `'unknown'` if known not to exist, or `undefined` (ask the database). */
		get(key: string, at: number): CacheHit | 'unknown' | undefined {
			const slab = current;
			const slot = slab.slotByKey.get(key);
			if (slot !== undefined) {
				if (at < Math.max(slab.loaded[slot]!, confirmedAt) + ttlMs) {
					const expiresAt = slab.expires[slot]!;
					const graceUntil = slab.graces[slot]!;
					hit.slot = slot;
					hit.id = slab.ids[slot]!;
					hit.kind = TOKEN_KINDS[slab.kinds[slot]!]!;
					hit.ownerActive = slab.ownerActive(slot);
					hit.scopes = slab.listTable.values[slab.scopeLists[slot]!]!;
					hit.origins = slab.listTable.values[slab.originLists[slot]!]!;
					hit.expiresAt = expiresAt === expiresAt ? expiresAt : null; // NaN: never
					hit.graceUntil = graceUntil === graceUntil ? graceUntil : null;
					hit.revoked = slab.revokedFlags[slot] === 1;
					return hit;
				}
				slab.remove(key, pendingUsed);
				return undefined;
			}
			return unknown.get(key) ? 'unknown' : undefined;
		},
		/** The token of a hit, as `validate` answers it (a new object: callers may keep it). */
		validToken(entry: CacheHit): ValidToken {
			const slab = current;
			const user = slab.users[entry.slot]!;
			return {
				id: entry.id,
				userId: user < 0 ? null : slab.userTable.values[user]!,
				kind: entry.kind,
				scopes: entry.scopes as string[],
				origins: entry.origins as string[],
				tier: entry.kind,
				expiresAt: entry.expiresAt === null ? null : new Date(entry.expiresAt),
			};
		},
		/** Notes a use of a hit's token, for the next last-used flush. */
		markUsed(entry: CacheHit, at: number): void {
			const slab = current;
			if (slab.usedAt[entry.slot] === 0) slab.dirty.push(entry.slot);
			slab.usedAt[entry.slot] = at;
		},
		/** Notes a use of a token judged outside the slab (a miss's answer): on its slot if it has one. */
		markUsedByKey(key: string, id: string, at: number): void {
			const slab = current;
			const slot = slab.slotByKey.get(key);
			if (slot === undefined || slab.ids[slot] !== id) {
				if (!((pendingUsed.get(id) ?? 0) >= at)) pendingUsed.set(id, at);
				return;
			}
			if (slab.usedAt[slot] === 0) slab.dirty.push(slot);
			slab.usedAt[slot] = at;
		},
		/** Every use noted since the last call, the latest per token. */
		takeUsed(): Map<string, number> {
			const out = new Map(pendingUsed);
			pendingUsed.clear();
			for (const slab of [...retired, current]) {
				for (const slot of slab.dirty) {
					const at = slab.usedAt[slot]!;
					if (at === 0) continue; // removed meanwhile: already in pendingUsed
					const id = slab.ids[slot]!;
					if (!((out.get(id) ?? 0) >= at)) out.set(id, at);
					slab.usedAt[slot] = 0;
				}
				slab.dirty = [];
			}
			retired = [];
			return out;
		},
		/** About how many tokens have uses noted and not yet taken (a token that left the cache may count twice). */
		usedCount(): number {
			let count = pendingUsed.size;
			for (const slab of [...retired, current]) count += slab.dirty.length;
			return count;
		},
		set(key: string, entry: CachedToken) {
			unknown.delete(key);
			current.set(key, entry, pendingUsed);
		},
		setUnknown(key: string) {
			if (!current.slotByKey.has(key)) unknown.set(key, true);
		},
		/** Forgets every key of these tokens (revoked, regenerated, …): the next use asks the database. */
		dropIds(tokenIds: Iterable<string>) {
			const ids = [...tokenIds];
			current.dropIds(ids, pendingUsed);
			if (building) {
				building.slab.dropIds(ids, pendingUsed);
				for (const id of ids) building.droppedIds.add(id);
			}
		},
		dropUser(userId: string) {
			current.dropUser(userId, pendingUsed);
			if (building) {
				building.slab.dropUser(userId, pendingUsed);
				building.droppedUsers.add(userId);
			}
		},
		/**
		 * Which users are not active now (every other owner is): what a sync read. Their cached tokens
		 * stay and are refused (`owner_inactive`) until they are active again or revoked. Answers the
		 * owners of cached tokens who were active until now.
		 */
		setInactiveOwners(userIds: ReadonlySet<string>): string[] {
			const slab = current;
			const newly: string[] = [];
			const flags = new Uint8Array(slab.inactiveOwners.length);
			// Only owners of cached tokens matter here; a token loaded later brings its owner's state.
			for (const userId of userIds) {
				const index = slab.userTable.indexOf(userId);
				if (index === undefined) continue;
				if (slab.inactiveOwners[index] === 0) newly.push(userId);
				flags[index] = 1;
			}
			slab.inactiveOwners = flags;
			return newly;
		},
		/** Starts a full reload (a second one started before the first finished replaces it). */
		reload(): CacheReload {
			const state = { slab: new Slab(), droppedIds: new Set<string>(), droppedUsers: new Set<string>() };
			building = state;
			return {
				add(key, entry) {
					// Dropped while this reload ran: the page it came from was read before the change.
					if (building !== state || state.droppedIds.has(entry.id) || (entry.userId !== null && state.droppedUsers.has(entry.userId))) return;
					state.slab.set(key, entry, pendingUsed);
				},
				finish(at) {
					if (building !== state) return [];
					building = null;
					const previous = current;
					current = state.slab;
					retired.push(previous);
					confirmedAt = at;
					const next = current;
					return (function* gone() {
						let batch: string[] = [];
						for (const id of previous.slotsById.keys()) {
							if (!next.slotsById.has(id)) batch.push(id);
							if (batch.length === 10_000) {
								yield batch;
								batch = [];
							}
						}
						if (batch.length) yield batch;
					})();
				},
			};
		},
		/** A whole reload at once (tests, and small tables): `reload()`, every entry, `finish()`. */
		replaceAll(entries: Iterable<[string, CachedToken]>, at: number): string[] {
			const reload = this.reload();
			for (const [key, entry] of entries) reload.add(key, entry);
			return [...reload.finish(at)].flat();
		},
		confirm(at: number) {
			confirmedAt = at;
		},
		forgetUnknown() {
			unknown.clear();
		},
		/** The full entry of a key (tests and diagnostics; not the hot path). */
		peek(key: string): CachedToken | undefined {
			const slot = current.slotByKey.get(key);
			return slot === undefined ? undefined : read(current, slot, {} as CachedToken);
		},
		sizes: () => ({ valid: current.slotByKey.size, invalid: unknown.size }),
	};
}

export type TokenCache = ReturnType<typeof createTokenCache>;
