const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in its canonical 8-4-4-4-12 form, the only form every database takes
 * (PostgreSQL's `uuid` type refuses `------------------------------------` or 36 hex digits).
 *
 * @example
 * ```ts
 * isUuid('2f0e1c1e-9a4b-4c59-8a0f-3f1d5c6b7a80'); // true
 * isUuid('a'.repeat(36)); // false
 * ```
 */
export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}
