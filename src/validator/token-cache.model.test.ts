/**
 * The token cache (typed-array slabs, interned owners and lists) against the plain structure it
 * replaces: a `Map` of entries, a `Map` of unknown hashes and a `Map` of owners' states. fast-check
 * runs random command sequences (set, get and use, drop by id, drop by user, full reloads whole and
 * page by page with events between, owners' states, grace entries, unknown hashes, taking the uses,
 * the clock) and compares every answer. One command loads more than
 * 65,536 distinct scope and origin lists, past the width list numbers once had.
 *
 * `CACHE_MODEL_RUNS=<n>` widens a run; `npm run test:cache-model` runs about two million commands
 * (20,000 sequences, no bulk load).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
import { digestToken } from './token-key.js';
import { createTokenCache, type CacheReload, type CachedToken, type CacheHit, type TokenCache } from './token-cache.js';

const TTL = 120_000;
const RUNS = Number(process.env.CACHE_MODEL_RUNS ?? 20);
/** Tokens of the one bulk load per sequence (0: none, for long runs of small commands). */
const BULK = Number(process.env.CACHE_MODEL_BULK ?? 70_000);

interface Model {
	entries: Map<string, CachedToken>;
	/** Unknown hashes: when they were remembered. */
	unknown: Map<string, number>;
	/** Owners' states, as the last load or sync said. */
	owners: Map<string, boolean>;
	confirmedAt: number;
	/** Bulk loads so far (one per sequence: each costs 70,000 entries). */
	bulks: number;
	/** A reload under way: what it has added, and what was dropped while it ran. */
	building: { entries: Map<string, CachedToken>; droppedIds: Set<string>; droppedUsers: Set<string> } | null;
	/** Uses noted and not yet taken: token id → latest time. */
	used: Map<string, number>;
}
interface Real {
	cache: TokenCache;
	clock: { now: number };
	reload: CacheReload | null;
}

type Command = fc.Command<Model, Real>;

let serial = 0;
/**
 * Keys are SHA-256 digests as 32 one-byte characters, as the validator makes them (the cache hashes
 * a key by its first and last four characters, which a digest spreads evenly).
 */
const asKey = (name: string) => createHash('sha256').update(name).digest().toString('latin1');
const fresh = () => asKey(`h${serial++}`);

/** What a hit tells, comparable to a model entry. */
function view(hit: CacheHit | CachedToken) {
	return { id: hit.id, kind: hit.kind, tier: hit.tier, scopes: [...hit.scopes], origins: [...hit.origins], expiresAt: hit.expiresAt, revoked: hit.revoked, graceUntil: hit.graceUntil, ownerActive: hit.ownerActive };
}

function modelSet(model: Model, hash: string, entry: CachedToken) {
	model.entries.set(hash, entry);
	model.unknown.delete(hash);
	if (entry.userId !== null) model.owners.set(entry.userId, entry.ownerActive);
}

function expectEqual(actual: unknown, expected: unknown, what: string) {
	const [a, b] = [JSON.stringify(actual), JSON.stringify(expected)];
	if (a !== b) throw new Error(`${what}: cache ${a.slice(0, 400)} vs model ${b.slice(0, 400)}`);
}

/** The model's answer for `hash` at `at` (dropping what went stale, as the cache does). */
function modelGet(model: Model, hash: string, at: number): ReturnType<typeof view> | 'unknown' | undefined {
	const entry = model.entries.get(hash);
	if (entry) {
		if (at < Math.max(entry.loadedAt, model.confirmedAt) + TTL) {
			return { ...view(entry), ownerActive: entry.userId === null || model.owners.get(entry.userId) !== false };
		}
		model.entries.delete(hash);
		return undefined;
	}
	const since = model.unknown.get(hash);
	if (since !== undefined && at - since <= TTL) return 'unknown';
	model.unknown.delete(hash);
	return undefined;
}

const hashes = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => asKey(`k${i}`)));
const ids = fc.constantFrom(...Array.from({ length: 25 }, (_, i) => `id${i}`));
const users = fc.constantFrom(null, ...Array.from({ length: 8 }, (_, i) => `u${i}`));
const list: fc.Arbitrary<string[]> = fc.oneof(fc.constant<string[]>([]), fc.array(fc.constantFrom<string>('read', 'write', 'directus', 'https://a.example.com', 'x'), { maxLength: 3 }), fc.integer({ min: 0, max: 300_000 }).map((n) => [`l${n}`]));
const entry = (loadedAt: fc.Arbitrary<number>) =>
	fc.record({
		id: ids,
		userId: users,
		kind: fc.constantFrom<TokenKind>(...TOKEN_KINDS),
		// Many tiers: their interned numbers share a record field with the kind and the revoked flag.
		tier: fc.oneof(fc.constantFrom('open', 'trusted', 'personal'), fc.integer({ min: 0, max: 5_000 }).map((n) => `t${n}`)),
		scopes: list,
		origins: list,
		expiresAt: fc.option(fc.integer({ min: 0, max: 10 * TTL }), { nil: null }),
		revoked: fc.boolean(),
		graceUntil: fc.option(fc.integer({ min: 0, max: 10 * TTL }), { nil: null }),
		ownerActive: fc.boolean(),
		loadedAt,
	});

