/**
 * Anonymous tokens: a stable identity and a rate-limit bucket of their own for callers who are not
 * signed in. They have no owner user; they hold the configured anonymous scopes (never the Directus
 * scope) and live at most the anonymous maximum.
 *
 * - **Open**: anyone, no credentials, tier `open`; the endpoint limits how many one IP gets.
 * - **Trusted**: a service token holding `anonymous:issue` (a portal, a website backend after a
 *   captcha, a chat bot serving many workspaces from one IP) names an opaque `subject` (a visitor,
 *   an installation) and one of the trusted tiers. One subject of one issuer holds at most
 *   `maxPerSubject` live tokens: issuing more revokes the oldest.
 *
 * Framework-free: the Directus endpoint authenticates the caller and limits the open path.
 */
import { OPEN_ANONYMOUS_TIER } from '../shared/constants.js';
import type { TokenConfig } from './config.js';
import { NO_EVENTS, type TokenEventSink } from './token-events.js';
import { generateToken } from './token-format.js';
import { anonymousTokenBody, firstIssue } from './token-requests.js';
import { fail, type Result } from './token-service.js';
import type { TokenStore } from './token-store.js';
import type { TokenRecord } from './token-record.js';

/** The body of `201` from `POST /api-tokens/anonymous` and its refresh. */
export interface IssuedAnonymousToken {
	token: string;
	expires_at: string;
	scopes: string[];
	tier: string;
	/** Whether `POST /api-tokens/anonymous/refresh` may renew it before it expires. */
	refreshable: boolean;
}

export interface AnonymousTokenIssuerOptions {
	store: TokenStore;
	config: TokenConfig;
	events?: TokenEventSink;
	now?: () => Date;
}

/** Who asks on the trusted path: the id of a live service token holding `anonymous:issue`. */
export interface TrustedIssuer {
	tokenId: string;
}

type Request = { subject: string | null; tier: string; lifetimeMs: number };

/**
 * @example
 * ```ts
 * const issuer = createAnonymousTokenIssuer({ store, config });
 * const issued = await issuer.issueTrusted({ tokenId: serviceToken.id }, { subject: 'slack-T024BE7LD' });
 * if (issued.ok) res.status(201).json(issued.value);
 * ```
 */
