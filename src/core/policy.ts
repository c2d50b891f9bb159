/**
 * The server's rules for what a token may be: lifetime caps per kind, which scopes each kind may
 * hold, and origin lists. Pure functions over a {@link TokenConfig} and an injected clock.
 */
import type { TokenKind } from '../shared/constants.js';
import type { TokenConfig } from './config.js';
import { normaliseOrigin } from './origin.js';

export type PolicyResult<T, C extends string> = ({ ok: true } & T) | { ok: false; code: C; message: string };

export interface ExpiryRequest {
	/** Requested lifetime in ms; `null` asks for a token that never expires. */
	durationMs?: number | null;
	/** Requested expiry time; `null` asks for a token that never expires. */
	expiresAt?: Date | null;
}

/**
 * Decides a new token's expiry: the default lifetime when none is asked for, and never beyond the
 * kind's maximum: longer requests are capped and say so (`capped`), as in the GNU Taler token API.
 *
 * @example
 * ```ts
 * resolveExpiry('personal', { durationMs: 10 * YEAR }, config, now); // { ok: true, expiresAt: now + 365d, capped: true }
 * ```
 */
export function resolveExpiry(
	kind: TokenKind,
	request: ExpiryRequest,
	config: TokenConfig,
	now: Date,
): PolicyResult<{ expiresAt: Date | null; capped: boolean }, 'expiry_in_past' | 'never_not_allowed' | 'invalid_expiry'> {
	const max = config.maxTtlMs[kind];
	const wantsNever = request.durationMs === null || request.expiresAt === null;
	if (wantsNever) {
		if (max !== null) return { ok: false, code: 'never_not_allowed', message: `${kind} tokens must expire` };
		return { ok: true, expiresAt: null, capped: false };
	}
	let requested: number;
	if (request.expiresAt) {
		const at = request.expiresAt.getTime();
		if (!Number.isFinite(at)) return { ok: false, code: 'invalid_expiry', message: 'expires_at is not a valid date' };
		if (at <= now.getTime()) return { ok: false, code: 'expiry_in_past', message: 'expires_at must be in the future' };
		requested = at - now.getTime();
	} else if (typeof request.durationMs === 'number') {
		if (!Number.isFinite(request.durationMs) || request.durationMs <= 0) {
			return { ok: false, code: 'invalid_expiry', message: 'duration must be a positive number of seconds' };
		}
		requested = request.durationMs;
	} else {
		requested = max === null ? config.defaultTtlMs : Math.min(config.defaultTtlMs, max);
	}
	const capped = max !== null && requested > max;
	const lifetime = capped && max !== null ? max : requested;
	return { ok: true, expiresAt: new Date(now.getTime() + lifetime), capped };
}

/**
 * Checks and normalises requested scopes (deduplicated, sorted). Personal and app tokens take the
 * user scopes; service tokens only system scopes. Missing scopes mean none.
 *
 * @example
 * ```ts
 * checkScopes('personal', ['write', 'read', 'read'], config); // { ok: true, scopes: ['read', 'write'] }
 * ```
 */
export function checkScopes(kind: TokenKind, scopes: unknown, config: TokenConfig): PolicyResult<{ scopes: string[] }, 'invalid_scopes'> {
	if (scopes === undefined || scopes === null) return { ok: true, scopes: [] };
	if (!Array.isArray(scopes) || scopes.length > 100) return { ok: false, code: 'invalid_scopes', message: 'scopes must be a list of scope names' };
	const allowed = kind === 'service' ? config.systemScopes : config.scopes;
	const result = new Set<string>();
	for (const scope of scopes) {
		if (typeof scope !== 'string' || !allowed.includes(scope)) {
			const shown = typeof scope === 'string' ? scope.slice(0, 64) : typeof scope;
			return { ok: false, code: 'invalid_scopes', message: `unknown scope "${shown}" for a ${kind} token; allowed: ${allowed.join(', ')}` };
		}
		result.add(scope);
	}
	return { ok: true, scopes: [...result].sort() };
}

/**
 * Checks and normalises an origin allow-list (at most 50 entries).
 *
 * @example
 * ```ts
 * checkOrigins(['https://WWW.example.com/']); // { ok: true, origins: ['https://www.example.com'] }
 * ```
 */
export function checkOrigins(origins: unknown): PolicyResult<{ origins: string[] }, 'invalid_origins'> {
	if (origins === undefined || origins === null) return { ok: true, origins: [] };
	if (!Array.isArray(origins) || origins.length > 50) return { ok: false, code: 'invalid_origins', message: 'origins must be a list of at most 50 URLs' };
	const result = new Set<string>();
	for (const entry of origins) {
		const normalised = typeof entry === 'string' ? normaliseOrigin(entry) : { ok: false as const, reason: 'must be a string' };
		if (!normalised.ok) {
			const shown = typeof entry === 'string' ? entry.slice(0, 100) : typeof entry;
			return { ok: false, code: 'invalid_origins', message: `origin "${shown}" ${normalised.reason}` };
		}
		result.add(normalised.origin);
	}
	return { ok: true, origins: [...result] };
}

/**
 * Whether `granted` holds every scope in `required`.
 *
 * @example
 * ```ts
 * hasScopes(['read', 'write'], ['read']); // true
 * ```
 */
export function hasScopes(granted: readonly string[], required: readonly string[]): boolean {
	// A plain loop: validators call this on every request.
	for (let i = 0; i < required.length; i++) if (!granted.includes(required[i]!)) return false;
	return true;
}
