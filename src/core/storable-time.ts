/**
 * The range of times a timestamp column holds. MySQL/MariaDB `TIMESTAMP` ends at 2038-01-19
 * 03:14:07 UTC (writing later fails with "Incorrect datetime value"); PostgreSQL and SQLite go to
 * year 9999 as far as ISO 8601 strings reach. Token expiries are checked against it, so a far
 * expiry is a clear 400 instead of a database error.
 */
export const EARLIEST_STORABLE_TIME = new Date('1970-01-01T00:00:01.000Z');

/**
 * The latest time a timestamp column of this knex client holds.
 *
 * @example
 * ```ts
 * latestStorableTime('mysql').toISOString(); // '2038-01-19T03:14:07.000Z'
 * ```
 */
export function latestStorableTime(client: string): Date {
	return /^(mysql2?|mariadb)$/i.test(client) ? new Date('2038-01-19T03:14:07.000Z') : new Date('9999-12-31T23:59:59.999Z');
}

/**
 * Whether an ISO string's date part names a day that exists: V8 rolls `2030-02-30` over to March 2,
 * while Directus's own parsing makes it an invalid date (a 500 on PostgreSQL).
 */
function isCalendarDate(value: string): boolean {
	const parts = /^\s*([+-]?\d{4,6})-(\d{2})-(\d{2})/.exec(value);
	if (!parts) return true; // not a calendar-date string: left to the Date parse below
	const [year, month, day] = parts.slice(1).map(Number) as [number, number, number];
	const date = new Date(Date.UTC(year, month - 1, day));
	date.setUTCFullYear(year); // Date.UTC reads years 0-99 as 1900-1999
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Whether `value` (an ISO string, a Date or epoch milliseconds) is a valid time within
 * [{@link EARLIEST_STORABLE_TIME}, `latest`].
 *
 * @example
 * ```ts
 * isStorableTime('2100-01-01T00:00:00Z', latestStorableTime('mysql')); // false
 * ```
 */
export function isStorableTime(value: unknown, latest: Date): boolean {
	if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date)) return false;
	if (typeof value === 'string' && !isCalendarDate(value)) return false;
	const time = new Date(value).getTime();
	return Number.isFinite(time) && time >= EARLIEST_STORABLE_TIME.getTime() && time <= latest.getTime();
}
