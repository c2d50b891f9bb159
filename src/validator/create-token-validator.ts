/**
 * The validator API services embed. It answers from memory on the hot path: the jsDelivr note's
 * baseline (everything loaded once a minute and trusted for two; a miss asks the database for that
 * one token and remembers the answer for two minutes), plus:
 * - prefix and checksum first, so foreign, truncated and random strings cost no query;
 * - concurrent misses for one token share one query; unknown hashes live in a bounded LRU;
 * - expiry and grace deadlines are checked against the clock on every call;
 * - incremental sync (rows changed since a watermark) with a periodic full reload for hard deletes;
 * - pushed revocations (see `channels.ts`) drop tokens at once; without a channel, polling remains;
 * - database down: cached tokens keep working until their cache time runs out, others are
 *   `unavailable` (never `unknown`), and everything recovers by itself;
 * - last-used times written behind, one statement per flush.
 */
import type { Knex } from 'knex';
import { DEFAULT_PREFIXES, OPEN_ANONYMOUS_TIER } from '../shared/constants.js';
import { parseToken, type TokenPrefixes } from '../core/token-format.js';
import { VALIDATION_FAILURE_CODES, type ValidationFailureCode } from '../core/errors.js';
import { createKeyMemo, hashOfKey, keyOfHash, plausibleTokenTest } from './token-key.js';
import { judgeToken } from '../core/token-liveness.js';
import { createTokenStore, MAX_IDS_PER_STATEMENT, type SyncRecord } from '../core/token-store.js';
import type { TokenEvent } from '../core/token-events.js';
import { createTokenCache, type CachedToken } from './token-cache.js';
import type { TokenEventChannel } from './channels.js';
import type { ValidateOptions, ValidationResult, ValidatorStatus, ValidToken } from './types.js';

export interface TokenValidatorOptions {
	/** knex connected to the dashboard's database (read access; write access for last-used times). */
	db: Knex;
	/** Token prefixes per kind, as configured in Directus (`API_TOKENS_PREFIX_*`). */
	prefixes?: TokenPrefixes;
	/** How often to sync (default 60 s, the note's "once a minute"). */
	syncIntervalMs?: number;
	/** How long a loaded answer is trusted (default 120 s, the note's "two minutes"). */
	cacheTtlMs?: number;
	/** Every how many syncs to reload everything instead of the changes (default 10). */
	fullSyncEvery?: number;
	/**
	 * The share of the time a reload beside a serving cache may take (default 0.5, 1 for flat out):
	 * after each page it rests for as long as the page took times (1 - share) / share, leaving the
	 * process and the database to the requests. The first full sync is never paced, and a reload
	 * rests only in its first (cacheTtlMs - syncIntervalMs) / 2, so it ends before the answers it
	 * replaces are no longer trusted.
	 */
	fullSyncShare?: number;
	/** Bound of the unknown-token LRU (default 100,000). */
	negativeCacheMax?: number;
	/** Where revocations are pushed from; without one the validator polls. */
	channel?: TokenEventChannel;
	/** Write last-used times back (default true), at most once per `lastUsedFlushMs` (default 60 s). */
	trackLastUsed?: boolean;
	lastUsedFlushMs?: number;
	/** Injectable clock (ms). */
	now?: () => number;
	logger?: { warn(message: string): void };
	/** Table name, if not `api_tokens`. */
	table?: string;
	/**
	 * About how many recently seen tokens keep their SHA-256 in memory (default 10,000, rounded up
	 * to a power of two; 0 turns it off). A hit skips the hash, the costly step of the hot path; a
	 * miss costs next to nothing, so many tokens in rotation are no slower with it. The price: up to
	 * this many recently used tokens stay in the process's memory, as they already do, briefly, in
	 * request headers.
	 */
	hashMemoSize?: number;
}

