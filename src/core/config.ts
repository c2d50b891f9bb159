import { ANONYMOUS_ISSUE_SCOPE, DEFAULT_PREFIXES, OPEN_ANONYMOUS_TIER, TOKEN_KINDS, type TokenKind } from '../shared/constants.js';
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
	/**
	 * How long before a personal or service token expires its owner gets a notice, in ms, largest first
	 * (`API_TOKENS_EXPIRY_NOTICES`, `7d,1d` by default; empty: no notices).
	 */
	readonly expiryNoticesMs: readonly number[];
	/** When Directus looks for tokens due a notice: a cron schedule (`API_TOKENS_EXPIRY_NOTICE_CHECK`, hourly by default). */
	readonly expiryNoticeSchedule: string;
	readonly anonymous: AnonymousConfig;
	readonly device: DeviceFlowConfig;
}

/** OAuth 2.0 Device Authorization (RFC 8628): CLIs and bots get a token the user approves in the dashboard. */
export interface DeviceFlowConfig {
	/** Whether the device endpoints answer (`API_TOKENS_DEVICE_FLOW`, on by default). */
	readonly enabled: boolean;
	/** How long a device code and its user code wait for approval (`expires_in`). */
	readonly codeTtlMs: number;
	/** Seconds a client waits between polls (`interval`); a faster poll gets `slow_down`. */
	readonly intervalSeconds: number;
	/** Wrong user codes one user, and one client IP, may enter per window. */
	readonly attemptLimit: { readonly points: number; readonly windowMs: number };
}

