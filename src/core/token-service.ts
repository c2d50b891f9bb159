/**
 * The token API's behaviour, framework-free: who may do what to which token, with which limits.
 * The Directus endpoint only maps HTTP to these calls and their results back to HTTP.
 * Expected failures are returned (`{ ok: false, status, code, message }`), never thrown.
 */
import type { TokenKind } from '../shared/constants.js';
import type { TokenConfig } from './config.js';
import type { RequestErrorCode } from './errors.js';
import { NO_EVENTS, type TokenEventSink, type TokenEventType } from './token-events.js';
import { generateToken } from './token-format.js';
import { toTokenInfo, type TokenHistoryEvent, type TokenInfo } from './token-info.js';
import type { TokenRecord } from './token-record.js';
import { checkOrigins, checkScopes, resolveExpiry } from './policy.js';
import { createTokenBody, firstIssue, listTokensQuery, regenerateTokenBody, updateTokenBody } from './token-requests.js';
import type { TokenStore } from './token-store.js';
import { latestStorableTime } from './storable-time.js';
import { isUuid } from './uuid.js';
import { mintingLimit, type ActorToken, type Minted } from './minting-limits.js';
import { isPlainText } from './plain-text.js';

/** Who is asking: the signed-in user, whether they are an admin, and the token they used (if any). */
export interface Actor {
	userId: string;
	admin: boolean;
	/** One of our tokens, when the request was authenticated by it (not a session or a Directus token). */
	token?: ActorToken | null;
}

export type Failure = { ok: false; status: 400 | 401 | 403 | 404 | 409 | 415 | 429; code: RequestErrorCode; message: string; field?: string | null };
export type Result<T> = { ok: true; value: T } | Failure;

/** What a create, regenerate or refresh reveals: the only time the plaintext leaves the server. */
export interface Revealed {
	token: string;
	info: TokenInfo;
	/** The server shortened the requested lifetime to its cap. */
	capped: boolean;
}

/** The system itself (user lifecycle hooks): an admin with no user behind it. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', admin: true };

export const fail = (status: Failure['status'], code: RequestErrorCode, message: string, field: string | null = null): Failure => ({
	ok: false,
	status,
	code,
	message,
	field,
});
const NOT_FOUND = fail(404, 'not_found', 'No such token.');

export interface TokenServiceOptions {
	store: TokenStore;
	config: TokenConfig;
	events?: TokenEventSink;
	now?: () => Date;
	/** The latest expiry the database can store (see `storable-time.ts`); year 9999 by default. */
	latestExpiry?: Date;
}

/**
 * @example
 * ```ts
 * const tokens = createTokenService({ store: createTokenStore(knex), config: loadTokenConfig(env) });
 * const result = await tokens.create({ userId, admin: false }, req.body);
 * if (result.ok) res.status(201).json(result.value);
 * ```
 */