export interface TokenValidator {
	validate(token: unknown, options?: ValidateOptions): Promise<ValidationResult>;
	/**
	 * The same answer, synchronously, when memory has it (a cached token, a known-unknown hash, a
	 * malformed string); `undefined` when only the database can tell (then call `validate`).
	 * `requireToken` uses it so a cached token costs no asynchronous hop.
	 *
	 * @example
	 * ```ts
	 * const result = validator.validateNow(bearer, { scopes: ['read'] }) ?? (await validator.validate(bearer, { scopes: ['read'] }));
	 * ```
	 */
	validateNow(token: unknown, options?: ValidateOptions): ValidationResult | undefined;
	/** Loads everything and starts the timers and the channel. */
	start(): Promise<void>;
	stop(): Promise<void>;
	/** One sync now (incremental unless `full`). Resolves false when the database is unreachable. */
	sync(options?: { full?: boolean }): Promise<boolean>;
	/** Writes pending last-used times now. */
	flushLastUsed(): Promise<void>;
	status(): ValidatorStatus;
	/** Applies an event as if it came from the channel (used by channels and tests). */
	applyEvent(event: TokenEvent): void;
	/**
	 * Calls `listener` whenever tokens may have died or changed: revoked, regenerated, refreshed or
	 * narrowed (pushed at once, or seen by the next sync), all of a user's reset, or their owner no
	 * longer active. Ids only, never secrets. For services holding live connections (WebSocket, SSE):
	 * see {@link watchConnection}, which re-checks a connection's token and ends it. Returns a function
	 * that unsubscribes.
	 */
	onTokenChange(listener: (change: TokenChange) => void): () => void;
}

/** What {@link TokenValidator.onTokenChange} tells: which tokens, or all of which user, and why. */
export interface TokenChange {
	tokenIds: readonly string[];
	/** Set when every token of this user is concerned (a reset, the owner no longer active). */
	userId: string | null;
	reason: 'revoked' | 'changed' | 'reset' | 'owner_inactive';
}

/**
 * How far before its start each incremental sync reads changes again. A row carries the time its
 * writer stamped, and becomes visible only when the writer's transaction commits: a reset of 100,000
 * tokens commits seconds after its stamp. A change is therefore read by every sync that starts within
 * this time of it (twice at most with the default one-minute interval), never missed, as long as its
 * transaction took less than this, and writers' clocks are within it of ours.
 */
const SYNC_OVERLAP_MS = 30_000;
/**
 * Rows per query of a full sync: small enough that handling one page, and the garbage collection of
 * what it leaves, holds the event loop briefly (at a million tokens on PostgreSQL, pages of 2,000 held
 * it up to 80 ms, pages of 500 up to 43-64 ms, p99 ~10 ms).
 */
const FULL_SYNC_PAGE = 500;
/**
 * Rows per query of an incremental sync: larger, as a mass change (a reset of 100,000 tokens) must be
 * read within one sync interval, and changed rows are few between syncs otherwise.
 */
const CHANGES_PAGE = 2_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Refusals are the same objects every time: nothing is allocated to refuse. */
const FAILED = Object.fromEntries(VALIDATION_FAILURE_CODES.map((code) => [code, Object.freeze({ valid: false as const, code })])) as {
	readonly [C in ValidationFailureCode]: Readonly<{ valid: false; code: C }>;
};

function viewOf(entry: CachedToken): ValidToken {
	return {
		id: entry.id,
		userId: entry.userId,
		kind: entry.kind,
		scopes: entry.scopes as string[],
		origins: entry.origins as string[],
		tier: entry.tier,
		expiresAt: entry.expiresAt === null ? null : new Date(entry.expiresAt),
	};
}

/**
 * @example
 * ```ts
 * import knex from 'knex';
 * import { createTokenValidator, redisChannel } from 'directus-extension-api-tokens/validator';
 * const validator = createTokenValidator({ db: knex(config), channel: redisChannel(process.env.REDIS_URL) });
 * await validator.start();
 * const result = await validator.validate(bearer, { scopes: ['measurements'], origin: req.headers.origin });
 * ```
 */
