import type { Knex } from 'knex';

/** Every row of every table of the database, as one string: for "no secret anywhere" checks. */
export async function dumpDatabase(db: Knex): Promise<string> {
	const client = String(db.client.config.client);
	let tables: string[];
	if (client === 'sqlite3') {
		tables = (await db('sqlite_master').where({ type: 'table' }).select('name')).map((r) => String(r.name));
	} else if (client === 'pg') {
		tables = (await db('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).select('table_name')).map((r) => String(r.table_name));
	} else {
		const database = (await db.raw('select database() as db'))[0][0].db;
		tables = (await db('information_schema.tables').where({ table_schema: database, table_type: 'BASE TABLE' }).select('table_name as name')).map((r) => String(r.name));
	}
	const parts: string[] = [];
	for (const table of tables) parts.push(table, JSON.stringify(await db(table).select('*')));
	return parts.join('\n');
}
