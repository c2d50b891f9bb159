/**
 * Whether a database error is a unique-constraint violation (PostgreSQL 23505, MySQL/MariaDB
 * ER_DUP_ENTRY, SQLite SQLITE_CONSTRAINT_UNIQUE): two requests raced for the same name and the
 * database kept one. Turned into a 409, never a 500.
 */
export function isUniqueViolation(error: unknown): boolean {
	if (!error || typeof error !== 'object') return false;
	const { code, errno, message } = error as { code?: unknown; errno?: unknown; message?: unknown };
	if (code === '23505' || code === 'ER_DUP_ENTRY' || errno === 1062) return true;
	return code === 'SQLITE_CONSTRAINT' && typeof message === 'string' && message.includes('UNIQUE');
}
