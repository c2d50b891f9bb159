/**
 * Reads the new-token page's link parameters (`name`, `description`, `scopes`, `expires_in` or
 * `expire`, `origins`, `callback`, `state`; see `buildNewTokenUrl` in `src/client`). Every value is
 * checked against the server's config; what cannot be used is left out with a warning for the field
 * it belongs to, so a bad link never breaks the page and never creates anything by itself.
 */
import { normaliseOrigin } from '../../../shared/origin.js';
import type { TokenServerConfig } from '../types.js';
import { daysLabel, endOfLocalDay, latestDate, localDate, maxDays, type ExpiryChoice } from './expiry.js';
import { parseLoopbackCallback, type LoopbackCallback } from './loopback-callback.js';

/** A route query as vue-router gives it. */
export type QueryInput = Record<string, string | null | undefined | (string | null)[]>;

export type PrefillField = 'name' | 'description' | 'scopes' | 'expiry' | 'origins' | 'callback' | 'link';

export interface Prefill {
	name?: string;
	description?: string;
	scopes?: string[];
	expiry?: ExpiryChoice;
	origins?: string[];
	/** The loopback URL to hand the token to, when the link named a usable one. */
	callback: Extract<LoopbackCallback, { ok: true }> | null;
	state: string | null;
	/** Warnings per field; `link` holds those about the link as a whole (unknown parameters). */
	warnings: Partial<Record<PrefillField, string[]>>;
}

export const PREFILL_PARAMS = ['name', 'description', 'scopes', 'expires_in', 'expire', 'origins', 'callback', 'state'] as const;

const NAME_MAX = 100;
const DESCRIPTION_MAX = 500;
const ORIGINS_MAX = 50;
const STATE_MAX = 500;

/**
 * @example
 * ```ts
 * const prefill = parsePrefill({ name: 'Globalping CLI', scopes: 'read,admin', expires_in: '30' }, config, new Date());
 * // { name: 'Globalping CLI', scopes: ['read'], expiry: { type: 'days', days: 30 },
 * //   warnings: { scopes: ['The link asked for a scope this server does not offer: "admin". It was left out.'] }, … }
 * ```
 */
