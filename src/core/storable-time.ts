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
	const time = new Date(value).getTime();
	return Number.isFinite(time) && time >= EARLIEST_STORABLE_TIME.getTime() && time <= latest.getTime();
}
