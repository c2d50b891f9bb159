import type { Knex } from 'knex';
import { installAtStart } from '../../directus/schema-gate.js';
import { installSchema, pendingSteps, SCHEMA_STEPS } from '../../directus/schema/install-schema.js';
import { uninstallSchema } from '../../directus/schema/uninstall-schema.js';
import type { CliProgram, RegisterInit } from './hook-types.js';

interface SchemaContext {
	database: Knex;
	logger: { info(message: string): void; error(message: string): void };
	/** Directus's own caches (schema, permissions) forget what they read before our tables changed. */
	clearDirectusCaches(): Promise<void>;
}

/** One line to the terminal, then the CLI command's exit status. */
function finish(line: string, code: number): never {
	(code === 0 ? process.stdout : process.stderr).write(`${line}\n`);
	process.exit(code);
}

/**
 * The schema installs itself: at every start of the server, before Directus serves a request
 * (`app.before` is awaited), pending steps are applied once, whichever instance comes first. The CLI
 * gains `directus api-tokens status`, `install` and `uninstall --yes` (the last drops every token).
 */
export function registerSchema(init: RegisterInit, { database, logger, clearDirectusCaches }: SchemaContext): void {
	init('app.before', () => installAtStart(database, logger, clearDirectusCaches));

	init('cli.before', ({ program }: { program: CliProgram }) => {
		const command = program.command('api-tokens').description('The API tokens extension: its schema in this database');
		command
			.command('status')
			.description('Tell whether the schema is installed and up to date')
			.action(async () => {
				const pending = await pendingSteps(database);
				if (pending === null) finish('api-tokens: not installed (it installs itself when Directus starts)', 1);
				if (pending.length) finish(`api-tokens: installed; pending steps: ${pending.join(', ')}`, 1);
				finish(`api-tokens: installed and up to date (${SCHEMA_STEPS.length} steps)`, 0);
			});
		command
			.command('install')
			.description('Install or upgrade the schema now (Directus also does it at start)')
			.action(async () => {
				const { applied } = await installSchema(database);
				finish(applied.length ? `api-tokens: applied ${applied.join(', ')}` : 'api-tokens: the schema is up to date', 0);
			});
		command
			.command('uninstall')
			.description('Drop the tables (every token!), the metadata and the module entry of the extension')
			.option('--yes', 'confirm: every token stops working')
			.action(async (options) => {
				if (options.yes !== true) finish('api-tokens: this drops every API token and app; run again with --yes to confirm', 1);
				const { dropped } = await uninstallSchema(database);
				finish(`api-tokens: removed${dropped.length ? ` ${dropped.join(', ')}` : ''}; remove the extension too, or it installs itself again at the next start`, 0);
			});
	});
}
