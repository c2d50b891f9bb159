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
import { DEFAULT_PREFIXES } from '../shared/constants.js';
import { parseToken, type TokenPrefixes } from '../core/token-format.js';
import { hashToken } from '../core/token-hash.js';
import { judgeToken } from '../core/token-liveness.js';
import { createTokenStore, type LiveRecord } from '../core/token-store.js';
import type { TokenEvent } from '../core/token-events.js';
import { createTokenCache, type CachedToken, type CacheHit } from './token-cache.js';
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
	 * How many recently seen tokens keep their SHA-256 in memory (default 10,000; 0 turns it off).
	 * A hit skips parsing and hashing, the two costly steps of the hot path. The price: up to this
	 * many recently used tokens stay in the process's memory as map keys, as they already do,
	 * briefly, in request headers.
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

const SYNC_OVERLAP_MS = 2_000;

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
	const store = createTokenStore(options.db, { now: () => new Date(now()), ...(options.table ? { table: options.table } : {}) });
	const cache = createTokenCache({ ttlMs, negativeMax: options.negativeCacheMax ?? 100_000, now });
	const inFlight = new Map<string, Promise<CachedToken | null>>();
	const memoSize = options.hashMemoSize ?? 10_000;
	const trackLastUsed = options.trackLastUsed !== false;
	const hashMemo = new Map<string, string>();
	const maxTokenLength = Math.max(...Object.values(prefixes).map((p) => p.length)) + 37;
	const lastUsed = new Map<string, number>();
	let watermark: Date | null = null;
	let syncs = 0;
	let lastSyncAt: Date | null = null;
	let lastFullSyncAt: Date | null = null;
	let lastSyncError: string | null = null;
	let lastRevocationLagMs: number | null = null;
	let syncTimer: ReturnType<typeof setTimeout> | null = null;
	let running = false;
	let flushTimer: ReturnType<typeof setInterval> | null = null;
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

	/** Cache entries of a row: its hash, plus the previous hash while a grace period runs. */
	function entriesOf(record: LiveRecord, loadedAt: number): Array<[string, CachedToken]> {
		const base = {
			id: record.id,
			userId: record.user,
			kind: record.kind,
			scopes: record.scopes,
			origins: record.origins,
			expiresAt: record.expires_at?.getTime() ?? null,
			revoked: record.revoked_at !== null,
			ownerActive: record.ownerActive,
			loadedAt,
		};
		const out: Array<[string, CachedToken]> = [[record.hash, { ...base, graceUntil: null }]];
		const grace = record.grace_until?.getTime() ?? null;
		if (record.previous_hash && grace !== null && grace > now()) out.push([record.previous_hash, { ...base, graceUntil: grace }]);
		return out;
	}

	function makeView(entry: CachedToken): Readonly<ValidToken> {
		return Object.freeze({
			id: entry.id,
			userId: entry.userId,
			kind: entry.kind,
			scopes: entry.scopes,
			origins: entry.origins,
			tier: entry.kind,
			expiresAt: entry.expiresAt === null ? null : new Date(entry.expiresAt),
		});
	}

	function lookup(hash: string): Promise<CachedToken | null> {
		let pending = inFlight.get(hash);
		if (!pending) {
			pending = store
				.findByHash(hash)
				.then((match) => {
					const at = now();
					if (!match) {
						cache.setUnknown(hash);
						return null;
					}
					const entries = entriesOf(match.record, at);
					for (const [h, entry] of entries) cache.set(h, entry);
					// A fresh object: coalesced callers judge it after an await, when the cache's
					// reusable hit object may hold another token. An old secret past its grace period is
					// not cached, and judged revoked.
					return entries.find(([h]) => h === hash)?.[1] ?? { ...entries[0]![1], graceUntil: match.record.grace_until?.getTime() ?? 0 };
				})
				.finally(() => inFlight.delete(hash));
			inFlight.set(hash, pending);
		}
		return pending;
	}

	function judge(entry: CachedToken | CacheHit, at: number, request: ValidateOptions): ValidationResult {
		const failure = judgeToken(entry, at, request);
		if (failure) return { valid: false, code: failure };
		if (trackLastUsed) lastUsed.set(entry.id, at);
		return 'slot' in entry ? cache.answer(entry, makeView) : { valid: true, token: makeView(entry) };
	}

	/** SHA-256 of a well-formed token, or `null` for anything else. A memo hit was parsed before. */
	function hashOf(token: unknown): string | null {
		if (typeof token !== 'string' || token.length > maxTokenLength) return null;
		const known = hashMemo.get(token);
		if (known) return known;
		if (!parseToken(token, prefixes).ok) return null;
		const hash = hashToken(token);
		if (memoSize > 0) {
			if (hashMemo.size >= memoSize) hashMemo.clear(); // cheap and bounded; hot tokens come back at once
			hashMemo.set(token, hash);
		}
		return hash;
	}

	/** The answer memory holds, or the hash the database must be asked about. */
	function fromMemory(token: unknown, request: ValidateOptions): ValidationResult | string {
		const hash = hashOf(token);
		if (hash === null) return { valid: false, code: 'malformed' };
		const at = now();
		const cached = cache.get(hash, at);
		if (cached === 'unknown') return { valid: false, code: 'unknown' };
		return cached ? judge(cached, at, request) : hash;
	}

	function validateNow(token: unknown, request: ValidateOptions = {}): ValidationResult | undefined {
		const answer = fromMemory(token, request);
		return typeof answer === 'string' ? undefined : answer;
	}

	async function validate(token: unknown, request: ValidateOptions = {}): Promise<ValidationResult> {
		const answer = fromMemory(token, request);
		if (typeof answer !== 'string') return answer;
		try {
			const entry = await lookup(answer);
			return entry ? judge(entry, now(), request) : { valid: false, code: 'unknown' };
		} catch (error) {
			lastSyncError = (error as Error).message;
			return { valid: false, code: 'unavailable' };
		}
	}

	async function sync({ full = false }: { full?: boolean } = {}): Promise<boolean> {
		const startedAt = now();
		try {
			if (full || watermark === null) {
				const records = await store.liveTokens(new Date(startedAt));
				const gone = cache.replaceAll(records.flatMap((record) => entriesOf(record, 0)), startedAt);
				tell({ tokenIds: gone, userId: null, reason: 'revoked' });
				for (const userId of cache.setInactiveOwners(new Set(records.filter((record) => !record.ownerActive).map((record) => record.user!)))) {
					tell({ tokenIds: [], userId, reason: 'owner_inactive' });
				}
				watermark = new Date(startedAt - SYNC_OVERLAP_MS);
				lastFullSyncAt = new Date(startedAt);
			} else {
				const changed = await store.changedSince(watermark);
				cache.dropIds(changed.map((record) => record.id));
				tell({ tokenIds: changed.filter((record) => record.revoked_at !== null).map((record) => record.id), userId: null, reason: 'revoked' });
				tell({ tokenIds: changed.filter((record) => record.revoked_at === null).map((record) => record.id), userId: null, reason: 'changed' });
				for (const record of changed) {
					if (record.revoked_at === null) for (const [hash, entry] of entriesOf(record, 0)) cache.set(hash, entry);
					const changedAt = (record.date_updated ?? record.date_created).getTime();
					if (changedAt - SYNC_OVERLAP_MS > watermark.getTime()) watermark = new Date(changedAt - SYNC_OVERLAP_MS);
				}
				// Owners change behind our back too (Directus's login lockout, an SSO deprovisioning, plain
				// SQL): their state is read each time, not only with their tokens' rows.
				for (const userId of cache.setInactiveOwners(new Set(await store.inactiveUserIds()))) tell({ tokenIds: [], userId, reason: 'owner_inactive' });
				cache.confirm(startedAt);
			}
			// Tokens created since the unknown answers were cached must work at once.
			if (full) cache.forgetUnknown();
			lastSyncAt = new Date(startedAt);
			lastSyncError = null;
			return true;
		} catch (error) {
			lastSyncError = (error as Error).message;
			options.logger?.warn(`token validator: sync failed: ${lastSyncError}`);
			return false;
		}
	}

	async function flushLastUsed(): Promise<void> {
		if (lastUsed.size === 0) return;
		const entries = [...lastUsed].map(([id, at]) => ({ id, at: new Date(at) }));
		lastUsed.clear();
		try {
			await store.touchLastUsed(entries);
		} catch (error) {
			options.logger?.warn(`token validator: could not write last-used times: ${(error as Error).message}`);
			for (const { id, at } of entries) if (!lastUsed.has(id)) lastUsed.set(id, at.getTime());
		}
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
			if (options.trackLastUsed !== false) {
				flushTimer = setInterval(() => void flushLastUsed(), options.lastUsedFlushMs ?? 60_000);
				flushTimer.unref?.();
			}
			await options.channel?.start(applyEvent);
		},
		async stop() {
			hashMemo.clear();
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
				pendingLastUsed: lastUsed.size,
			};
		},
	};
}
