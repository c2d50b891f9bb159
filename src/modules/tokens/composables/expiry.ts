/**
 * Expiry choices of the new-token form: presets in days, a custom date, or never (only for a kind
 * whose maximum lifetime is unlimited). Pure functions over the server's config and a given clock.
 */
import type { TokenKind } from '../../../shared/constants.js';
import type { CreateTokenRequest, TokenServerConfig } from '../types.js';

export type ExpiryChoice = { type: 'days'; days: number } | { type: 'date'; date: string } | { type: 'never' };

/** The presets offered when the server allows them. */
export const PRESET_DAYS = [30, 90, 180, 365] as const;

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface ExpiryOption {
	value: string;
	text: string;
}

/** The select's key of a choice: `days:30`, `date`, `never`. */
export function expiryKey(choice: ExpiryChoice): string {
	return choice.type === 'days' ? `days:${choice.days}` : choice.type;
}

/** The choice a select key stands for; `date` keeps `currentDate` (or none yet). */
export function choiceFromKey(key: string, currentDate = ''): ExpiryChoice {
	if (key === 'never') return { type: 'never' };
	if (key === 'date') return { type: 'date', date: currentDate };
	const days = Number(key.slice('days:'.length));
	return { type: 'days', days };
}

/** Longest lifetime of `kind` in whole days, or `null` when it may never expire. */
export function maxDays(kind: TokenKind, config: TokenServerConfig): number | null {
	const seconds = config.maxTtlSeconds[kind];
	return seconds === null ? null : Math.floor(seconds / 86_400);
}

/**
 * The options of the expiry select for `kind`: the presets within the server's maximum, the current
 * choice when it is another number of days (e.g. from a link), a custom date, and never where allowed.
 *
 * @example
 * ```ts
 * expiryOptions('personal', config, { type: 'days', days: 14 }).map((o) => o.text);
 * // ['14 days', '30 days', '90 days', '180 days', '1 year', 'Custom date…']
 * ```
 */
export function expiryOptions(kind: TokenKind, config: TokenServerConfig, current?: ExpiryChoice): ExpiryOption[] {
	const max = maxDays(kind, config);
	const days = new Set<number>(PRESET_DAYS.filter((d) => max === null || d <= max));
	if (current?.type === 'days') days.add(current.days);
	const options: ExpiryOption[] = [...days].sort((a, b) => a - b).map((d) => ({ value: `days:${d}`, text: daysLabel(d) }));
	options.push({ value: 'date', text: 'Custom date…' });
	if (max === null) options.push({ value: 'never', text: 'Never' });
	return options;
}

export function daysLabel(days: number): string {
	if (days === 365) return '1 year';
	return days === 1 ? '1 day' : `${days} days`;
}

/** The choice a new form starts with: the server's default lifetime when it is whole days. */
export function defaultExpiry(kind: TokenKind, config: TokenServerConfig): ExpiryChoice {
	const max = maxDays(kind, config);
	const fallback = Math.max(1, Math.round(config.defaultTtlSeconds / 86_400));
	return { type: 'days', days: max === null ? fallback : Math.min(fallback, max) };
}

/** Local `YYYY-MM-DD` of a time (what `<input type="date">` shows). */
export function localDate(at: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The last millisecond of a local `YYYY-MM-DD`, or `null` when it is no date. */
export function endOfLocalDay(date: string): Date | null {
	const match = DATE_PATTERN.exec(date);
	if (!match) return null;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const at = new Date(year, month - 1, day, 23, 59, 59, 999);
	if (at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day) return null;
	return at;
}

/** The latest date a custom expiry may take for `kind`, or `null` when unlimited. */
export function latestDate(kind: TokenKind, config: TokenServerConfig, now: Date): string | null {
	const max = maxDays(kind, config);
	return max === null ? null : localDate(new Date(now.getTime() + max * DAY_MS));
}

/**
 * What is wrong with a choice for `kind`, or `null` when it is fine.
 *
 * @example
 * ```ts
 * expiryProblem({ type: 'never' }, 'personal', config, now); // 'Personal tokens must expire.'
 * ```
 */
export function expiryProblem(choice: ExpiryChoice, kind: TokenKind, config: TokenServerConfig, now: Date): string | null {
	const max = maxDays(kind, config);
	if (choice.type === 'never') return max === null ? null : `${kindLabel(kind)} tokens must expire.`;
	if (choice.type === 'days') {
		if (!Number.isInteger(choice.days) || choice.days < 1) return 'Choose a lifetime of at least one day.';
		if (max !== null && choice.days > max) return `${kindLabel(kind)} tokens live at most ${daysLabel(max)}.`;
		return null;
	}
	const end = endOfLocalDay(choice.date);
	if (!end) return 'Pick the date the token expires.';
	if (end.getTime() <= now.getTime()) return 'The date must be in the future.';
	const latest = latestDate(kind, config, now);
	if (latest !== null && choice.date > latest) return `${kindLabel(kind)} tokens live at most ${daysLabel(max!)} (until ${latest}).`;
	return null;
}

/** The `duration` / `expires_at` fields of a create request for a choice. */
export function expiryRequest(choice: ExpiryChoice): Pick<CreateTokenRequest, 'duration' | 'expires_at'> {
	if (choice.type === 'never') return { duration: null };
	if (choice.type === 'days') return { duration: choice.days * 86_400 };
	const end = endOfLocalDay(choice.date);
	return end ? { expires_at: end.toISOString() } : {};
}

/** When a choice would expire, for the form's "expires on …" line; `null` for never or no date yet. */
export function expiryDate(choice: ExpiryChoice, now: Date): Date | null {
	if (choice.type === 'never') return null;
	if (choice.type === 'days') return new Date(now.getTime() + choice.days * DAY_MS);
	return endOfLocalDay(choice.date);
}

const KIND_LABELS: Readonly<Record<TokenKind, string>> = { personal: 'Personal', app: 'App', service: 'Service', anonymous: 'Anonymous' };

/** `Personal`, `App`, `Service`, `Anonymous`. */
export function kindLabel(kind: TokenKind): string {
	return KIND_LABELS[kind];
}
