/**
 * The databases integration tests run against: SQLite always, PostgreSQL and MariaDB when their
 * URLs are set (`.ci/run` sets both). Each suite gets a fresh, uniquely named database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { knexConfig } from '../../scripts/lib/database-env.js';

export type DatabaseName = 'sqlite' | 'postgres' | 'mariadb';

export interface TestDatabase {
	name: DatabaseName;
	/** `DB_*` variables for Directus. */
	dbEnv: Record<string, string>;
	/** A knex connection of the test's own to the same database. */
	connect(): Knex;
	drop(): Promise<void>;
}

/** Databases enabled on this machine, in the order suites should use them. */
export function enabledDatabases(): DatabaseName[] {
	const names: DatabaseName[] = ['sqlite'];
	if (process.env.TEST_PG_URL) names.push('postgres');
	if (process.env.TEST_MARIADB_URL) names.push('mariadb');
	return names;
}

export async function createTestDatabase(name: DatabaseName): Promise<TestDatabase> {
	const unique = `apitok_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	if (name === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), 'apitok-sqlite-'));
		const dbEnv = { DB_CLIENT: 'sqlite3', DB_FILENAME: join(dir, 'directus.db') };
		return {
			name,
			dbEnv,
			connect: () => knex(knexConfig(dbEnv)),
			drop: async () => rmSync(dir, { recursive: true, force: true }),
		};
	}
	const url = new URL(name === 'postgres' ? process.env.TEST_PG_URL! : process.env.TEST_MARIADB_URL!);
	const dbEnv: Record<string, string> = {
		DB_CLIENT: name === 'postgres' ? 'pg' : 'mysql',
		DB_HOST: url.hostname,
		DB_PORT: url.port || (name === 'postgres' ? '5432' : '3306'),
		DB_USER: decodeURIComponent(url.username),
		DB_PASSWORD: decodeURIComponent(url.password),
		DB_DATABASE: unique,
	};
	const admin = knex(knexConfig({ ...dbEnv, DB_DATABASE: url.pathname.slice(1) || (name === 'postgres' ? 'postgres' : 'test') }));
	try {
		await admin.raw(name === 'postgres' ? `create database "${unique}"` : `create database \`${unique}\` character set utf8mb4`);
	} finally {
		await admin.destroy();
	}
	return {
		name,
		dbEnv,
		connect: () => knex(knexConfig(dbEnv)),
		drop: async () => {
			const dropper = knex(knexConfig({ ...dbEnv, DB_DATABASE: url.pathname.slice(1) || (name === 'postgres' ? 'postgres' : 'test') }));
			try {
				await dropper.raw(name === 'postgres' ? `drop database if exists "${unique}" with (force)` : `drop database if exists \`${unique}\``);
			} finally {
				await dropper.destroy();
			}
		},
	};
}