export function createTokenValidator(options: TokenValidatorOptions): TokenValidator {
	const now = options.now ?? Date.now;
	const prefixes = options.prefixes ?? DEFAULT_PREFIXES;
	const ttlMs = options.cacheTtlMs ?? 120_000;
	const syncIntervalMs = options.syncIntervalMs ?? 60_000;
	const fullSyncEvery = options.fullSyncEvery ?? 10;
	const fullSyncShare = Math.min(1, Math.max(0.05, options.fullSyncShare ?? 0.5));
	// Pacing never makes a reload outlast the answers it replaces: they are trusted for `ttlMs` after
	// the last successful sync, and the next sync starts `syncIntervalMs` after it. A reload rests only
	// in the first half of the time between (30 s by default), then finishes flat out.
	const pacedForMs = Math.max(0, (ttlMs - syncIntervalMs) / 2);
	const lastUsedFlushMs = options.lastUsedFlushMs ?? 60_000;
	const store = createTokenStore(options.db, { now: () => new Date(now()), ...(options.table ? { table: options.table } : {}) });
	const cache = createTokenCache({ ttlMs, negativeMax: options.negativeCacheMax ?? 100_000, now });
	const inFlight = new Map<string, Promise<CachedToken | null>>();
	const trackLastUsed = options.trackLastUsed !== false;
	const memo = createKeyMemo(options.hashMemoSize ?? 10_000);
	const plausible = plausibleTokenTest(prefixes);
	/** Uses a flush could not write yet (its chunk failed, or the flush ran out of time): id → time. */
	const unflushed = new Map<string, number>();
	let watermark: { at: Date; id: string | null } | null = null;
	let syncs = 0;
	let lastSyncAt: Date | null = null;
	let lastFullSyncAt: Date | null = null;
	let lastSyncError: string | null = null;
	let lastRevocationLagMs: number | null = null;
	let syncTimer: ReturnType<typeof setTimeout> | null = null;
	let running = false;
	let flushTimer: ReturnType<typeof setInterval> | null = null;
	let syncing: Promise<boolean> | null = null;
	const listeners = new Set<(change: TokenChange) => void>();

	function tell(change: TokenChange) {
		if (change.tokenIds.length === 0 && change.userId === null) return;
		for (const listener of listeners) {
			try {
				listener(change);
			} catch (error) {
				options.logger?.warn(`token validator: a token change listener failed: ${(error as Error).message}`);
			}
		}
	}

	/**
	 * Hands `add` the cache entries of a row: its hash, plus the previous hash while a grace period
	 * runs. One object serves both calls (a sync adds a million; the cache copies what it keeps).
	 */
	function eachEntry(record: SyncRecord, loadedAt: number, add: (key: string, entry: CachedToken) => void): void {
		const entry: CachedToken = {
			id: record.id,
			userId: record.user,
			kind: record.kind,
			tier: record.kind === 'anonymous' ? (record.tier ?? OPEN_ANONYMOUS_TIER) : record.kind,
			scopes: record.scopes,
			origins: record.origins,
			expiresAt: record.expires_at?.getTime() ?? null,
			revoked: record.revoked_at !== null,
			ownerActive: record.ownerActive,
			graceUntil: null,
			loadedAt,
		};
		add(keyOfHash(record.hash), entry);
		const grace = record.grace_until?.getTime() ?? null;
		if (record.previous_hash && grace !== null && grace > now()) {
			entry.graceUntil = grace;
			add(keyOfHash(record.previous_hash), entry);
		}
	}

	function lookup(key: string): Promise<CachedToken | null> {
		let pending = inFlight.get(key);
		if (!pending) {
			pending = store
				.findByHash(hashOfKey(key))
				.then((match) => {
					const at = now();
					if (!match) {
						cache.setUnknown(key);
						return null;
					}
					let answer: CachedToken | null = null;
					let current: CachedToken | null = null;
					eachEntry(match.record, at, (k, entry) => {
						cache.set(k, entry);
						current ??= { ...entry };
						if (k === key) answer = { ...entry };
					});
					// A fresh object: coalesced callers judge it after an await. An old secret past its
					// grace period is not cached, and judged revoked.
					return answer ?? { ...current!, graceUntil: match.record.grace_until?.getTime() ?? 0 };
				})
				.finally(() => inFlight.delete(key));
			inFlight.set(key, pending);
		}
		return pending;
	}

	/** The answer memory holds, or the key the database must be asked about. */
	function fromMemory(token: unknown, request: ValidateOptions): ValidationResult | string {
		if (!plausible(token)) return FAILED.malformed;
		const key = memo.keyOf(token);
		const at = now();
		const hit = cache.get(key, at);
		if (hit === 'unknown') return FAILED.unknown;
		if (hit) {
			const failure = judgeToken(hit, at, request);
			if (failure) return FAILED[failure];
			if (trackLastUsed) cache.markUsed(hit, at);
			return { valid: true, token: cache.validToken(hit) };
		}
		// Not in memory: the checksum first, so a mistyped or made-up token costs no query.
		return parseToken(token, prefixes).ok ? key : FAILED.malformed;
	}

	function validateNow(token: unknown, request: ValidateOptions = {}): ValidationResult | undefined {
		const answer = fromMemory(token, request);
		return typeof answer === 'string' ? undefined : answer;
	}

	async function validate(token: unknown, request: ValidateOptions = {}): Promise<ValidationResult> {
		const answer = fromMemory(token, request);
		if (typeof answer !== 'string') return answer;
		let entry: CachedToken | null;
		try {
			entry = await lookup(answer);
		} catch (error) {
			lastSyncError = (error as Error).message;
			return FAILED.unavailable;
		}
		if (!entry) return FAILED.unknown;
		const at = now();
		const failure = judgeToken(entry, at, request);
		if (failure) return FAILED[failure];
		if (trackLastUsed) cache.markUsedByKey(answer, entry.id, at);
		return { valid: true, token: viewOf(entry) };
	}

	/**
	 * Everything, page by page (keyset over `row_id`), into a new generation built beside the one
	 * serving, yielding to the event loop between pages; then one swap. A reload beside a serving
	 * generation rests after each page so that it takes at most `fullSyncShare` of the time: the
	 * requests it runs beside keep their latency (at a million tokens on PostgreSQL, flat out, cached
	 * validations' p99 rose to 2.4-2.6x idle; paced at half, 1.0-1.2x, for a reload ~1.6x longer).
	 */
	async function fullSync(startedAt: number): Promise<void> {
		// With a generation serving, the reload is background work and is paced; the first one, with
		// nothing cached yet, runs flat out.
		const background = lastFullSyncAt !== null && fullSyncShare < 1;
		const reloadStarted = performance.now();
		const reload = cache.reload();
		const at = new Date(startedAt);
		for (let after: number | null = 0; after !== null; ) {
			const pageStarted = performance.now();
			const page = await store.livePage(after, FULL_SYNC_PAGE, at);
			for (const record of page.live) eachEntry(record, 0, reload.add);
			after = page.lastRowId;
			const pacing = background && performance.now() - reloadStarted < pacedForMs;
			const rest = pacing ? ((performance.now() - pageStarted) * (1 - fullSyncShare)) / fullSyncShare : 0;
			await (rest >= 1 ? sleep(rest) : yieldToEventLoop());
		}
		// Tokens created since the unknown answers were cached must work at once.
		cache.forgetUnknown();
		for (const gone of reload.finish(startedAt)) {
			tell({ tokenIds: gone, userId: null, reason: 'revoked' });
			await yieldToEventLoop();
		}
		watermark = { at: new Date(startedAt - SYNC_OVERLAP_MS), id: null };
		lastFullSyncAt = at;
	}

	/** Rows changed since the watermark, page by page (keyset over `date_updated, id`): all of them, however many. */
	async function incrementalSync(startedAt: number): Promise<void> {
		let cursor = watermark!;
		for (;;) {
			const page = await store.changedPage(cursor, CHANGES_PAGE);
			cache.dropIds(page.map((record) => record.id));
			const revoked: string[] = [];
			const changed: string[] = [];
			for (const record of page) {
				if (record.revoked_at === null) eachEntry(record, 0, cache.set);
				(record.revoked_at === null ? changed : revoked).push(record.id);
			}
			tell({ tokenIds: revoked, userId: null, reason: 'revoked' });
			tell({ tokenIds: changed, userId: null, reason: 'changed' });
			const last = page[page.length - 1];
			if (page.length < CHANGES_PAGE || !last) break;
			cursor = { at: last.date_updated ?? last.date_created, id: last.id };
			await yieldToEventLoop();
		}
		// Next time, from a fixed time before this sync began (not from the newest change read): a change
		// committed late is still seen, and a mass change is read again only while it is that recent.
		watermark = { at: new Date(startedAt - SYNC_OVERLAP_MS), id: null };
		// Owners change behind our back too (Directus's login lockout, an SSO deprovisioning, plain
		// SQL): their state is read each time, not only with their tokens' rows.
		for (const userId of cache.setInactiveOwners(new Set(await store.inactiveUserIds()))) tell({ tokenIds: [], userId, reason: 'owner_inactive' });
		cache.confirm(startedAt);
	}

	async function runSync(full: boolean): Promise<boolean> {
		const startedAt = now();
		try {
			if (full || watermark === null) await fullSync(startedAt);
			else await incrementalSync(startedAt);
			lastSyncAt = new Date(startedAt);
			lastSyncError = null;
			return true;
		} catch (error) {
			lastSyncError = (error as Error).message;
			options.logger?.warn(`token validator: sync failed: ${lastSyncError}`);
			return false;
		}
	}

	/** One sync at a time: a sync asked for while one runs waits for it, then runs. */
	function sync({ full = false }: { full?: boolean } = {}): Promise<boolean> {
		const run = (syncing ?? Promise.resolve(true)).then(() => runSync(full));
		syncing = run;
		void run.finally(() => {
			if (syncing === run) syncing = null;
		});
		return run;
	}

	/**
	 * Writes the uses since the last flush: grouped by second (a token's last use is kept to the
	 * second), in chunks well under every database's limit of bound parameters, one statement per
	 * chunk. A chunk that fails, or that the flush has no time left for, waits for the next flush; the
	 * others are written.
	 */
	async function flushLastUsed(): Promise<void> {
		const used = cache.takeUsed();
		for (const [id, at] of unflushed) if (!((used.get(id) ?? 0) >= at)) used.set(id, at);
		unflushed.clear();
		if (used.size === 0) return;
		const bySecond = new Map<number, string[]>();
		for (const [id, at] of used) {
			const second = Math.floor(at / 1000);
			const ids = bySecond.get(second);
			if (ids) ids.push(id);
			else bySecond.set(second, [id]);
		}
		const deadline = Date.now() + Math.max(1_000, lastUsedFlushMs * 0.8);
		let failures = 0;
		let lastError = '';
		for (const [second, ids] of bySecond) {
			for (let i = 0; i < ids.length; i += MAX_IDS_PER_STATEMENT) {
				const chunk = ids.slice(i, i + MAX_IDS_PER_STATEMENT);
				try {
					if (Date.now() > deadline) throw new Error('no time left in this flush');
					await store.touchLastUsed(chunk, new Date(second * 1000));
				} catch (error) {
					failures += 1;
					lastError = (error as Error).message;
					for (const id of chunk) unflushed.set(id, used.get(id)!);
				}
			}
		}
		if (failures) options.logger?.warn(`token validator: ${failures} chunks of last-used times wait for the next flush: ${lastError}`);
	}

	function applyEvent(event: TokenEvent) {
		// A new token has nothing stale to drop (and its event may arrive after its first use).
		if (event.type !== 'created') cache.dropIds(event.tokenIds);
		if (event.type === 'reset' && event.userId) cache.dropUser(event.userId);
		if (event.type === 'reset') tell({ tokenIds: event.tokenIds, userId: event.userId, reason: 'reset' });
		else if (event.type === 'revoked') tell({ tokenIds: event.tokenIds, userId: null, reason: 'revoked' });
		else if (event.type === 'regenerated' || event.type === 'refreshed' || event.type === 'updated') tell({ tokenIds: event.tokenIds, userId: null, reason: 'changed' });
		const sentAt = Date.parse(event.at);
		if (Number.isFinite(sentAt)) lastRevocationLagMs = Math.max(0, Date.now() - sentAt);
	}

	return {
		validate,
		validateNow,
		onTokenChange(listener) {
			listeners.add(listener);
			return () => void listeners.delete(listener);
		},
		sync,
		flushLastUsed,
		applyEvent,
		async start() {
			running = true;
			await sync({ full: true });
			// A sync sees what was committed when its query began, and reports it when it ends. Start
			// each one early by the last one's duration so that a revocation is seen within one
			// interval, never interval + query time; at most twice per interval.
			const schedule = (lastDurationMs: number) => {
				if (!running) return;
				const delay = Math.max(syncIntervalMs / 2, syncIntervalMs - 2 * lastDurationMs);
				syncTimer = setTimeout(async () => {
					syncs += 1;
					const started = Date.now();
					await sync({ full: syncs % fullSyncEvery === 0 });
					schedule(Date.now() - started);
				}, delay);
				syncTimer.unref?.();
			};
			schedule(0);
			if (trackLastUsed) {
				flushTimer = setInterval(() => void flushLastUsed(), lastUsedFlushMs);
				flushTimer.unref?.();
			}
			await options.channel?.start(applyEvent);
		},
		async stop() {
			memo.clear();
			running = false;
			if (syncTimer) clearTimeout(syncTimer);
			if (flushTimer) clearInterval(flushTimer);
			syncTimer = flushTimer = null;
			await options.channel?.stop();
			await flushLastUsed();
		},
		status() {
			const sizes = cache.sizes();
			const channelUp = options.channel?.isUp() ?? false;
			return {
				cachedValid: sizes.valid,
				cachedInvalid: sizes.invalid,
				lastSyncAt,
				lastFullSyncAt,
				lastSyncError,
				revocations: channelUp ? 'push' : 'polling',
				channel: options.channel?.kind ?? 'none',
				channelUp,
				lastRevocationLagMs,
				pendingLastUsed: unflushed.size + cache.usedCount(),
			};
		},
	};
}