export function parsePrefill(query: QueryInput, config: TokenServerConfig, now: Date): Prefill {
	const warnings: Prefill['warnings'] = {};
	const warn = (field: PrefillField, message: string) => {
		(warnings[field] ??= []).push(message);
	};
	const single = (key: string, field: PrefillField): string | undefined => {
		const raw = query[key];
		if (raw === undefined) return undefined;
		const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
		if (Array.isArray(raw) && raw.length > 1) warn(field, `The link gives "${key}" ${raw.length} times; the first is used.`);
		return values[0] ?? '';
	};
	const prefill: Prefill = { callback: null, state: null, warnings };

	const unknown = Object.keys(query).filter((key) => !(PREFILL_PARAMS as readonly string[]).includes(key));
	if (unknown.length) warn('link', `The link has parameters this page does not know, which were ignored: ${unknown.map((k) => `"${k}"`).join(', ')}.`);

	const name = single('name', 'name');
	if (name !== undefined) {
		const trimmed = name.trim();
		if (!trimmed) warn('name', 'The link gives an empty name.');
		else if (trimmed.length > NAME_MAX) {
			warn('name', `The name from the link was longer than ${NAME_MAX} characters and was cut.`);
			prefill.name = trimmed.slice(0, NAME_MAX);
		} else prefill.name = trimmed;
	}

	const description = single('description', 'description');
	if (description !== undefined && description.trim()) {
		if (description.length > DESCRIPTION_MAX) {
			warn('description', `The description from the link was longer than ${DESCRIPTION_MAX} characters and was cut.`);
			prefill.description = description.slice(0, DESCRIPTION_MAX);
		} else prefill.description = description;
	}

	const scopes = single('scopes', 'scopes');
	if (scopes !== undefined) {
		const asked = [...new Set(splitList(scopes))];
		const known = asked.filter((scope) => config.scopes.includes(scope));
		const unknownScopes = asked.filter((scope) => !config.scopes.includes(scope));
		if (unknownScopes.length) {
			warn(
				'scopes',
				`The link asked for ${unknownScopes.length === 1 ? 'a scope' : 'scopes'} this server does not offer: ${unknownScopes
					.map((s) => `"${s.slice(0, 64)}"`)
					.join(', ')}. ${unknownScopes.length === 1 ? 'It was' : 'They were'} left out.`,
			);
		}
		prefill.scopes = known;
	}

	const expiresIn = single('expires_in', 'expiry');
	const expire = single('expire', 'expiry');
	if (expiresIn !== undefined && expire !== undefined) warn('expiry', 'The link gives both "expires_in" and "expire"; "expires_in" is used.');
	const max = maxDays('personal', config);
	if (expiresIn !== undefined) {
		const days = /^\s*\d+\s*$/.test(expiresIn) ? Number(expiresIn) : NaN;
		if (!Number.isSafeInteger(days) || days < 1) {
			warn('expiry', `"expires_in=${expiresIn.slice(0, 40)}" is not a number of days; the default lifetime is selected.`);
		} else if (max !== null && days > max) {
			warn('expiry', `The link asked for ${daysLabel(days)}; tokens live at most ${daysLabel(max)} here, so that is selected.`);
			prefill.expiry = { type: 'days', days: max };
		} else prefill.expiry = { type: 'days', days };
	} else if (expire !== undefined) {
		const date = linkDate(expire);
		const latest = latestDate('personal', config, now);
		if (!date) warn('expiry', `"expire=${expire.slice(0, 40)}" is not a date (use YYYY-MM-DD); the default lifetime is selected.`);
		else if (endOfLocalDay(date)!.getTime() <= now.getTime()) warn('expiry', `The link asked for an expiry in the past (${date}); the default lifetime is selected.`);
		else if (latest !== null && date > latest) {
			warn('expiry', `The link asked for ${date}; tokens live at most ${daysLabel(max!)} here, so ${latest} is selected.`);
			prefill.expiry = { type: 'date', date: latest };
		} else prefill.expiry = { type: 'date', date };
	}

	const origins = single('origins', 'origins');
	if (origins !== undefined) {
		const kept: string[] = [];
		for (const entry of splitList(origins)) {
			const normalised = normaliseOrigin(entry);
			if (!normalised.ok) warn('origins', `"${entry.slice(0, 100)}" from the link ${normalised.reason}; it was left out.`);
			else if (!kept.includes(normalised.origin)) kept.push(normalised.origin);
		}
		if (kept.length > ORIGINS_MAX) warn('origins', `The link names more than ${ORIGINS_MAX} origins; only the first ${ORIGINS_MAX} are kept.`);
		prefill.origins = kept.slice(0, ORIGINS_MAX);
	}

	const callback = single('callback', 'callback');
	if (callback !== undefined) {
		const parsed = parseLoopbackCallback(callback.trim());
		if (parsed.ok) prefill.callback = parsed;
		else warn('callback', `The link asks to send the token to "${callback.slice(0, 200)}", which ${parsed.reason}. It will not be sent there; copy it from this page instead.`);
	}
	const state = single('state', 'callback');
	if (state !== undefined && prefill.callback) {
		if (state.length > STATE_MAX) warn('callback', `The link's "state" is longer than ${STATE_MAX} characters; the token will not be sent to the application.`);
		else prefill.state = state;
	}
	if (prefill.callback && state !== undefined && state.length > STATE_MAX) prefill.callback = null;

	return prefill;
}

function splitList(value: string): string[] {
	return value
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}

/** A `YYYY-MM-DD` (kept as is) or an ISO time (its local date), else `null`. */
function linkDate(value: string): string | null {
	const trimmed = value.trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return endOfLocalDay(trimmed) ? trimmed : null;
	if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return null;
	const at = new Date(trimmed);
	return Number.isNaN(at.getTime()) ? null : localDate(at);
}
