import type { Knex } from 'knex';

/**
 * One versioned change to the bundle's schema. Steps run once each, in order, under the schema lock;
 * on PostgreSQL and SQLite each runs in a transaction with its bookkeeping row. MySQL/MariaDB commit
 * DDL at once, so a step must leave nothing behind when it fails and be able to run again.
 */
export interface SchemaStep {
	/** Sorts after every earlier step; recorded in `api_tokens_schema` once applied. Never renamed. */
	name: string;
	up(db: Knex): Promise<void>;
}

/** The database holds something a step cannot work with; the message says what and what to do. */
export class SchemaConflictError extends Error {
	override name = 'SchemaConflictError';
}
