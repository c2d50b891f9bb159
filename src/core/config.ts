import { DEFAULT_PREFIXES, TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
import { ConfigError } from './errors.js';
import { parseDuration } from './duration.js';
import { validatePrefixes, type TokenPrefixes } from './token-format.js';

/** The server's token policy, read from the environment by {@link loadTokenConfig}. */
export interface TokenConfig {
	/** Scopes users may give personal and app tokens (the Directus scope included). */
	readonly scopes: readonly string[];
	/** Scopes only service tokens hold, and the only ones they may hold. */
	readonly systemScopes: readonly string[];
	/** Scope that lets a token authenticate Directus's own API. */
	readonly directusScope: string;
	readonly prefixes: TokenPrefixes;
	/** Longest lifetime per kind in ms; `null` means the kind may never expire. */
	readonly maxTtlMs: Readonly<Record<TokenKind, number | null>>;
	readonly defaultTtlMs: number;
	readonly maxActivePerUser: number;
	readonly revokedRetentionMs: number;
	readonly maxGraceMs: number;
	/** App tokens one user may be issued per window (`API_TOKENS_APP_ISSUE_LIMIT`, e.g. `60/1h`). */
	readonly appIssueLimit: { readonly points: number; readonly windowMs: number };
	/**
	 * When Directus revokes the tokens of owners made inactive behind its services (a login lockout,
	 * plain SQL): a cron schedule (`API_TOKENS_OWNER_CHECK`, every minute by default; six fields for seconds).
	 */
	readonly ownerCheckSchedule: string;
}

type Env = Record<string, string | undefined>;

const SCOPE_PATTERN = /^[a-z0-9][a-z0-9:._-]{0,63}$/;

function scopeList(env: Env, key: string, fallback: string): string[] {
	const raw = env[key] ?? fallback;
	const scopes = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
	for (const scope of scopes) {
		if (!SCOPE_PATTERN.test(scope)) throw new ConfigError(`${key}: "${scope}" is not a valid scope name (a-z 0-9 : . _ -)`);
	}
	return scopes;
}

function duration(env: Env, key: string, fallback: string, { allowNever = false } = {}): number | null {
	const raw = env[key] ?? fallback;
	const parsed = parseDuration(raw);
	if (parsed === undefined) throw new ConfigError(`${key}: "${raw}" is not a duration (e.g. 30d, 12h, 3600${allowNever ? ', never' : ''})`);
	if (parsed === null && !allowNever) throw new ConfigError(`${key}: "never" is not allowed here`);
	return parsed;
}

function positiveInt(env: Env, key: string, fallback: number): number {
	const raw = env[key];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${key}: "${raw}" is not a positive integer`);
	return value;
}

/** A cron expression of five fields (six with seconds), each of digits, `*`, `/`, `,` and `-`. */
function cron(env: Env, key: string, fallback: string): string {
	const raw = (env[key] ?? fallback).trim();
	const fields = raw.split(/\s+/);
	if ((fields.length !== 5 && fields.length !== 6) || !fields.every((field) => /^[\d*/,-]+$/.test(field))) {
		throw new ConfigError(`${key}: "${raw}" is not a cron schedule such as "* * * * *" (every minute)`);
	}
	return raw;
}

function rate(env: Env, key: string, fallback: string): { points: number; windowMs: number } {
	const raw = env[key] ?? fallback;
	const [points, window] = raw.split('/');
	const count = Number(points);
	const windowMs = window === undefined ? undefined : parseDuration(window);
	if (!Number.isSafeInteger(count) || count < 1 || !windowMs) throw new ConfigError(`${key}: "${raw}" is not a rate such as 60/1h`);
	return { points: count, windowMs };
}

/**
 * Reads the token policy from `env` (read when called, never at import time). Throws a
 * {@link ConfigError} with a one-line message naming the variable when a value is wrong.
 *
 * @example
 * ```ts
 * const config = loadTokenConfig(process.env);
 * config.maxTtlMs.app; // 86_400_000
 * ```
 */
export function loadTokenConfig(env: Env = process.env): TokenConfig {
	const directusScope = (env.API_TOKENS_DIRECTUS_SCOPE ?? 'directus').trim();
	if (!SCOPE_PATTERN.test(directusScope)) throw new ConfigError(`API_TOKENS_DIRECTUS_SCOPE: "${directusScope}" is not a valid scope name`);
	const scopes = scopeList(env, 'API_TOKENS_SCOPES', 'read,write');
	if (!scopes.includes(directusScope)) scopes.push(directusScope);
	const systemScopes = scopeList(env, 'API_TOKENS_SYSTEM_SCOPES', 'introspect');
	const overlap = systemScopes.find((s) => scopes.includes(s));
	if (overlap) throw new ConfigError(`API_TOKENS_SYSTEM_SCOPES: "${overlap}" is also a user scope; system scopes must be distinct`);

	const prefixes = Object.fromEntries(
		TOKEN_KINDS.map((kind) => [kind, (env[`API_TOKENS_PREFIX_${kind.toUpperCase()}`] ?? DEFAULT_PREFIXES[kind]).trim()]),
	) as Record<TokenKind, string>;
	try {
		validatePrefixes(prefixes);
	} catch (error) {
		throw new ConfigError(`API_TOKENS_PREFIX_*: ${(error as Error).message}`);
	}

	const maxTtlMs: Record<TokenKind, number | null> = {
		personal: duration(env, 'API_TOKENS_MAX_TTL_PERSONAL', '365d'),
		app: duration(env, 'API_TOKENS_MAX_TTL_APP', '1d'),
		service: duration(env, 'API_TOKENS_MAX_TTL_SERVICE', 'never', { allowNever: true }),
	};
	return {
		scopes,
		systemScopes,
		directusScope,
		prefixes,
		maxTtlMs,
		defaultTtlMs: duration(env, 'API_TOKENS_DEFAULT_TTL', '90d')!,
		maxActivePerUser: positiveInt(env, 'API_TOKENS_MAX_ACTIVE_PER_USER', 100),
		revokedRetentionMs: duration(env, 'API_TOKENS_REVOKED_RETENTION', '7d')!,
		maxGraceMs: duration(env, 'API_TOKENS_MAX_GRACE', '24h')!,
		appIssueLimit: rate(env, 'API_TOKENS_APP_ISSUE_LIMIT', '60/1h'),
		ownerCheckSchedule: cron(env, 'API_TOKENS_OWNER_CHECK', '* * * * *'),
	};
}
