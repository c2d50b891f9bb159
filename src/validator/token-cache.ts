/**
 * The validator's memory: live tokens by key (the SHA-256 of the token, as 32 one-byte characters),
 * an id index so events can drop them, and a bounded LRU of keys known not to exist. Freshness follows
 * the jsDelivr note: an entry is good for `ttlMs` after a miss loaded it or after the last sync that
 * confirmed it.
 *
 * A million tokens must fit in well under 300 bytes each (`npm run bench`), so entries live in a slab
 * of 64-byte numeric records (one per key, one cache line: a lookup touches one line, not one per
 * field) instead of one object each; owners and scope/origin lists are stored once and referenced by
 * number (a service may see millions of distinct lists: app tokens are bound to their page's origin).
 * Nothing is kept per use: an answer is built when asked for, and a use is one number in its record
 * until the next flush.
 *
 * Keys and ids find their slots through `SlotTable`s, and slots come in fixed chunks: nothing a
 * million entries live in ever grows by copying or rehashing all of it at once (a `Map` or an array
 * of a million did, for hundreds of milliseconds with the event loop held).
 *
 * A full reload builds a new slab beside the one serving (`reload()`), fed page by page, and swaps
 * them in one step, so a sync never holds the event loop; the new slab starts with fresh tables, so
 * lists and owners never pile up. `token-cache.model.test.ts` proves every answer against plain Maps.
 */
