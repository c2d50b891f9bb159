/**
 * Which database Directus runs on, read from the same `DB_*` variables Directus itself reads, so
 * switching from SQLite to PostgreSQL or MariaDB is a matter of environment, not code.
 */
import { resolve } from 'node:path';
import { StartupError } from './startup-error.js';

/** The database clients we support and test, by Directus's `DB_CLIENT` name. */
export const SUPPORTED_CLIENTS = /** @type {const} */ ({
	sqlite3: 'SQLite',
	pg: 'PostgreSQL',
	mysql: 'MySQL/MariaDB',
});

const DEFAULT_PORTS = { pg: '5432', mysql: '3306' };

/**
 * Completes the `DB_*` variables: SQLite under `dataDir` when nothing is set, default ports, and
 * an empty `DB_PASSWORD` for MySQL (Directus insists on the variable being present).
 * @param {Record<string, string | undefined>} env
 * @param {string} dataDir
 * @returns {Record<string, string>}
 */
export function databaseEnv(env, dataDir) {
	const client = env.DB_CLIENT ?? 'sqlite3';
	if (!(client in SUPPORTED_CLIENTS)) {
		throw new StartupError(
			`Unsupported DB_CLIENT "${client}": use one of ${Object.keys(SUPPORTED_CLIENTS).join(', ')}.`,
		);
	}
	/** @type {Record<string, string>} */
	const out = { DB_CLIENT: client };
	if (client === 'sqlite3') {
		out.DB_FILENAME = resolve(env.DB_FILENAME ?? resolve(dataDir, 'directus.db'));
		return out;
	}
	if (env.DB_CONNECTION_STRING && client === 'pg') {
		out.DB_CONNECTION_STRING = env.DB_CONNECTION_STRING;
		out.DB_USER = env.DB_USER ?? '';
		return out;
	}
	for (const key of ['DB_HOST', 'DB_DATABASE', 'DB_USER']) {
		const value = env[key];
		if (!value) throw new StartupError(`${key} is required when DB_CLIENT=${client}.`);
		out[key] = value;
	}
	out.DB_PORT = env.DB_PORT ?? DEFAULT_PORTS[/** @type {'pg' | 'mysql'} */ (client)];
	out.DB_PASSWORD = env.DB_PASSWORD ?? '';
	return out;
}

/**
 * A knex configuration equivalent to what Directus builds from the same variables.
 * @param {Record<string, string>} dbEnv the output of {@link databaseEnv}
 * @returns {import('knex').Knex.Config}
 */
export function knexConfig(dbEnv) {
	switch (dbEnv.DB_CLIENT) {
		case 'sqlite3':
			return { client: 'sqlite3', connection: { filename: dbEnv.DB_FILENAME ?? '' }, useNullAsDefault: true };
		case 'pg':
			return {
				client: 'pg',
				connection: dbEnv.DB_CONNECTION_STRING ?? {
					host: dbEnv.DB_HOST,
					port: Number(dbEnv.DB_PORT),
					user: dbEnv.DB_USER,
					password: dbEnv.DB_PASSWORD,
					database: dbEnv.DB_DATABASE,
				},
			};
		default:
			return {
				client: 'mysql2',
				connection: {
					host: dbEnv.DB_HOST,
					port: Number(dbEnv.DB_PORT),
					user: dbEnv.DB_USER,
					password: dbEnv.DB_PASSWORD,
					database: dbEnv.DB_DATABASE,
				},
			};
	}
}

/** A human description of where the database is, without its password. */
export function describeDatabase(dbEnv) {
	const name = SUPPORTED_CLIENTS[/** @type {keyof typeof SUPPORTED_CLIENTS} */ (dbEnv.DB_CLIENT)];
	if (dbEnv.DB_CLIENT === 'sqlite3') return `${name} at ${dbEnv.DB_FILENAME}`;
	if (dbEnv.DB_CONNECTION_STRING) return `${name} (DB_CONNECTION_STRING)`;
	return `${name} ${dbEnv.DB_USER}@${dbEnv.DB_HOST}:${dbEnv.DB_PORT}/${dbEnv.DB_DATABASE}`;
}
