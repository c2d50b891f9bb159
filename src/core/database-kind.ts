import type { Knex } from 'knex';

export type DatabaseKind = 'sqlite' | 'pg' | 'mysql';

/** Which SQL dialect a knex instance speaks (Directus's `DB_CLIENT` values and knex's aliases). */
export function databaseKind(db: Knex): DatabaseKind {
	const name = String(db.client.config.client);
	if (name === 'sqlite3' || name === 'better-sqlite3') return 'sqlite';
	if (name === 'pg' || name === 'postgres' || name === 'postgresql') return 'pg';
	return 'mysql';
}
