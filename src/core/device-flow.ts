/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628), framework-free. A CLI or bot (a registered public
 * client) asks for a device code and a user code; the user approves the user code in the dashboard,
 * choosing the token's name, scopes (within what was asked) and expiry (within the client's and the
 * server's caps); the client, polling with the device code, receives exactly one personal token of
 * that user. Only hashes of both codes are stored, in the database, so any Directus instance
 * answers any step. The token is minted when the client redeems the approval: a plaintext is never
 * kept, not even between approval and redemption.
 */
import { z } from 'zod';
import type { TokenConfig } from './config.js';
import type { DeviceClientRecord, DeviceClientStore } from './device-client-store.js';
import type { DeviceCodeRecord, DeviceCodeStore } from './device-code-store.js';
import { formatUserCode, generateDeviceCode, generateUserCode, hashCode, normaliseUserCode } from './device-codes.js';
import { checkScopes } from './policy.js';
import { isPlainText } from './plain-text.js';
import { firstIssue } from './token-requests.js';
import { fail, type Actor, type Result, type TokenService } from './token-service.js';
import type { TokenStore } from './token-store.js';
import { isUniqueViolation } from './unique-violation.js';

/** RFC 6749 §5.2 and RFC 8628 §3.5 error codes. */
export type OAuthErrorCode =
	| 'invalid_request'
	| 'invalid_client'
	| 'unauthorized_client'
	| 'invalid_grant'
	| 'unsupported_grant_type'
	| 'invalid_scope'
	| 'authorization_pending'
	| 'slow_down'
	| 'access_denied'
	| 'expired_token';

export type OAuthResult<T> = { ok: true; value: T } | { ok: false; error: OAuthErrorCode; description: string };

const oauthError = (error: OAuthErrorCode, description: string) => ({ ok: false as const, error, description });

/** The device authorization response (RFC 8628 §3.2). */
export interface DeviceAuthorization {
	device_code: string;
	user_code: string;
	verification_uri: string;
	verification_uri_complete: string;
	expires_in: number;
	interval: number;
}

/** The token response (RFC 6749 §5.1); `access_token` is one of our personal tokens. */
export interface DeviceTokenResponse {
	access_token: string;
	token_type: 'Bearer';
	expires_in?: number;
	scope: string;
}

/** What the approval page shows for a user code. */
export interface DeviceRequestInfo {
	user_code: string;
	client: { client_id: string; name: string };
	scopes: string[];
	/** When this request expires (not the token). */
	expires_at: string;
	token: { name: string; default_expires_at: string; max_expires_at: string };
}

/** A poll answered with an approval: the request and its client, ready to redeem. */
export interface ApprovedRequest {
	request: DeviceCodeRecord;
	client: DeviceClientRecord;
}

/** A poll this much earlier than its interval is still on time: timers and clocks are not exact. */
const POLL_TOLERANCE_MS = 200;

const userCode = z.string().max(64, 'user_code is at most 64 characters');
const tokenName = z
	.string()
	.trim()
	.min(1, 'name must not be empty')
	.max(100, 'name is at most 100 characters')
	.refine((text) => isPlainText(text), 'name must not contain control characters');
const decisionBody = z.object({ user_code: userCode }).strict();
const approvalBody = z
	.object({
		user_code: userCode,
		name: tokenName.optional(),
		scopes: z.array(z.string().max(300)).min(1, 'approve at least one scope').max(100).optional(),
		expires_at: z.iso.datetime({ offset: true }).optional(),
	})
	.strict();

/** The name a device's token gets unless the user names it: the client's name and the day, e.g. "Globalping CLI on 2026-12-04". */
const suggestedTokenName = (clientName: string, at: number) => `${clientName} on ${new Date(at).toISOString().slice(0, 10)}`.slice(0, 100);

const NO_SUCH_CODE = fail(404, 'invalid_user_code', 'No pending request has this code: check it on your device; it may have expired or been used.', 'user_code');
const NOT_WITH_A_TOKEN = fail(403, 'forbidden', 'Approve devices signed in to the dashboard, not with an API token.');

export interface DeviceFlowOptions {
	config: TokenConfig;
	clients: DeviceClientStore;
	codes: DeviceCodeStore;
	store: TokenStore;
	tokens: TokenService;
	/** The latest expiry the database can store (MySQL/MariaDB: 2038). */
	latestExpiry: Date;
	now?: () => number;
}

/**
 * @example
 * ```ts
 * const flow = createDeviceFlow({ config, clients, codes, store, tokens, latestExpiry });
 * const started = await flow.authorize({ clientId: 'globalping-cli', scope: 'measure' }, 'https://dash.example.com/admin/tokens/device');
 * ```
 */