const commands: Array<fc.Arbitrary<Command>> = [
	fc.tuple(hashes, entry(fc.constantFrom(0, 1))).map(([hash, e]): Command => ({
		check: () => true,
		run(model, real) {
			const loaded = { ...e, loadedAt: e.loadedAt === 0 ? 0 : real.clock.now };
			real.cache.set(hash, loaded);
			modelSet(model, hash, loaded);
		},
		toString: () => `set ${hash}`,
	})),
	fc.tuple(hashes, fc.boolean()).map(([hash, use]): Command => ({
		check: () => true,
		run(model, real) {
			const answer = real.cache.get(hash, real.clock.now);
			const expected = modelGet(model, hash, real.clock.now);
			expectEqual(answer && answer !== 'unknown' ? view(answer) : answer, expected, `get ${hash}`);
			if (use && answer && answer !== 'unknown') {
				expectEqual(real.cache.validToken(answer).id, answer.id, 'validToken');
				real.cache.markUsed(answer, real.clock.now);
				model.used.set(answer.id, Math.max(model.used.get(answer.id) ?? 0, real.clock.now));
			}
		},
		toString: () => `get ${hash}${use ? ' and use' : ''}`,
	})),
	fc.constant<Command>({
		check: () => true,
		run(model, real) {
			expectEqual([...real.cache.takeUsed()].sort(), [...model.used].sort(), 'takeUsed');
			model.used.clear();
		},
		toString: () => 'take used',
	}),
	fc.constant<Command>({
		check: (model) => model.building === null,
		run(model, real) {
			real.reload = real.cache.reload();
			model.building = { entries: new Map(), droppedIds: new Set(), droppedUsers: new Set() };
		},
		toString: () => 'begin reload',
	}),
	fc.tuple(hashes, entry(fc.constant(0))).map(([hash, e]): Command => ({
		check: (model) => model.building !== null,
		run(model, real) {
			real.reload!.add(hash, e);
			const building = model.building!;
			if (building.droppedIds.has(e.id) || (e.userId !== null && building.droppedUsers.has(e.userId))) return;
			building.entries.set(hash, e);
		},
		toString: () => `reload add ${hash}`,
	})),
	fc.constant<Command>({
		check: (model) => model.building !== null,
		run(model, real) {
			const gone = [...real.reload!.finish(real.clock.now)].flat().sort();
			const building = model.building!;
			const before = new Set([...model.entries.values()].map((e) => e.id));
			const after = new Set([...building.entries.values()].map((e) => e.id));
			// What the old generation held, by id, that the new one does not (stale entries count: the slab still holds them).
			expectEqual(gone, [...before].filter((id) => !after.has(id)).sort(), 'gone ids');
			model.entries = new Map();
			model.owners = new Map();
			for (const [hash, e] of building.entries) modelSet(model, hash, e);
			model.confirmedAt = real.clock.now;
			model.building = null;
			real.reload = null;
		},
		toString: () => 'finish reload',
	}),
	hashes.map((hash): Command => ({
		check: () => true,
		run(model, real) {
			real.cache.setUnknown(hash);
			if (!model.entries.has(hash)) model.unknown.set(hash, real.clock.now);
		},
		toString: () => `unknown ${hash}`,
	})),
	fc.array(ids, { maxLength: 3 }).map((dropped): Command => ({
		check: () => true,
		run(model, real) {
			real.cache.dropIds(dropped);
			for (const [hash, e] of model.entries) if (dropped.includes(e.id)) model.entries.delete(hash);
			if (model.building) {
				for (const [hash, e] of model.building.entries) if (dropped.includes(e.id)) model.building.entries.delete(hash);
				for (const id of dropped) model.building.droppedIds.add(id);
			}
		},
		toString: () => `drop ids ${dropped.join(',')}`,
	})),
	users.filter((u): u is string => u !== null).map((user): Command => ({
		check: () => true,
		run(model, real) {
			real.cache.dropUser(user);
			for (const [hash, e] of model.entries) if (e.userId === user) model.entries.delete(hash);
			if (model.building) {
				for (const [hash, e] of model.building.entries) if (e.userId === user) model.building.entries.delete(hash);
				model.building.droppedUsers.add(user);
			}
		},
		toString: () => `drop user ${user}`,
	})),
	fc.array(fc.tuple(hashes, entry(fc.constant(0))), { maxLength: 20 }).map((loaded): Command => ({
		check: (model) => model.building === null,
		run(model, real) {
			real.cache.replaceAll(loaded, real.clock.now);
			model.entries = new Map();
			model.owners = new Map();
			for (const [hash, e] of loaded) modelSet(model, hash, e);
			model.confirmedAt = real.clock.now;
		},
		toString: () => `reload ${loaded.length}`,
	})),
	fc.uniqueArray(users.filter((u): u is string => u !== null), { maxLength: 4 }).map((inactive): Command => ({
		check: () => true,
		run(model, real) {
			real.cache.setInactiveOwners(new Set(inactive));
			for (const user of model.owners.keys()) model.owners.set(user, !inactive.includes(user));
		},
		toString: () => `inactive owners ${inactive.join(',')}`,
	})),
	fc.constant<Command>({
		check: () => true,
		run(model, real) {
			real.cache.confirm(real.clock.now);
			model.confirmedAt = real.clock.now;
		},
		toString: () => 'confirm',
	}),
	fc.constant<Command>({
		check: () => true,
		run(model, real) {
			real.cache.forgetUnknown();
			model.unknown.clear();
		},
		toString: () => 'forget unknown',
	}),
	fc.integer({ min: 1, max: TTL }).map((ms): Command => ({
		check: () => true,
		run(_model, real) {
			real.clock.now += ms;
		},
		toString: () => `advance ${ms}`,
	})),
	// Past every fixed width a list number once had: 70,000 tokens, each with lists of its own.
	fc.constant<Command>({
		check: (model) => BULK > 0 && model.bulks === 0,
		run(model, real) {
			model.bulks += 1;
			const owner = `bulk${serial}`;
			for (let i = 0; i < BULK; i++) {
				const hash = fresh();
				const e: CachedToken = { id: `bulk-${hash}`, userId: owner, kind: 'app', tier: 'app', scopes: [`scope-${hash}`], origins: [`https://${hash}.example.com`], expiresAt: null, revoked: false, graceUntil: null, ownerActive: true, loadedAt: real.clock.now };
				real.cache.set(hash, e);
				modelSet(model, hash, e);
			}
			for (const [hash, e] of model.entries) {
				expectEqual(((answer) => (answer && answer !== 'unknown' ? view(answer) : answer))(real.cache.get(hash, real.clock.now)), modelGet(model, hash, real.clock.now), `after bulk: get ${hash} (${e.id})`);
			}
		},
		toString: () => `bulk ${BULK}`,
	}),
];

