/**
 * The hash of a string for `SlotTable`: keys are SHA-256 digests and ids random UUIDs, so a few of
 * their characters are as good as all of them: its length and its first and last four characters,
 * each four packed little-endian (as `hashWords` takes them), mixed. The hot path reads eight
 * characters, not 32.
 */
export function hashString(s: string): number {
	const n = s.length;
	if (n >= 8) {
		const first = s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
		const last = s.charCodeAt(n - 4) | (s.charCodeAt(n - 3) << 8) | (s.charCodeAt(n - 2) << 16) | (s.charCodeAt(n - 1) << 24);
		return hashWords(n, first, last);
	}
	let h = Math.imul(n, 0x9e3779b1);
	for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	return finish(h);
}

/** `hashString` of a string of `length` ≥ 8 whose first and last four characters pack to these words. */
export function hashWords(length: number, first: number, last: number): number {
	return finish(Math.imul(Math.imul(length, 0x9e3779b1) ^ first, 0x85ebca6b) ^ last);
}

function finish(h: number): number {
	h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
	return h ^ (h >>> 12);
}

/** Where a table's strings live: the caller keeps them, the table keeps only slot numbers. */
export interface SlotStrings {
	/** `hashString` of the string in `slot`. */
	hashAt(slot: number): number;
	/** Whether `slot` holds `key`. */
	holds(slot: number, key: string): boolean;
}

/** Strings kept as JavaScript strings, one per slot. */
export function stringSlots(stringAt: (slot: number) => string | undefined): SlotStrings {
	return {
		hashAt: (slot) => hashString(stringAt(slot)!),
		holds: (slot, key) => stringAt(slot) === key,
	};
}

/** Shards of a table (by the hash's top 8 bits), and the fewest cells a shard has. */
const SHARD_BITS = 8;
const MIN_CELLS = 16;

/**
 * Strings to slot numbers in Int32Arrays (open addressing, linear probing, at most half full). A
 * `Map` of a million entries rehashes all of them at once as it grows, and so would one big table:
 * ~300 ms with the event loop held, measured. This one is 256 shards that grow one at a time (a few
 * thousand entries each at a million: a fraction of a millisecond each). (Sizing them ahead for a
 * reload of known size was slower: 8 MB of fresh memory at once held the loop ~30 ms.) The strings
 * themselves stay with the caller (`SlotStrings`); a cell holds slot + 1 (0: empty).
 */
export class SlotTable {
	private readonly shards: Int32Array[] = [];
	/** Entries per shard. */
	private readonly counts = new Int32Array(1 << SHARD_BITS);
	size = 0;

	constructor(private readonly strings: SlotStrings) {
		for (let i = 0; i < 1 << SHARD_BITS; i++) this.shards.push(new Int32Array(MIN_CELLS));
	}

	/** The shard and cell holding `key`, as shard * 2^32 + cell, or -1. */
	private cellOf(key: string): number {
		const h = hashString(key);
		const shard = h >>> (32 - SHARD_BITS);
		const cells = this.shards[shard]!;
		const mask = cells.length - 1;
		for (let i = h & mask; ; i = (i + 1) & mask) {
			const cell = cells[i]!;
			if (cell === 0) return -1;
			if (this.strings.holds(cell - 1, key)) return shard * 2 ** 32 + i;
		}
	}

	/** The slot of `key`, or -1. */
	find(key: string): number {
		const h = hashString(key);
		const cells = this.shards[h >>> (32 - SHARD_BITS)]!;
		const mask = cells.length - 1;
		for (let i = h & mask; ; i = (i + 1) & mask) {
			const cell = cells[i]!;
			if (cell === 0) return -1;
			if (this.strings.holds(cell - 1, key)) return cell - 1;
		}
	}

	/** Adds `slot` under its string, which must not be in the table yet. */
	add(slot: number): void {
		const h = this.strings.hashAt(slot);
		const shard = h >>> (32 - SHARD_BITS);
		let cells = this.shards[shard]!;
		if (this.counts[shard]! + 1 > cells.length / 2) cells = this.shards[shard] = this.regrown(cells);
		place(cells, h, slot);
		this.counts[shard] = this.counts[shard]! + 1;
		this.size += 1;
	}

	/** Points `key` at another slot holding the same string. */
	repoint(key: string, slot: number): void {
		const at = this.cellOf(key);
		this.shards[Math.floor(at / 2 ** 32)]![at % 2 ** 32] = slot + 1;
	}

	/** Removes `key` (and shifts back the cells its removal would cut off from their probe start). */
	remove(key: string): boolean {
		const at = this.cellOf(key);
		if (at < 0) return false;
		const shard = Math.floor(at / 2 ** 32);
		const cells = this.shards[shard]!;
		const mask = cells.length - 1;
		let hole = at % 2 ** 32;
		for (let j = (hole + 1) & mask; cells[j] !== 0; j = (j + 1) & mask) {
			const home = this.strings.hashAt(cells[j]! - 1) & mask;
			// The cell at j stays when its probe start lies cyclically in (hole, j].
			const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
			if (stays) continue;
			cells[hole] = cells[j]!;
			hole = j;
		}
		cells[hole] = 0;
		this.counts[shard] = this.counts[shard]! - 1;
		this.size -= 1;
		return true;
	}

	private regrown(old: Int32Array): Int32Array {
		const cells = new Int32Array(old.length * 2);
		for (let i = 0; i < old.length; i++) if (old[i] !== 0) place(cells, this.strings.hashAt(old[i]! - 1), old[i]! - 1);
		return cells;
	}
}

function place(cells: Int32Array, h: number, slot: number): void {
	const mask = cells.length - 1;
	let i = h & mask;
	while (cells[i] !== 0) i = (i + 1) & mask;
	cells[i] = slot + 1;
}
