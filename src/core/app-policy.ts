/**
 * What an admin may write to an `api_token_apps` row (`POST`/`PATCH /api-tokens/apps`): checked and
 * normalised here so that a typo in an origin or a scope is a clear 400, not an app that
 * silently never issues.
 */
import type { TokenConfig } from './config.js';
import { checkOrigins, checkScopes } from './policy.js';
import { isPlainText } from './plain-text.js';

export type AppPayloadCheck = { ok: true; payload: Record<string, unknown> } | { ok: false; field: string; problem: string };

const MAX_ACTIVE_LIMIT = 1000;

/**
 * @example
 * ```ts
 * checkAppPayload({ name: 'web', origins: ['https://WWW.example.com/'] }, config, { creating: true });
 * // { ok: true, payload: { name: 'web', origins: ['https://www.example.com'] } }
 * ```
 */
export function checkAppPayload(input: Record<string, unknown>, config: TokenConfig, { creating }: { creating: boolean }): AppPayloadCheck {
	const payload = { ...input };
	const problem = (field: string, text: string): AppPayloadCheck => ({ ok: false, field, problem: text });
	if (creating || 'name' in payload) {
		const name = payload.name;
		// Plain text only: a NUL would reach PostgreSQL's text comparison and fail there.
		if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100 || !isPlainText(name)) return problem('name', 'it must be 1-100 characters, without control characters');
		payload.name = name.trim();
	}
	if (creating || 'origins' in payload) {
		const origins = checkOrigins(payload.origins);
		if (!origins.ok) return problem('origins', origins.message);
		if (origins.origins.length === 0) return problem('origins', 'list at least one origin (e.g. https://www.example.com or https://*.example.com)');
		payload.origins = origins.origins;
	}
	if ('scopes' in payload) {
		const scopes = checkScopes('app', payload.scopes, config);
		if (!scopes.ok) return problem('scopes', scopes.message);
		payload.scopes = scopes.scopes;
	} else if (creating) {
		payload.scopes = [];
	}
	if ('ttl' in payload && payload.ttl !== null) {
		const ttl = Number(payload.ttl);
		if (!Number.isSafeInteger(ttl) || ttl < 60) return problem('ttl', 'it must be a whole number of seconds, at least 60');
		payload.ttl = ttl;
	}
	if ('max_active_per_user' in payload && payload.max_active_per_user !== null) {
		const max = Number(payload.max_active_per_user);
		if (!Number.isSafeInteger(max) || max < 1 || max > MAX_ACTIVE_LIMIT) return problem('max_active_per_user', `it must be a whole number from 1 to ${MAX_ACTIVE_LIMIT}`);
		payload.max_active_per_user = max;
	}
	if ('enabled' in payload && typeof payload.enabled !== 'boolean') return problem('enabled', 'it must be true or false');
	return { ok: true, payload };
}
