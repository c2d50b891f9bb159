/**
 * Lets our tokens authenticate Directus's own API (the validator chain of the Hypothesis note: ours
 * first, Directus's JWT and static tokens after). Tokens without one of our prefixes and a valid
 * checksum fall through untouched, with no query. Whether a token is live is `judgeToken`, the
 * decision every consumer shares; its owner's Directus access (role tree, admin and app flags,
 * active or not) is read from Directus's tables.
 *
 * Both are cached briefly and dropped at once on events: token events (revoke, reset, …) of this
 * instance and, through `peers` (the Redis channel or PostgreSQL NOTIFY), of every other instance;
 * and any change to users, roles, policies, access or permissions (`forgetAccess`), so that a demoted
 * admin's token is no admin's from the next request on. State changed behind Directus's services (a
 * login lockout, plain SQL) is seen when the short cache runs out.
 */
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { TokenConfig } from '../core/config.js';
import type { TokenEvent, TokenEventSink } from '../core/token-events.js';
import type { TokenEventChannel } from '../validator/channels.js';
import { parseToken } from '../core/token-format.js';
import { hashToken } from '../core/token-hash.js';
import { createTokenStore, type HashMatch } from '../core/token-store.js';
import { factsOf, judgeToken, type LivenessFailure, type LivenessRequest, type TokenFacts } from '../core/token-liveness.js';
import type { ActorToken } from '../core/minting-limits.js';
import { loadUserAccess, type UserAccess } from './directus-accountability.js';

/** The token a request was authenticated with, as later steps of the request need it. */
export type PresentedToken = ActorToken;

export type VerifyOutcome =
	| { kind: 'not_ours' }
	| { kind: 'refused'; reason: LivenessFailure | 'unknown' }
	| { kind: 'live'; token: PresentedToken; userId: string | null };

export type AuthOutcome = { kind: 'not_ours' } | { kind: 'refused'; reason: LivenessFailure | 'unknown' } | { kind: 'ok'; token: PresentedToken; access: UserAccess };

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
	const tokens = new LRUCache<string, HashMatch | 'unknown'>({ max: 50_000, ttl: ttlMs });
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

	async function lookup(hash: string): Promise<HashMatch | 'unknown'> {
		const cached = tokens.get(hash);
		if (cached) return cached;
		listen();
		const match = (await store.findByHash(hash)) ?? 'unknown';
		// Unknown answers live shortly: another Directus instance may have just created the token.
		tokens.set(hash, match, { ttl: match === 'unknown' ? Math.min(ttlMs, 5_000) : ttlMs });
		return match;
	}

	async function access(userId: string): Promise<UserAccess | 'inactive'> {
		const cached = users.get(userId);
		if (cached) return cached;
		listen();
		const loaded = (await loadUserAccess(db, userId)) ?? 'inactive';
		users.set(userId, loaded);
		return loaded;
	}

	/** A token live for `request` (`judgeToken`), or why not. */
	async function verify(bearer: string, request: LivenessRequest): Promise<VerifyOutcome> {
		if (!parseToken(bearer, config.prefixes).ok) return { kind: 'not_ours' };
		const match = await lookup(hashToken(bearer));
		if (match === 'unknown') return { kind: 'refused', reason: 'unknown' };
		const facts: TokenFacts = factsOf(match.record, match.matched);
		const failure = judgeToken(facts, now(), request);
		if (failure) return { kind: 'refused', reason: failure };
		const token: PresentedToken = { id: match.record.id, kind: facts.kind, scopes: facts.scopes, origins: facts.origins, expiresAt: facts.expiresAt, secret: match.matched };
		return { kind: 'live', token, userId: match.record.user };
	}

	/** As Directus's own token check: live with the Directus scope, and an active owner with their access. */
	async function authenticate(bearer: string, origin: string | null | undefined): Promise<AuthOutcome> {
		const verified = await verify(bearer, { scopes: [config.directusScope], origin });
		if (verified.kind !== 'live') return verified;
		const user = verified.userId ? await access(verified.userId) : 'inactive';
		if (user === 'inactive') return { kind: 'refused', reason: 'owner_inactive' };
		return { kind: 'ok', token: verified.token, access: user };
	}

	/** Drops what an event makes stale: the tokens it names, and for a reset the user too. */
	const invalidator: TokenEventSink = {
		async publish(event: TokenEvent) {
			if (event.type === 'access') {
				users.clear();
				return;
			}
			const ids = new Set(event.tokenIds);
			for (const [hash, entry] of tokens.entries()) if (entry !== 'unknown' && ids.has(entry.record.id)) tokens.delete(hash);
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
