/**
 * Lets our tokens authenticate Directus's own API (the validator chain of the Hypothesis note: ours
 * first, Directus's JWT and static tokens after). Tokens without one of our prefixes and a valid
 * checksum fall through untouched, with no query. Results are cached for a short time and dropped at
 * once on token events (revoke, reset, …): this instance's own, and, through `peers` (the Redis
 * channel or PostgreSQL NOTIFY), those of every other Directus instance on the same database, so the
 * hot path does no extra query and a revoke made anywhere is honoured everywhere at once.
 */
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { TokenConfig } from '../core/config.js';
import type { TokenEvent, TokenEventSink } from '../core/token-events.js';
import type { TokenEventChannel } from '../validator/channels.js';
import { parseToken } from '../core/token-format.js';
import { hashToken } from '../core/token-hash.js';
import { createTokenStore } from '../core/token-store.js';
import { loadUserAccess, type UserAccess } from './directus-accountability.js';

export type AuthOutcome =
	| { kind: 'not_ours' }
	| { kind: 'refused'; reason: 'unknown' | 'expired' | 'revoked' | 'insufficient_scope' | 'inactive_user' }
	| { kind: 'ok'; tokenId: string; access: UserAccess };

interface CachedToken {
	tokenId: string;
	userId: string | null;
	scopes: string[];
	expiresAt: number | null;
	/** For an old secret in its grace period. */
	graceUntil: number | null;
	revoked: boolean;
}

export interface TokenAuthenticatorOptions {
	db: Knex;
	config: TokenConfig;
	now?: () => number;
	ttlMs?: number;
	/** Events of other Directus instances; subscribed on the first lookup (nothing is cached before). */
	peers?: TokenEventChannel | null;
	logger?: { warn(message: string): void };
}

export function createTokenAuthenticator({ db, config, now = () => Date.now(), ttlMs = 30_000, peers = null, logger }: TokenAuthenticatorOptions) {
	const store = createTokenStore(db);
	const tokens = new LRUCache<string, CachedToken | 'unknown'>({ max: 50_000, ttl: ttlMs });
	const users = new LRUCache<string, UserAccess | 'inactive'>({ max: 10_000, ttl: ttlMs });
	let listening = !peers;

	/**
	 * Started lazily, by the server's first lookup: CLI commands (`directus bootstrap`, …) load the
	 * bundle too and must not hold a subscriber connection open.
	 */
	function listen() {
		if (listening) return;
		listening = true;
		peers!.start((event) => void invalidator.publish(event)).catch((error: Error) => logger?.warn(`api-tokens: cannot follow other instances' token events: ${error.message}`));
	}

	async function lookup(hash: string): Promise<CachedToken | 'unknown'> {
		const cached = tokens.get(hash);
		if (cached) return cached;
		listen();
		const match = await store.findByHash(hash);
		const entry: CachedToken | 'unknown' = match
			? {
					tokenId: match.record.id,
					userId: match.record.user,
					scopes: match.record.scopes,
					expiresAt: match.record.expires_at?.getTime() ?? null,
					graceUntil: match.matched === 'previous' ? (match.record.grace_until?.getTime() ?? 0) : null,
					revoked: match.record.revoked_at !== null,
				}
			: 'unknown';
		// Unknown answers live shortly: another Directus instance may have just created the token.
		tokens.set(hash, entry, { ttl: entry === 'unknown' ? Math.min(ttlMs, 5_000) : ttlMs });
		return entry;
	}

	async function access(userId: string): Promise<UserAccess | 'inactive'> {
		const cached = users.get(userId);
		if (cached) return cached;
		listen();
		const loaded = (await loadUserAccess(db, userId)) ?? 'inactive';
		users.set(userId, loaded);
		return loaded;
	}

	/** A live token holding `scope`, or why not. */
	async function verify(bearer: string, scope: string): Promise<{ kind: 'not_ours' } | Extract<AuthOutcome, { kind: 'refused' }> | { kind: 'live'; entry: CachedToken }> {
		if (!parseToken(bearer, config.prefixes).ok) return { kind: 'not_ours' };
		const entry = await lookup(hashToken(bearer));
		if (entry === 'unknown') return { kind: 'refused', reason: 'unknown' };
		if (entry.revoked) return { kind: 'refused', reason: 'revoked' };
		const at = now();
		if (entry.expiresAt !== null && entry.expiresAt <= at) return { kind: 'refused', reason: 'expired' };
		if (entry.graceUntil !== null && entry.graceUntil <= at) return { kind: 'refused', reason: 'revoked' };
		if (!entry.scopes.includes(scope)) return { kind: 'refused', reason: 'insufficient_scope' };
		return { kind: 'live', entry };
	}

	async function authenticate(bearer: string): Promise<AuthOutcome> {
		const verified = await verify(bearer, config.directusScope);
		if (verified.kind !== 'live') return verified;
		const { entry } = verified;
		if (!entry.userId) return { kind: 'refused', reason: 'inactive_user' };
		const user = await access(entry.userId);
		if (user === 'inactive') return { kind: 'refused', reason: 'inactive_user' };
		return { kind: 'ok', tokenId: entry.tokenId, access: user };
	}

	/** Drops what an event makes stale: the tokens it names, and for a reset the user too. */
	const invalidator: TokenEventSink = {
		async publish(event: TokenEvent) {
			const ids = new Set(event.tokenIds);
			for (const [hash, entry] of tokens.entries()) if (entry !== 'unknown' && ids.has(entry.tokenId)) tokens.delete(hash);
			if (event.type === 'reset' && event.userId) users.delete(event.userId);
			// A new token may have been looked up (and cached as unknown) before it existed.
			if (event.type === 'created' || event.type === 'refreshed' || event.type === 'regenerated') {
				for (const [hash, entry] of tokens.entries()) if (entry === 'unknown') tokens.delete(hash);
			}
		},
	};

	return { authenticate, verify, invalidator };
}

export type TokenAuthenticator = ReturnType<typeof createTokenAuthenticator>;