describe('slabs replaced by a full reload', () => {
	const token = (id: string): CachedToken => ({ id, userId: null, kind: 'personal', tier: 'personal', scopes: ['read'], origins: [], expiresAt: null, revoked: false, graceUntil: null, ownerActive: true, loadedAt: 0 });
	const all = (ids: string[]): Array<[string, CachedToken]> => ids.map((id) => [digestToken(`token-${id}`), token(id)]);

	it('are let go at once when they hold no untaken uses (a validator that does not track last use keeps none)', () => {
		const cache = createTokenCache({ ttlMs: 60_000, negativeMax: 10, now: () => 0 });
		for (let reload = 0; reload < 5; reload++) cache.replaceAll(all(['a', 'b', 'c']), reload);
		expect(cache.sizes()).toEqual({ valid: 3, invalid: 0, retired: 0 });
	});

	it('are kept until a flush takes their uses, which it does whole', () => {
		const cache = createTokenCache({ ttlMs: 60_000, negativeMax: 10, now: () => 0 });
		cache.replaceAll(all(['a', 'b']), 0);
		const hit = cache.get(digestToken('token-a'), 1);
		expect(hit).toMatchObject({ id: 'a' });
		cache.markUsed(hit as CacheHit, 5);
		cache.replaceAll(all(['a', 'b']), 10);
		cache.replaceAll(all(['a', 'b']), 20);
		expect(cache.sizes().retired).toBe(1);
		expect(cache.takeUsed()).toEqual(new Map([['a', 5]]));
		expect(cache.sizes().retired).toBe(0);
	});
});

describe('the token cache against a plain Map', () => {
	it('answers every command sequence as the model does', () => {
		fc.assert(
			fc.property(fc.commands(commands, { maxCommands: 200 }), (sequence) => {
				const clock = { now: 1_000_000 };
				const real: Real = { cache: createTokenCache({ ttlMs: TTL, negativeMax: 1_000_000, now: () => clock.now }), clock, reload: null };
				const model: Model = { entries: new Map(), unknown: new Map(), owners: new Map(), confirmedAt: -Infinity, bulks: 0, building: null, used: new Map() };
				fc.modelRun(() => ({ model, real }), sequence);
			}),
			{ numRuns: RUNS },
		);
	}, 300_000 + RUNS * 100);
});