/** Anonymous tokens: a quota of their own for visitors who are not signed in and for bot installations. */
export interface AnonymousConfig {
	/** Whether anyone may get one with no credentials (`API_TOKENS_ANONYMOUS`, on by default). */
	readonly open: boolean;
	/** Tokens one client IP (IPv6: one /64) may get from the open endpoint per window. */
	readonly issueLimit: { readonly points: number; readonly windowMs: number };
	/** Tiers a trusted issuer (a service token with `anonymous:issue`) may give; the first is its default. */
	readonly trustedTiers: readonly string[];
	/** Live anonymous tokens one subject of one issuer may hold; issuing more revokes the oldest. */
	readonly maxPerSubject: number;
	/** Scopes every anonymous token holds (never the Directus scope). */
	readonly scopes: readonly string[];
	readonly refreshable: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * Our variables as the text they were written as. Directus hands extensions its parsed environment:
 * `a,b` becomes an array, `false` a boolean, `2` a number.
 */
function asText(env: Record<string, unknown>): Env {
	const text: Env = {};
	for (const [key, value] of Object.entries(env)) {
		if (!key.startsWith('API_TOKENS_') || value === undefined || value === null) continue;
		text[key] = Array.isArray(value) ? value.join(',') : String(value);
	}
	return text;
}

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

const MAX_INT32 = 2_147_483_647;

/**
 * A list of durations, largest first, without repeats; empty (or `false`) is an empty list. Each fits
 * an integer of seconds (the notices table stores thresholds so).
 */
function durationList(env: Env, key: string, fallback: string): number[] {
	const raw = (env[key] ?? fallback).trim();
	if (raw === '' || raw.toLowerCase() === 'false') return [];
	const values = raw.split(',').map((part) => {
		const parsed = parseDuration(part);
		if (typeof parsed !== 'number' || parsed / 1000 > MAX_INT32) throw new ConfigError(`${key}: "${part.trim()}" is not a duration (e.g. 7d, 12h, 3600); leave it empty for none`);
		return parsed;
	});
	return [...new Set(values)].sort((a, b) => b - a);
}

const TIER_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

function bool(env: Env, key: string, fallback: boolean): boolean {
	const raw = env[key]?.trim().toLowerCase();
	if (raw === undefined || raw === '') return fallback;
	if (raw === 'true' || raw === '1') return true;
	if (raw === 'false' || raw === '0') return false;
	throw new ConfigError(`${key}: "${env[key]}" is not true or false`);
}

/** Anonymous tokens' scopes are a list of their own (names an API service checks), never the Directus scope. */
function anonymousConfig(env: Env, directusScope: string): AnonymousConfig {
	const anonymousScopes = scopeList(env, 'API_TOKENS_ANONYMOUS_SCOPES', 'read');
	if (anonymousScopes.includes(directusScope)) {
		throw new ConfigError(`API_TOKENS_ANONYMOUS_SCOPES: anonymous tokens may not hold the Directus scope "${directusScope}"`);
	}
	const trustedTiers = [...new Set((env.API_TOKENS_ANONYMOUS_TIERS ?? 'trusted').split(',').map((t) => t.trim()).filter(Boolean))];
	if (trustedTiers.length === 0) throw new ConfigError('API_TOKENS_ANONYMOUS_TIERS: name at least one tier');
	for (const tier of trustedTiers) {
		if (!TIER_PATTERN.test(tier)) throw new ConfigError(`API_TOKENS_ANONYMOUS_TIERS: "${tier}" is not a tier name (a-z 0-9 _ -, up to 32)`);
		if (tier === OPEN_ANONYMOUS_TIER) throw new ConfigError(`API_TOKENS_ANONYMOUS_TIERS: "${OPEN_ANONYMOUS_TIER}" is the open endpoint's tier`);
	}
	return {
		open: bool(env, 'API_TOKENS_ANONYMOUS', true),
		issueLimit: rate(env, 'API_TOKENS_ANONYMOUS_ISSUE_LIMIT', '20/1h'),
		trustedTiers,
		maxPerSubject: positiveInt(env, 'API_TOKENS_ANONYMOUS_MAX_PER_SUBJECT', 2),
		scopes: anonymousScopes,
		refreshable: bool(env, 'API_TOKENS_ANONYMOUS_REFRESHABLE', true),
	};
}

function deviceConfig(env: Env): DeviceFlowConfig {
	const intervalMs = duration(env, 'API_TOKENS_DEVICE_POLL_INTERVAL', '5s')!;
	if (intervalMs % 1000 !== 0 || intervalMs > 300_000) throw new ConfigError('API_TOKENS_DEVICE_POLL_INTERVAL: whole seconds, at most 5m');
	const codeTtlMs = duration(env, 'API_TOKENS_DEVICE_CODE_TTL', '10m')!;
	if (codeTtlMs > 86_400_000) throw new ConfigError('API_TOKENS_DEVICE_CODE_TTL: at most 1d');
	return {
		enabled: bool(env, 'API_TOKENS_DEVICE_FLOW', true),
		codeTtlMs,
		intervalSeconds: intervalMs / 1000,
		attemptLimit: rate(env, 'API_TOKENS_DEVICE_CODE_ATTEMPTS', '10/15m'),
	};
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
export function loadTokenConfig(given: Record<string, unknown> = process.env): TokenConfig {
	const env = asText(given);
	const directusScope = (env.API_TOKENS_DIRECTUS_SCOPE ?? 'directus').trim();
	if (!SCOPE_PATTERN.test(directusScope)) throw new ConfigError(`API_TOKENS_DIRECTUS_SCOPE: "${directusScope}" is not a valid scope name`);
	const scopes = scopeList(env, 'API_TOKENS_SCOPES', 'read,write');
	if (!scopes.includes(directusScope)) scopes.push(directusScope);
	const systemScopes = scopeList(env, 'API_TOKENS_SYSTEM_SCOPES', `introspect,${ANONYMOUS_ISSUE_SCOPE}`);
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
		anonymous: duration(env, 'API_TOKENS_MAX_TTL_ANONYMOUS', '30d'),
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
		expiryNoticesMs: durationList(env, 'API_TOKENS_EXPIRY_NOTICES', '7d,1d'),
		expiryNoticeSchedule: cron(env, 'API_TOKENS_EXPIRY_NOTICE_CHECK', '0 * * * *'),
		anonymous: anonymousConfig(env, directusScope),
		device: deviceConfig(env),
	};
}
