/**
 * The schema runner against real databases, with several connections racing the way several
 * Directus instances starting together do: every step runs once, whoever comes first; a lock left
 * by a crashed process is taken over; a live one is waited for, and a wait that never ends says why.
 * PostgreSQL and MariaDB only: several Directus instances on one SQLite file is no deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { installSchema, pendingSteps } from '../src/directus/schema/install-schema.js';
import { acquireSchemaLock } from '../src/directus/schema/schema-lock.js';
import type { SchemaStep } from '../src/directus/schema/schema-step.js';
import { SCHEMA_LOCK_TABLE, SCHEMA_TABLE } from '../src/directus/schema/tables.js';
import { createTestDatabase, enabledDatabases, type TestDatabase } from './helpers/databases.js';

const RACERS = 8;

/** Two steps that each leave one row per run in `schema_probe`, so a step run twice shows. */
const steps: SchemaStep[] = [
	{
		name: '0001-probe-table',
		async up(db) {
			await db.schema.createTable('schema_probe', (table) => {
				table.increments('id');
				table.string('step', 50);
			});
			await db('schema_probe').insert({ step: 'first' });
		},
	},
	{
		name: '0002-probe-slow',
		async up(db) {
			// Slow enough that racers arrive while it runs.
			await new Promise((resolve) => setTimeout(resolve, 300));
			await db('schema_probe').insert({ step: 'second' });
		},
	},
];

describe.each(enabledDatabases().filter((name) => name !== 'sqlite'))('schema lock on %s', (databaseName) => {
	let database: TestDatabase;
	const connections: Knex[] = [];
	const connect = () => {
		const db = database.connect();
		connections.push(db);
		return db;
	};

	beforeAll(async () => {
		database = await createTestDatabase(databaseName);
	});
	afterAll(async () => {
		await Promise.all(connections.map((db) => db.destroy()));
		await database?.drop();
	});

	it(`applies each step once when ${RACERS} installers start at the same moment`, async () => {
		const reports = await Promise.all(Array.from({ length: RACERS }, () => installSchema(connect(), { steps })));
		const db = connect();
		expect((await db('schema_probe').orderBy('id')).map((row) => row.step)).toEqual(['first', 'second']);
		expect((await db(SCHEMA_TABLE).orderBy('name')).map((row) => row.name)).toEqual(['0001-probe-table', '0002-probe-slow']);
		expect(reports.filter((report) => report.applied.length > 0)).toEqual([{ applied: ['0001-probe-table', '0002-probe-slow'], waited: false }]);
		expect(reports.filter((report) => report.waited).length).toBeGreaterThan(0);
		expect(await db(SCHEMA_LOCK_TABLE)).toEqual([]);
		expect(await pendingSteps(db, steps)).toEqual([]);
	});

	it('takes over a lock its holder stopped refreshing, and waits for a live one', async () => {
		const db = connect();
		const later: SchemaStep = { name: '0003-probe-later', up: async (trx) => void (await trx('schema_probe').insert({ step: 'third' })) };
		// A crashed instance's lock: refreshed a minute ago, never released.
		await db(SCHEMA_LOCK_TABLE).insert({ id: 1, owner: 'crashed', heartbeat_at: Date.now() - 60_000 });
		expect((await installSchema(connect(), { steps: [...steps, later] })).applied).toEqual(['0003-probe-later']);

		const held = await acquireSchemaLock(connect(), { heartbeatMs: 100 });
		const fourth: SchemaStep = { name: '0004-probe-last', up: async (trx) => void (await trx('schema_probe').insert({ step: 'fourth' })) };
		await expect(installSchema(connect(), { steps: [...steps, later, fourth], lock: { timeoutMs: 1_000, staleMs: 30_000 } })).rejects.toThrow(/another Directus instance has been installing the schema/);
		expect(await pendingSteps(db, [...steps, later, fourth])).toEqual(['0004-probe-last']);
		let found!: () => void;
		const foundHeld = new Promise<void>((resolve) => (found = resolve));
		const waiting = installSchema(connect(), { steps: [...steps, later, fourth], lock: { onWait: found } });
		await foundHeld;
		await held.release();
		expect(await waiting).toEqual({ applied: ['0004-probe-last'], waited: true });
		expect((await db('schema_probe').orderBy('id')).map((row) => row.step)).toEqual(['first', 'second', 'third', 'fourth']);
	});
});