export function createTokenService({ store, config, events = NO_EVENTS, now = () => new Date(), latestExpiry = latestStorableTime('pg') }: TokenServiceOptions) {
	/** A refusal when `expiresAt` is later than the database can store (MySQL/MariaDB: 2038). */
	function beyondStorable(expiresAt: Date | null, field: string): Failure | null {
		if (!expiresAt || expiresAt <= latestExpiry) return null;
		return fail(400, 'invalid_expiry', `This server's database cannot store an expiry after ${latestExpiry.toISOString()}; ask for an earlier one.`, field);
	}

	async function publish(actor: Actor, type: TokenEventType, tokenIds: string[], userId: string | null) {
		const by = actor.userId === SYSTEM_ACTOR.userId ? null : actor.userId;
		await events.publish({ type, tokenIds, userId, actor: by, at: now().toISOString() });
	}

	/**
	 * A token the actor may see: admins see all; users their own visible ones, live ones only unless
	 * `revoked` (reads: a revoked token's page and history stay readable while the server keeps it;
	 * writes never reach one). Else 404, never 403.
	 */
	async function visible(actor: Actor, id: string, { revoked = false } = {}): Promise<Result<TokenRecord>> {
		if (!isUuid(id)) return NOT_FOUND;
		const record = await store.findById(id);
		if (!record) return NOT_FOUND;
		if (actor.admin) return { ok: true, value: record };
		if (record.user !== actor.userId || record.hidden || (record.revoked_at && !revoked)) return NOT_FOUND;
		return { ok: true, value: record };
	}

	function info(actor: Actor, record: TokenRecord) {
		return toTokenInfo(record, { withOwner: actor.admin });
	}

	/** A refusal when the actor's token may not make (or reveal) `minted`, else the expiry it may have. */
	function withinActorToken(actor: Actor, minted: Minted, options?: { shorten?: boolean }): Result<{ expiresAt: Date | null; capped: boolean }> {
		const check = mintingLimit(actor.token, minted, options);
		return check.ok ? { ok: true, value: check } : fail(403, 'forbidden', check.message, check.field);
	}

	/** `deviceClient`: the device client whose request the user approved (recorded on the token). */
	async function create(actor: Actor, body: unknown, defaultKind: TokenKind = 'personal', { deviceClient = null }: { deviceClient?: string | null } = {}): Promise<Result<Revealed>> {
		const parsed = createTokenBody.safeParse(body ?? {});
		if (!parsed.success) {
			const { field, message } = firstIssue(parsed.error);
			return fail(400, field === 'name' ? 'invalid_name' : field === 'description' ? 'invalid_description' : 'invalid_request', message, field);
		}
		const request = parsed.data;
		const kind: TokenKind = request.kind ?? defaultKind;
		if (kind === 'service' && !actor.admin) return fail(403, 'forbidden', 'Only admins create service tokens.');
		const scopes = checkScopes(kind, request.scopes, config);
		if (!scopes.ok) return fail(400, scopes.code, scopes.message, 'scopes');
		const origins = checkOrigins(request.origins);
		if (!origins.ok) return fail(400, origins.code, origins.message, 'origins');
		const never = request.duration === null || request.duration === 'forever' || request.expires_at === null;
		const expiry = resolveExpiry(
			kind,
			never
				? { durationMs: null }
				: {
						...(typeof request.duration === 'number' ? { durationMs: request.duration * 1000 } : {}),
						...(request.expires_at ? { expiresAt: new Date(request.expires_at) } : {}),
					},
			config,
			now(),
		);
		if (!expiry.ok) return fail(400, expiry.code, expiry.message, request.expires_at !== undefined ? 'expires_at' : 'duration');
		const tooLate = beyondStorable(expiry.expiresAt, request.expires_at !== undefined ? 'expires_at' : 'duration');
		if (tooLate) return tooLate;
		if (expiry.expiresAt === null && scopes.scopes.some((s) => !config.systemScopes.includes(s))) {
			return fail(400, 'invalid_scopes', 'A token that never expires may only hold system scopes.', 'scopes');
		}
		const limited = withinActorToken(actor, { scopes: scopes.scopes, origins: origins.origins, expiresAt: expiry.expiresAt });
		if (!limited.ok) return limited;
		// One creator of this user's tokens at a time: the count below and the insert hold together.
		await store.lockOwner(actor.userId);
		if ((await store.countActiveForUser(actor.userId)) >= config.maxActivePerUser) {
			return fail(409, 'too_many_tokens', `You have ${config.maxActivePerUser} active tokens, the most allowed: revoke one first.`);
		}
		const generated = generateToken(kind, config.prefixes);
		const record = await store.insert({
			name: request.name,
			description: request.description ?? null,
			kind,
			hash: generated.hash,
			hint: generated.hint,
			scopes: scopes.scopes,
			origins: origins.origins,
			expires_at: limited.value.expiresAt,
			refreshable: request.refreshable ?? false,
			user: actor.userId,
			device_client: deviceClient,
		});
		await publish(actor, 'created', [record.id], record.user);
		return { ok: true, value: { token: generated.token, info: info(actor, record), capped: expiry.capped || limited.value.capped } };
	}

	async function list(actor: Actor, query: unknown): Promise<Result<TokenInfo[]>> {
		const parsed = listTokensQuery.safeParse(query ?? {});
		if (!parsed.success) return fail(400, 'invalid_request', firstIssue(parsed.error).message, firstIssue(parsed.error).field);
		const { delta = -20, start, user, include_hidden, include_revoked, kind, subject } = parsed.data;
		if ((user && user !== actor.userId) || include_hidden === 'true' || subject !== undefined) {
			if (!actor.admin) return fail(403, 'forbidden', 'Only admins list other users’ or hidden tokens.');
		}
		const records = await store.list({
			user: user === 'all' ? null : (user ?? actor.userId),
			delta,
			...(start !== undefined ? { start } : {}),
			...(kind ? { kind } : {}),
			...(subject !== undefined ? { subject } : {}),
			includeHidden: include_hidden === 'true',
			includeRevoked: include_revoked === 'true',
		});
		return { ok: true, value: records.map((record) => info(actor, record)) };
	}

	async function get(actor: Actor, id: string): Promise<Result<TokenInfo>> {
		const found = await visible(actor, id, { revoked: true });
		return found.ok ? { ok: true, value: info(actor, found.value) } : found;
	}

	/** A token's history from the audit trail, oldest first, for whoever may read the token. */
	async function history(actor: Actor, id: string): Promise<Result<TokenHistoryEvent[]>> {
		const found = await visible(actor, id, { revoked: true });
		if (!found.ok) return found;
		const events = await store.history(found.value.id);
		return { ok: true, value: events.map((event) => ({ type: event.type, at: event.at?.toISOString() ?? null, actor: event.actor })) };
	}

	async function update(actor: Actor, id: string, body: unknown): Promise<Result<TokenInfo>> {
		const found = await visible(actor, id);
		if (!found.ok) return found;
		const record = found.value;
		// Only admins get here with a revoked token (`visible` hides it from its owner's writes).
		if (record.revoked_at) return fail(409, 'conflict', 'This token was revoked; it can no longer be changed.');
		const parsed = updateTokenBody.safeParse(body ?? {});
		if (!parsed.success) {
			const { field, message } = firstIssue(parsed.error);
			return fail(400, field === 'name' ? 'invalid_name' : field === 'description' ? 'invalid_description' : 'invalid_request', message, field);
		}
		const patch: Parameters<TokenStore['update']>[1] = {};
		if (parsed.data.name !== undefined) patch.name = parsed.data.name;
		if (parsed.data.description !== undefined) patch.description = parsed.data.description;
		if (parsed.data.scopes !== undefined) {
			const scopes = checkScopes(record.kind, parsed.data.scopes, config);
			if (!scopes.ok) return fail(400, scopes.code, scopes.message, 'scopes');
			const added = scopes.scopes.filter((s) => !record.scopes.includes(s));
			if (added.length) return fail(400, 'invalid_scopes', `Scopes can only be narrowed; create a new token for ${added.join(', ')}.`, 'scopes');
			patch.scopes = scopes.scopes;
		}
		if (parsed.data.origins !== undefined) {
			const origins = checkOrigins(parsed.data.origins);
			if (!origins.ok) return fail(400, origins.code, origins.message, 'origins');
			patch.origins = origins.origins;
		}
		if (parsed.data.expires_at !== undefined) {
			// Within the cap counted from creation: PATCH cannot stretch a token forever (refresh can).
			const expiry = resolveExpiry(record.kind, { expiresAt: parsed.data.expires_at === null ? null : new Date(parsed.data.expires_at) }, config, now());
			if (!expiry.ok) return fail(400, expiry.code, expiry.message, 'expires_at');
			const max = config.maxTtlMs[record.kind];
			const latest = max === null ? null : new Date(record.date_created.getTime() + max);
			patch.expires_at = latest && expiry.expiresAt && expiry.expiresAt > latest ? latest : expiry.expiresAt;
			const tooLate = beyondStorable(patch.expires_at, 'expires_at');
			if (tooLate) return tooLate;
		}
		// What the token will be; a new expiry may be shortened to the actor token's, an old one may not outlive it.
		const limited = withinActorToken(
			actor,
			{ scopes: patch.scopes ?? record.scopes, origins: patch.origins ?? record.origins, expiresAt: patch.expires_at !== undefined ? patch.expires_at : record.expires_at },
			{ shorten: patch.expires_at !== undefined },
		);
		if (!limited.ok) return limited;
		if (patch.expires_at !== undefined) patch.expires_at = limited.value.expiresAt;
		const updated = await store.update(record.id, patch);
		await publish(actor, 'updated', [record.id], record.user);
		return updated ? { ok: true, value: info(actor, updated) } : NOT_FOUND;
	}

	async function regenerate(actor: Actor, id: string, body: unknown): Promise<Result<Revealed>> {
		const found = await visible(actor, id);
		if (!found.ok) return found;
		if (found.value.revoked_at) return NOT_FOUND;
		const parsed = regenerateTokenBody.safeParse(body ?? {});
		if (!parsed.success) {
			const { field, message } = firstIssue(parsed.error);
			return fail(400, 'invalid_request', message, field ?? 'grace_seconds');
		}
		const graceMs = (parsed.data.grace_seconds ?? 0) * 1000;
		if (graceMs > config.maxGraceMs) {
			return fail(400, 'invalid_request', `grace_seconds is at most ${config.maxGraceMs / 1000}.`, 'grace_seconds');
		}
		const record = found.value;
		// Renewing gives the new secret the lifetime the token had at creation, counted from now (capped
		// as at creation): what an owner warned of an expiry wants in one click. Without it, the expiry stays.
		let expiresAt = record.expires_at;
		let capped = false;
		if (parsed.data.renew && record.expires_at) {
			const expiry = resolveExpiry(record.kind, { durationMs: record.expires_at.getTime() - record.date_created.getTime() }, config, now());
			if (!expiry.ok) return fail(400, expiry.code, expiry.message, 'renew');
			({ expiresAt, capped } = expiry);
		}
		// A new secret of a token is the token: only one the actor's token could have made.
		const renewing = expiresAt !== record.expires_at;
		const limited = withinActorToken(actor, { scopes: record.scopes, origins: record.origins, expiresAt }, { shorten: renewing });
		if (!limited.ok) return limited;
		const generated = generateToken(record.kind, config.prefixes);
		const updated = await store.replaceSecret(record.id, {
			hash: generated.hash,
			hint: generated.hint,
			previousHash: graceMs > 0 ? record.hash : null,
			graceUntil: graceMs > 0 ? new Date(now().getTime() + graceMs) : null,
			...(renewing ? { expiresAt: limited.value.expiresAt } : {}),
		});
		await publish(actor, 'regenerated', [record.id], record.user);
		if (!updated) return NOT_FOUND;
		return { ok: true, value: { token: generated.token, info: info(actor, updated), capped: capped || limited.value.capped } };
	}

	async function refresh(actor: Actor, id: string): Promise<Result<Revealed>> {
		const found = await visible(actor, id);
		if (!found.ok) return found;
		const old = found.value;
		if (old.revoked_at) return fail(409, 'not_refreshable', 'This token was revoked; create a new one.');
		if (!old.refreshable) return fail(409, 'not_refreshable', 'This token was not created refreshable.');
		// Its holder refreshes it (`/anonymous/refresh`), keeping its subject, tier and issuer.
		if (old.kind === 'anonymous') return fail(409, 'not_refreshable', 'Anonymous tokens are refreshed by their holder at /api-tokens/anonymous/refresh.');
		if (old.expires_at && old.expires_at <= now()) return fail(409, 'not_refreshable', 'This token has expired; create a new one.');
		// Same lifetime as the original, capped as at creation.
		const lifetime = old.expires_at ? old.expires_at.getTime() - old.date_created.getTime() : null;
		const expiry = resolveExpiry(old.kind, { durationMs: lifetime }, config, now());
		if (!expiry.ok) return fail(400, expiry.code, expiry.message);
		const limited = withinActorToken(actor, { scopes: old.scopes, origins: old.origins, expiresAt: expiry.expiresAt });
		if (!limited.ok) return limited;
		const generated = generateToken(old.kind, config.prefixes);
		const record = await store.insert({
			name: old.name,
			description: old.description,
			kind: old.kind,
			hidden: old.hidden,
			app: old.app,
			hash: generated.hash,
			hint: generated.hint,
			scopes: old.scopes,
			origins: old.origins,
			expires_at: limited.value.expiresAt,
			refreshable: true,
			user: old.user,
			device_client: old.device_client,
		});
		await store.revoke(old.id, now());
		await publish(actor, 'refreshed', [old.id, record.id], old.user);
		return { ok: true, value: { token: generated.token, info: info(actor, record), capped: expiry.capped || limited.value.capped } };
	}

	/** Ends the previous secret of a regenerated token (the one holding it asked: RFC 7009 or `DELETE /self`). */
	async function endGrace(actor: Actor, id: string): Promise<Result<null>> {
		const record = await store.findById(id);
		if (!record) return NOT_FOUND;
		if (await store.endGrace(record.id)) await publish(actor, 'regenerated', [record.id], record.user);
		return { ok: true, value: null };
	}

	async function revoke(actor: Actor, id: string): Promise<Result<null>> {
		const found = await visible(actor, id);
		if (!found.ok) return found;
		if (await store.revoke(found.value.id, now())) await publish(actor, 'revoked', [found.value.id], found.value.user);
		return { ok: true, value: null };
	}

	async function revokeSelf(actor: Actor): Promise<Result<null>> {
		if (!actor.token) return fail(400, 'invalid_request', 'This request was not authenticated with an API token.');
		// The old secret of a regenerated token ends alone; the token and its new secret go on.
		if (actor.token.secret === 'previous') return endGrace(actor, actor.token.id);
		return revoke({ ...actor, admin: true }, actor.token.id);
	}

	/** Revokes every token of `userId` at once (admins only; the hooks call it on ban or deletion). */
	async function reset(actor: Actor, userId: unknown): Promise<Result<{ revoked: number }>> {
		if (!actor.admin) return fail(403, 'forbidden', 'Only admins reset a user’s tokens.');
		if (!isUuid(userId)) return fail(400, 'invalid_request', 'user must be a user id.', 'user');
		const ids = await store.revokeAllForUser(userId, now());
		await publish(actor, 'reset', ids, userId);
		return { ok: true, value: { revoked: ids.length } };
	}

	/** Revokes every live anonymous token issued for `subject`, by any issuer (admins only). */
	async function resetSubject(actor: Actor, subject: unknown): Promise<Result<{ revoked: number }>> {
		if (!actor.admin) return fail(403, 'forbidden', 'Only admins revoke a subject’s tokens.');
		if (typeof subject !== 'string' || subject.length === 0 || subject.length > 200 || !isPlainText(subject)) {
			return fail(400, 'invalid_subject', 'subject must be 1-200 characters without control characters.', 'subject');
		}
		const ids = await store.revokeAllForSubject(subject, now());
		if (ids.length) await publish(actor, 'revoked', ids, null);
		return { ok: true, value: { revoked: ids.length } };
	}

	return { create, list, get, history, update, regenerate, refresh, revoke, revokeSelf, endGrace, reset, resetSubject };
}

export type TokenService = ReturnType<typeof createTokenService>;
