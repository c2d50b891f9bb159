/**
 * `SlotTable` against the `Map` it replaced: random adds, removes (with their backward shifts) and
 * lookups, over keys that collide on purpose (a few shared first and last characters) and past
 * every growth of its shards (16 cells each to 256).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SlotTable, stringSlots } from './slot-table.js';

function harness() {
	const strings: (string | undefined)[] = [];
	const table = new SlotTable(stringSlots((slot) => strings[slot]));
	const model = new Map<string, number>();
	return {
		add(key: string) {
			if (model.has(key)) return;
			const slot = strings.push(key) - 1;
			table.add(slot);
			model.set(key, slot);
		},
		remove(key: string) {
			expect(table.remove(key)).toBe(model.delete(key));
		},
		check(key: string) {
			expect(table.find(key)).toBe(model.get(key) ?? -1);
		},
		checkAll(pool: readonly string[]) {
			const wrong = pool.filter((key) => table.find(key) !== (model.get(key) ?? -1));
			expect(wrong.length).toBe(0);
			expect(table.size).toBe(model.size);
		},
	};
}

/** Keys of three shapes: SHA-256-like, UUID-like, and short ones that share all their characters but one. */
function pool(size: number, seed: number): string[] {
	let state = seed;
	const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
	const out = new Set<string>();
	while (out.size < size) {
		const shape = random() % 3;
		if (shape === 0) out.add(String.fromCharCode(...Array.from({ length: 32 }, () => random() & 0xff)));
		else if (shape === 1) out.add(`${(random() % 16).toString(16)}abc-0000-4000-8000-00000000${(random() % 4096).toString(16)}`);
		else out.add(`k${random() % 100_000}`);
	}
	return [...out];
}

describe('SlotTable', () => {
	it('answers as a Map would through random adds, removes and lookups', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.array(fc.tuple(fc.constantFrom('add', 'remove', 'find'), fc.nat()), { minLength: 1, maxLength: 3_000 }), (seed, commands) => {
				const keys = pool(400, seed);
				const h = harness();
				for (const [command, n] of commands) {
					const key = keys[n % keys.length]!;
					if (command === 'add') h.add(key);
					else if (command === 'remove') h.remove(key);
					else h.check(key);
				}
				h.checkAll(keys);
			}),
			{ numRuns: 60 },
		);
	});

	it('grows every shard past each size boundary up to 256 cells and empties again, exact all along', () => {
		const keys = pool(20_000, 7);
		const h = harness();
		for (let i = 0; i < keys.length; i++) {
			h.add(keys[i]!);
			if (i % 500 === 0) h.checkAll(keys);
		}
		h.checkAll(keys);
		for (let i = 0; i < keys.length; i += 2) h.remove(keys[i]!);
		h.checkAll(keys);
		for (let i = 1; i < keys.length; i += 2) h.remove(keys[i]!);
		h.checkAll(keys);
		for (const key of keys.slice(0, 600)) h.add(key);
		h.checkAll(keys);
	});
});