export function createDeviceFlow({ config, clients, codes, store, tokens, latestExpiry, now = Date.now }: DeviceFlowOptions) {
	async function liveClient(clientId: string): Promise<DeviceClientRecord | null> {
		const client = await clients.findByClientId(clientId);
		return client?.enabled ? client : null;
	}

	/** The latest expiry the approving user may choose, and the one offered by default. */
	function expiryBounds(client: DeviceClientRecord, at: number): { defaultMs: number; maxMs: number } {
		const cap = config.maxTtlMs.personal;
		const maxMs = Math.min(at + client.max_ttl * 1000, cap === null ? Infinity : at + cap, latestExpiry.getTime());
		return { defaultMs: Math.min(at + client.default_ttl * 1000, maxMs), maxMs };
	}

	/** The pending, unexpired request a user code names, with its enabled client; `null` otherwise. */
	async function pendingRequest(code: string): Promise<ApprovedRequest | null> {
		const letters = normaliseUserCode(code);
		if (!letters) return null;
		const request = await codes.findByUserCodeHash(hashCode(letters));
		if (!request || request.status !== 'pending' || request.expires_ms <= now()) return null;
		const client = await clients.findById(request.client);
		return client?.enabled ? { request, client } : null;
	}

	async function badCode(actor: Actor) {
		await codes.audit('device_bad_code', null, actor.userId);
		return NO_SUCH_CODE;
	}

	return {
		/** RFC 8628 §3.1-3.2: a new request for `clientId`, for the scopes of `scope` (default: all the client's). */
		async authorize({ clientId, scope }: { clientId: string; scope: string | null }, verificationUri: string): Promise<OAuthResult<DeviceAuthorization>> {
			const client = await liveClient(clientId);
			if (!client) return oauthError('invalid_client', 'Unknown or disabled client_id; an admin registers device clients in the dashboard.');
			const asked = scope === null ? client.scopes : [...new Set(scope.split(' ').filter(Boolean))];
			const beyond = asked.find((s) => !client.scopes.includes(s) || !config.scopes.includes(s));
			if (beyond !== undefined) return oauthError('invalid_scope', `This client may ask for: ${client.scopes.join(' ')}.`);
			if (asked.length === 0) return oauthError('invalid_scope', 'Ask for at least one scope.');
			const deviceCode = generateDeviceCode();
			const expiresIn = Math.floor(config.device.codeTtlMs / 1000);
			// A new user code that happens to equal a stored one (even an old, unpurged one) is drawn again.
			for (let attempt = 1; ; attempt++) {
				const letters = generateUserCode();
				try {
					const id = await codes.insert({
						client: client.id,
						deviceHash: hashCode(deviceCode),
						userCodeHash: hashCode(letters),
						scopes: [...asked].sort(),
						pollInterval: config.device.intervalSeconds,
						expiresMs: now() + expiresIn * 1000,
					});
					await codes.audit('device_requested', id, null);
					const shown = formatUserCode(letters);
					return {
						ok: true,
						value: {
							device_code: deviceCode,
							user_code: shown,
							verification_uri: verificationUri,
							verification_uri_complete: `${verificationUri}?user_code=${shown}`,
							expires_in: expiresIn,
							interval: config.device.intervalSeconds,
						},
					};
				} catch (error) {
					if (!isUniqueViolation(error) || attempt >= 3) throw error;
				}
			}
		},

		/**
		 * RFC 8628 §3.4-3.5: one poll. Answers the approved request to redeem, or why not yet / never.
		 * Polls closer together than the request's interval get `slow_down` and a 5 s longer interval.
		 */
		async poll({ clientId, deviceCode }: { clientId: string; deviceCode: string }): Promise<OAuthResult<ApprovedRequest>> {
			const client = await liveClient(clientId);
			if (!client) return oauthError('invalid_client', 'Unknown or disabled client_id.');
			const request = await codes.findByDeviceHash(hashCode(deviceCode));
			// A device code issued to another client is no grant of this one (RFC 6749 §5.2).
			if (!request || request.client !== client.id) return oauthError('invalid_grant', 'Unknown device_code.');
			if (request.status === 'redeemed') return oauthError('invalid_grant', 'This device_code was used already.');
			const at = now();
			if (request.expires_ms <= at) return oauthError('expired_token', 'The device_code expired; start again.');
			if (request.status === 'denied') return oauthError('access_denied', 'The user denied the request.');
			if (!(await codes.notePoll(request.id, at, at - request.poll_interval * 1000 + POLL_TOLERANCE_MS))) {
				await codes.slowDown(request.id, at);
				return oauthError('slow_down', `Poll at most every ${request.poll_interval + 5} s.`);
			}
			if (request.status === 'pending') return oauthError('authorization_pending', 'The user has not approved the request yet.');
			return { ok: true, value: { request, client } };
		},

		/**
		 * The one token of an approved request (run in a transaction with the token's insert: a second
		 * redemption, here or on another instance, finds it taken and gets `invalid_grant`).
		 */
		async redeem({ request, client }: ApprovedRequest): Promise<OAuthResult<DeviceTokenResponse>> {
			const owner: Actor = { userId: request.user!, admin: false, token: null };
			const created = await tokens.create(
				owner,
				{ name: request.token_name, scopes: request.token_scopes, expires_at: new Date(request.token_expires_ms!).toISOString() },
				'personal',
				{ deviceClient: client.client_id },
			);
			if (!created.ok) return oauthError('access_denied', `No token could be issued: ${created.message}`);
			if (!(await codes.claim(request.id, created.value.info.id))) return oauthError('invalid_grant', 'This device_code was used already.');
			await codes.audit('device_redeemed', request.id, request.user);
			const { info } = created.value;
			const expiresIn = info.expiration ? Math.max(0, Math.floor((Date.parse(info.expiration) - now()) / 1000)) : undefined;
			return {
				ok: true,
				value: { access_token: created.value.token, token_type: 'Bearer', ...(expiresIn !== undefined ? { expires_in: expiresIn } : {}), scope: info.scopes.join(' ') },
			};
		},

		/** Deletes requests that expired before `before`. */
		purgeRequests: (before: Date) => codes.purge(before.getTime()),

		/** The approval page's view of a user code (a wrong one is recorded). */
		async lookup(actor: Actor, body: unknown): Promise<Result<DeviceRequestInfo>> {
			if (actor.token) return NOT_WITH_A_TOKEN;
			const parsed = decisionBody.safeParse(body ?? {});
			if (!parsed.success) return fail(400, 'invalid_request', firstIssue(parsed.error).message, firstIssue(parsed.error).field);
			const found = await pendingRequest(parsed.data.user_code);
			if (!found) return badCode(actor);
			const { request, client } = found;
			const at = now();
			const bounds = expiryBounds(client, at);
			return {
				ok: true,
				value: {
					user_code: formatUserCode(normaliseUserCode(parsed.data.user_code)!),
					client: { client_id: client.client_id, name: client.name },
					scopes: request.scopes,
					expires_at: new Date(request.expires_ms).toISOString(),
					token: { name: suggestedTokenName(client.name, at), default_expires_at: new Date(bounds.defaultMs).toISOString(), max_expires_at: new Date(bounds.maxMs).toISOString() },
				},
			};
		},

		/** The signed-in user approves a user code, narrowing scopes and expiry as they like. */
		async approve(actor: Actor, body: unknown): Promise<Result<{ status: 'approved'; client: { client_id: string; name: string } }>> {
			if (actor.token) return NOT_WITH_A_TOKEN;
			const parsed = approvalBody.safeParse(body ?? {});
			if (!parsed.success) {
				const { field, message } = firstIssue(parsed.error);
				return fail(400, field === 'name' ? 'invalid_name' : field === 'scopes' ? 'invalid_scopes' : field === 'expires_at' ? 'invalid_expiry' : 'invalid_request', message, field);
			}
			const found = await pendingRequest(parsed.data.user_code);
			if (!found) return badCode(actor);
			const { request, client } = found;
			const scopes = parsed.data.scopes ? [...new Set(parsed.data.scopes)].sort() : request.scopes;
			const beyond = scopes.find((s) => !request.scopes.includes(s));
			if (beyond !== undefined) return fail(400, 'invalid_scopes', `"${beyond.slice(0, 64)}" was not asked for; approve some of: ${request.scopes.join(', ')}.`, 'scopes');
			const checked = checkScopes('personal', scopes, config);
			if (!checked.ok) return fail(400, 'invalid_scopes', checked.message, 'scopes');
			const at = now();
			const bounds = expiryBounds(client, at);
			const expiresMs = parsed.data.expires_at ? Date.parse(parsed.data.expires_at) : bounds.defaultMs;
			if (expiresMs <= at) return fail(400, 'expiry_in_past', 'expires_at must be in the future.', 'expires_at');
			if (expiresMs > bounds.maxMs) return fail(400, 'invalid_expiry', `This client's tokens expire at the latest ${new Date(bounds.maxMs).toISOString()}.`, 'expires_at');
			if ((await store.countActiveForUser(actor.userId)) >= config.maxActivePerUser) {
				return fail(409, 'too_many_tokens', `You have ${config.maxActivePerUser} active tokens, the most allowed: revoke one first.`);
			}
			const name = parsed.data.name ?? suggestedTokenName(client.name, at);
			if (!(await codes.approve(request.id, actor.userId, { name, scopes: checked.scopes, expiresMs }, at))) return NO_SUCH_CODE;
			await codes.audit('device_approved', request.id, actor.userId);
			return { ok: true, value: { status: 'approved', client: { client_id: client.client_id, name: client.name } } };
		},

		/** The signed-in user denies a user code: the client's next poll gets `access_denied`. */
		async deny(actor: Actor, body: unknown): Promise<Result<{ status: 'denied'; client: { client_id: string; name: string } }>> {
			if (actor.token) return NOT_WITH_A_TOKEN;
			const parsed = decisionBody.safeParse(body ?? {});
			if (!parsed.success) return fail(400, 'invalid_request', firstIssue(parsed.error).message, firstIssue(parsed.error).field);
			const found = await pendingRequest(parsed.data.user_code);
			if (!found) return badCode(actor);
			if (!(await codes.deny(found.request.id, actor.userId, now()))) return NO_SUCH_CODE;
			await codes.audit('device_denied', found.request.id, actor.userId);
			return { ok: true, value: { status: 'denied', client: { client_id: found.client.client_id, name: found.client.name } } };
		},
	};
}

export type DeviceFlow = ReturnType<typeof createDeviceFlow>;