export function createAnonymousTokenIssuer({ store, config, events = NO_EVENTS, now = () => new Date() }: AnonymousTokenIssuerOptions) {
	// Anonymous tokens always expire (the config refuses "never" for them).
	const maxLifetimeMs = config.maxTtlMs.anonymous ?? config.defaultTtlMs;

	/** The request's subject, tier and lifetime, or why not. The open path may name none of them but a shorter life. */
	function readRequest(body: unknown, trusted: boolean): Result<Request> {
		const parsed = anonymousTokenBody.safeParse(body ?? {});
		if (!parsed.success) {
			const { field, message } = firstIssue(parsed.error);
			return fail(400, field === 'subject' ? 'invalid_subject' : field === 'tier' ? 'invalid_tier' : 'invalid_request', message, field);
		}
		const { subject, tier, duration } = parsed.data;
		if (!trusted && (subject !== undefined || tier !== undefined)) {
			return fail(403, 'forbidden', 'Only a trusted issuer (a service token with the anonymous:issue scope) names a subject or a tier.', subject !== undefined ? 'subject' : 'tier');
		}
		const chosenTier = trusted ? (tier ?? config.anonymous.trustedTiers[0]!) : OPEN_ANONYMOUS_TIER;
		if (trusted && !config.anonymous.trustedTiers.includes(chosenTier)) {
			return fail(400, 'invalid_tier', `Unknown tier "${chosenTier}"; a trusted issuer may give: ${config.anonymous.trustedTiers.join(', ')}.`, 'tier');
		}
		// As long as allowed, unless asked for less.
		const lifetimeMs = Math.min(duration === undefined ? Infinity : duration * 1000, maxLifetimeMs);
		return { ok: true, value: { subject: subject ?? null, tier: chosenTier, lifetimeMs } };
	}

	/** Stores a new token and tells of it; answers what the caller is shown (the row is not read back: one query fewer). */
	async function mint(request: Request, issuer: string | null, refreshedFrom?: TokenRecord): Promise<Result<IssuedAnonymousToken>> {
		const at = now();
		const generated = generateToken('anonymous', config.prefixes);
		const expiresAt = new Date(at.getTime() + request.lifetimeMs);
		const scopes = refreshedFrom?.scopes ?? [...config.anonymous.scopes].sort();
		const id = await store.add({
			name: request.subject ? `Anonymous: ${request.subject.slice(0, 88)}` : 'Anonymous',
			kind: 'anonymous',
			hidden: true,
			hash: generated.hash,
			hint: generated.hint,
			scopes,
			origins: [],
			expires_at: expiresAt,
			refreshable: config.anonymous.refreshable,
			user: null,
			subject: request.subject,
			tier: request.tier,
			issuer,
		});
		await events.publish({ type: refreshedFrom ? 'refreshed' : 'created', tokenIds: refreshedFrom ? [refreshedFrom.id, id] : [id], userId: null, actor: null, at: at.toISOString() });
		return { ok: true, value: { token: generated.token, expires_at: expiresAt.toISOString(), scopes, tier: request.tier, refreshable: config.anonymous.refreshable } };
	}

	/** A token for anyone who asks (the endpoint has counted the caller's IP). */
	async function issueOpen(body: unknown): Promise<Result<IssuedAnonymousToken>> {
		if (!config.anonymous.open) return fail(403, 'feature_disabled', 'This server issues anonymous tokens to trusted issuers only (API_TOKENS_ANONYMOUS=false).');
		const request = readRequest(body, false);
		return request.ok ? mint(request.value, null) : request;
	}

	/** A token for the subject and tier a trusted issuer names; the subject's oldest beyond the cap are revoked. */
	async function issueTrusted(issuer: TrustedIssuer, body: unknown): Promise<Result<IssuedAnonymousToken>> {
		const request = readRequest(body, true);
		if (!request.ok) return request;
		// One issuance per issuer at a time: the count of a subject's tokens and the insert hold together.
		await store.lockIssuer(issuer.tokenId);
		const minted = await mint(request.value, issuer.tokenId);
		if (!minted.ok) return minted;
		const { subject } = request.value;
		if (subject !== null) {
			const excess = (await store.liveSubjectTokenIds(subject, issuer.tokenId)).slice(config.anonymous.maxPerSubject);
			if (excess.length && (await store.revokeMany(excess, now()))) {
				await events.publish({ type: 'revoked', tokenIds: excess, userId: null, actor: null, at: now().toISOString() });
			}
		}
		return minted;
	}

	/**
	 * A new token in place of a live refreshable one its holder presents (same subject, tier, issuer and
	 * scopes; the same lifetime, within today's maximum); the old one is revoked.
	 */
	async function refresh(tokenId: string): Promise<Result<IssuedAnonymousToken>> {
		const old = await store.findById(tokenId);
		if (!old || old.kind !== 'anonymous' || old.revoked_at) return fail(404, 'not_found', 'No such anonymous token.');
		if (!old.refreshable) return fail(409, 'not_refreshable', 'This server issues anonymous tokens that are not refreshable; ask for a new one.');
		const lifetime = old.expires_at!.getTime() - old.date_created.getTime();
		if (!(await store.revoke(old.id, now()))) return fail(409, 'conflict', 'This token was refreshed or revoked meanwhile.');
		return mint({ subject: old.subject, tier: old.tier ?? OPEN_ANONYMOUS_TIER, lifetimeMs: Math.min(lifetime, maxLifetimeMs) }, old.issuer, old);
	}

	return { issueOpen, issueTrusted, refresh };
}

export type AnonymousTokenIssuer = ReturnType<typeof createAnonymousTokenIssuer>;
