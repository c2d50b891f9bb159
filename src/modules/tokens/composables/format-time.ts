/**
 * Times as the token pages show them: relative ("in 3 days", "2 hours ago") with the exact local
 * time for a tooltip. Pure, with the clock passed in.
 */
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
	['year', 365 * 86_400_000],
	['month', 30 * 86_400_000],
	['day', 86_400_000],
	['hour', 3_600_000],
	['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const exact = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * @example
 * ```ts
 * relativeTime('2026-11-26T12:00:00Z', new Date('2026-11-23T12:00:00Z')); // 'in 3 days'
 * relativeTime('2026-11-23T11:59:30Z', new Date('2026-11-23T12:00:00Z')); // 'just now'
 * ```
 */
export function relativeTime(at: string | Date, now: Date): string {
	const diff = new Date(at).getTime() - now.getTime();
	const size = Math.abs(diff);
	if (size < 60_000) return 'just now';
	for (const [unit, ms] of UNITS) {
		if (size >= ms) return relative.format(Math.round(diff / ms), unit);
	}
	return relative.format(Math.round(diff / 60_000), 'minute');
}

/**
 * @example
 * ```ts
 * exactTime('2026-11-23T12:00:00Z'); // 'Nov 23, 2026, 12:00 PM' (in the browser's time zone)
 * ```
 */
export function exactTime(at: string | Date): string {
	return exact.format(new Date(at));
}