import { LRUCache } from 'lru-cache';
import { TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
import type { ValidToken } from './types.js';
import { hashWords, SlotTable, stringSlots } from './slot-table.js';

/** What the cache knows of one key. */
export interface CachedToken {
	id: string;
	userId: string | null;
	kind: TokenKind;
	/** Its rate-limit tier: an anonymous token's own, else its kind. */
	tier: string;
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
export type CacheHit = Pick<CachedToken, 'id' | 'kind' | 'tier' | 'scopes' | 'origins' | 'expiresAt' | 'revoked' | 'graceUntil' | 'ownerActive'> & { slot: number };

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

/**
 * A slot's numbers, side by side in one 64-byte record of its chunk's `records` (one cache line: a
 * lookup among a million tokens touches it once, where one array per field would touch eight).
 */
const LOADED = 0; // when a miss loaded it (ms); 0: a sync did
const EXPIRES = 1; // ms; NaN: never
const GRACE = 2; // ms; NaN: not a grace entry
const USED_AT = 3; // last use not yet taken by `takeUsed` (ms); 0: none since
const USER = 4; // interned owner; -1: none
const SCOPES = 5; // interned scope list
const ORIGINS = 6; // interned origin list
const FLAGS = 7; // kind index (bits 0-7), REVOKED (bit 8), interned tier (bits 9 and up)
const STRIDE = 8;
const KIND_MASK = 255;
const REVOKED = 256;
const TIER_SHIFT = 9;

/**
 * Slots come in chunks of 16,384 (1 MB of records): a slab grows by adding one, never by copying
 * what it holds (copying a million records into fresh memory held the event loop ~300 ms, measured).
 */
const CHUNK_BITS = 14;
const CHUNK_SLOTS = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK_SLOTS - 1;

/** A key is the SHA-256 of a token as 32 one-byte characters, kept as 8 numbers (4 characters each). */
const KEY_LENGTH = 32;
const KEY_WORDS = 8;

/** Four characters of a key from `at`, as one number (little-endian, as `hashWords` takes them). */
function wordOf(key: string, at: number): number {
	return key.charCodeAt(at) | (key.charCodeAt(at + 1) << 8) | (key.charCodeAt(at + 2) << 16) | (key.charCodeAt(at + 3) << 24);
}

class Chunk {
	/** `STRIDE` numbers per slot: field F of the chunk's slot i is `records[i * STRIDE + F]`. */
	readonly records = new Float64Array(CHUNK_SLOTS * STRIDE);
	/**
	 * Keys, `KEY_WORDS` numbers per slot, not strings: a lookup compares them where the record is,
	 * and a million keys are nothing for the garbage collector to trace or copy.
	 */
	readonly keyWords = new Int32Array(CHUNK_SLOTS * KEY_WORDS);
	/** Token ids; `undefined`: a free slot. */
	readonly ids: (string | undefined)[] = new Array<string | undefined>(CHUNK_SLOTS).fill(undefined);
	/** The next slot of the same token, or -1. */
	readonly nextOfId = new Int32Array(CHUNK_SLOTS);
}

/** Grows by a quarter, not by doubling: doubling would waste up to half of the array. */
function grow(array: Uint8Array<ArrayBuffer>, size: number): Uint8Array<ArrayBuffer> {
	if (size <= array.length) return array;
	const next = new Uint8Array(Math.max(size, Math.ceil(array.length * 1.25), 1024));
	next.set(array);
	return next;
}

/** One generation of entries: what `get` answers from, or what a reload is building. */
class Slab {
	readonly chunks: Chunk[] = [];
	readonly byKey: SlotTable;
	/** Each id's first slot; the others (a second one only during a regenerate grace period) follow `nextOfId`. */
	readonly byId: SlotTable;
	/** Slots whose `usedAt` was set since the last `takeUsed` (each once). */
	dirty: number[] = [];
	free: number[] = [];
	used = 0;
	userTable = new Interner<string>();
	listTable = new Interner<readonly string[]>();
	tierTable = new Interner<string>();
	/** Per interned user: 1 when the database says they are not active (their tokens are refused). */
	inactiveOwners = new Uint8Array(0);

	constructor() {
		this.byKey = new SlotTable({
			hashAt: (slot) => {
				const words = this.chunks[slot >>> CHUNK_BITS]!.keyWords;
				const at = (slot & IN_CHUNK) * KEY_WORDS;
				return hashWords(KEY_LENGTH, words[at]!, words[at + KEY_WORDS - 1]!);
			},
			holds: (slot, key) => {
				if (key.length !== KEY_LENGTH) return false;
				const words = this.chunks[slot >>> CHUNK_BITS]!.keyWords;
				const at = (slot & IN_CHUNK) * KEY_WORDS;
				for (let i = 0; i < KEY_WORDS; i++) if (words[at + i] !== wordOf(key, i * 4)) return false;
				return true;
			},
		});
		this.byId = new SlotTable(stringSlots((slot) => this.idAt(slot)));
	}

	get size(): number {
		return this.byKey.size;
	}

	/** The key of a slot in use (rebuilt from its numbers: for drops, not lookups). */
	keyAt(slot: number): string {
		const words = this.chunks[slot >>> CHUNK_BITS]!.keyWords;
		const at = (slot & IN_CHUNK) * KEY_WORDS;
		let key = '';
		for (let i = 0; i < KEY_WORDS; i++) {
			const word = words[at + i]!;
			key += String.fromCharCode(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
		}
		return key;
	}

	idAt(slot: number): string | undefined {
		return this.chunks[slot >>> CHUNK_BITS]?.ids[slot & IN_CHUNK];
	}

	field(slot: number, field: number): number {
		return this.chunks[slot >>> CHUNK_BITS]!.records[(slot & IN_CHUNK) * STRIDE + field]!;
	}

	setField(slot: number, field: number, value: number): void {
		this.chunks[slot >>> CHUNK_BITS]!.records[(slot & IN_CHUNK) * STRIDE + field] = value;
	}

	nextOfId(slot: number): number {
		return this.chunks[slot >>> CHUNK_BITS]!.nextOfId[slot & IN_CHUNK]!;
	}

	setNextOfId(slot: number, next: number): void {
		this.chunks[slot >>> CHUNK_BITS]!.nextOfId[slot & IN_CHUNK] = next;
	}

	allocate(): number {
		const slot = this.free.pop() ?? this.used++;
		if (slot >>> CHUNK_BITS === this.chunks.length) this.chunks.push(new Chunk());
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
		const slot = this.byKey.find(key);
		if (slot < 0) return;
		this.byKey.remove(key);
		const id = this.idAt(slot)!;
		const next = this.nextOfId(slot);
		const first = this.byId.find(id);
		if (first === slot) {
			if (next < 0) this.byId.remove(id);
			else this.byId.repoint(id, next);
		} else {
			let before = first;
			while (this.nextOfId(before) !== slot) before = this.nextOfId(before);
			this.setNextOfId(before, next);
		}
		const usedAt = this.field(slot, USED_AT);
		if (usedAt > 0) {
			if (!((pendingUsed.get(id) ?? 0) >= usedAt)) pendingUsed.set(id, usedAt);
			this.setField(slot, USED_AT, 0);
		}
		this.chunks[slot >>> CHUNK_BITS]!.ids[slot & IN_CHUNK] = undefined;
		this.free.push(slot);
	}

	set(key: string, entry: CachedToken, pendingUsed: Map<string, number>): void {
		this.remove(key, pendingUsed);
		// Not a SHA-256 (a hand-edited row): no token's key can be it, nothing to keep.
		if (key.length !== KEY_LENGTH) return;
		const slot = this.allocate();
		const chunk = this.chunks[slot >>> CHUNK_BITS]!;
		for (let i = 0; i < KEY_WORDS; i++) chunk.keyWords[(slot & IN_CHUNK) * KEY_WORDS + i] = wordOf(key, i * 4);
		chunk.ids[slot & IN_CHUNK] = entry.id;
		const at = (slot & IN_CHUNK) * STRIDE;
		const records = chunk.records;
		records[at + USER] = entry.userId === null ? -1 : this.internUser(entry.userId, entry.ownerActive);
		const tier = this.tierTable.add(entry.tier, () => entry.tier);
		records[at + FLAGS] = TOKEN_KINDS.indexOf(entry.kind) | (entry.revoked ? REVOKED : 0) | (tier << TIER_SHIFT);
		records[at + SCOPES] = this.internList(entry.scopes);
		records[at + ORIGINS] = this.internList(entry.origins);
		records[at + EXPIRES] = entry.expiresAt ?? NaN;
		records[at + GRACE] = entry.graceUntil ?? NaN;
		records[at + LOADED] = entry.loadedAt;
		records[at + USED_AT] = 0;
		this.byKey.add(slot);
		const first = this.byId.find(entry.id);
		if (first < 0) {
			this.setNextOfId(slot, -1);
			this.byId.add(slot);
		} else {
			this.setNextOfId(slot, this.nextOfId(first));
			this.setNextOfId(first, slot);
		}
	}

	slotsOf(id: string): number[] {
		const slots: number[] = [];
		for (let slot = this.byId.find(id); slot >= 0; slot = this.nextOfId(slot)) slots.push(slot);
		return slots;
	}

	/** Whether it holds a key of this token. */
	hasId(id: string): boolean {
		return this.byId.find(id) >= 0;
	}

	/** Each token id it holds, once. */
	*tokenIds(): Generator<string> {
		for (let slot = 0; slot < this.used; slot++) {
			const id = this.idAt(slot);
			if (id !== undefined && this.byId.find(id) === slot) yield id;
		}
	}

	dropIds(tokenIds: Iterable<string>, pendingUsed: Map<string, number>): void {
		for (const id of tokenIds) for (const slot of this.slotsOf(id)) this.remove(this.keyAt(slot), pendingUsed);
	}

	dropUser(userId: string, pendingUsed: Map<string, number>): void {
		const index = this.userTable.indexOf(userId);
		if (index === undefined) return;
		for (let slot = 0; slot < this.used; slot++) {
			if (this.idAt(slot) !== undefined && this.field(slot, USER) === index) this.remove(this.keyAt(slot), pendingUsed);
		}
	}

	ownerActive(slot: number): boolean {
		const user = this.field(slot, USER);
		return user < 0 || this.inactiveOwners[user] === 0;
	}

	userOf(slot: number): string | null {
		const user = this.field(slot, USER);
		return user < 0 ? null : this.userTable.values[user]!;
	}

	/** Reads a slot into `into` (every field but `id`, `userId` and `loadedAt`). */
	readInto(slot: number, into: CacheHit): CacheHit {
		const chunk = this.chunks[slot >>> CHUNK_BITS]!;
		const records = chunk.records;
		const at = (slot & IN_CHUNK) * STRIDE;
		const flags = records[at + FLAGS]!;
		const expiresAt = records[at + EXPIRES]!;
		const graceUntil = records[at + GRACE]!;
		into.slot = slot;
		into.id = chunk.ids[slot & IN_CHUNK]!;
		into.kind = TOKEN_KINDS[flags & KIND_MASK]!;
		into.revoked = (flags & REVOKED) !== 0;
		into.tier = this.tierTable.values[flags >>> TIER_SHIFT]!;
		into.scopes = this.listTable.values[records[at + SCOPES]!]!;
		into.origins = this.listTable.values[records[at + ORIGINS]!]!;
		into.expiresAt = expiresAt === expiresAt ? expiresAt : null; // NaN: never
		into.graceUntil = graceUntil === graceUntil ? graceUntil : null;
		into.ownerActive = this.ownerActive(slot);
		return into;
	}

	/** Notes a use of the slot's token at `at`, for the next `takeUsed`. */
	markUsed(slot: number, at: number): void {
		const records = this.chunks[slot >>> CHUNK_BITS]!.records;
		const field = (slot & IN_CHUNK) * STRIDE + USED_AT;
		if (records[field] === 0) this.dirty.push(slot);
		records[field] = at;
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

	function read(slab: Slab, slot: number): CachedToken {
		const { slot: _, ...entry } = slab.readInto(slot, {} as CacheHit);
		return { ...entry, userId: slab.userOf(slot), loadedAt: slab.field(slot, LOADED) };
	}

	return {
		/** A fresh entry for `key`, `'unknown'` if known not to exist, or `undefined` (ask the database). */
		get(key: string, at: number): CacheHit | 'unknown' | undefined {
			const slab = current;
			const slot = slab.byKey.find(key);
			if (slot >= 0) {
				if (at < Math.max(slab.field(slot, LOADED), confirmedAt) + ttlMs) return slab.readInto(slot, hit);
				slab.remove(key, pendingUsed);
				return undefined;
			}
			return unknown.get(key) ? 'unknown' : undefined;
		},
		/** The token of a hit, as `validate` answers it (a new object: callers may keep it). */
		validToken(entry: CacheHit): ValidToken {
			return {
				id: entry.id,
				userId: current.userOf(entry.slot),
				kind: entry.kind,
				scopes: entry.scopes as string[],
				origins: entry.origins as string[],
				tier: entry.tier,
				expiresAt: entry.expiresAt === null ? null : new Date(entry.expiresAt),
			};
		},
		/** Notes a use of a hit's token, for the next last-used flush. */
		markUsed(entry: CacheHit, at: number): void {
			current.markUsed(entry.slot, at);
		},
		/** Notes a use of a token judged outside the slab (a miss's answer): on its slot if it has one. */
		markUsedByKey(key: string, id: string, at: number): void {
			const slab = current;
			const slot = slab.byKey.find(key);
			if (slot < 0 || slab.idAt(slot) !== id) {
				if (!((pendingUsed.get(id) ?? 0) >= at)) pendingUsed.set(id, at);
				return;
			}
			slab.markUsed(slot, at);
		},
		/** Every use noted since the last call, the latest per token. */
		takeUsed(): Map<string, number> {
			const out = new Map(pendingUsed);
			pendingUsed.clear();
			for (const slab of [...retired, current]) {
				for (const slot of slab.dirty) {
					const at = slab.field(slot, USED_AT);
					if (at === 0) continue; // removed meanwhile: already in pendingUsed
					const id = slab.idAt(slot)!;
					if (!((out.get(id) ?? 0) >= at)) out.set(id, at);
					slab.setField(slot, USED_AT, 0);
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
			if (current.byKey.find(key) < 0) unknown.set(key, true);
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
					// Kept only while it holds uses no flush has taken (a validator that does not track
					// last use never takes them: kept, every replaced slab would stay in memory for good).
					if (previous.dirty.length > 0) retired.push(previous);
					confirmedAt = at;
					const next = current;
					return (function* gone() {
						let batch: string[] = [];
						for (const id of previous.tokenIds()) {
							if (!next.hasId(id)) batch.push(id);
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
			const slot = current.byKey.find(key);
			return slot < 0 ? undefined : read(current, slot);
		},
		/** Entries cached, unknown keys remembered, replaced slabs kept for their untaken uses. */
		sizes: () => ({ valid: current.size, invalid: unknown.size, retired: retired.length }),
	};
}

export type TokenCache = ReturnType<typeof createTokenCache>;
