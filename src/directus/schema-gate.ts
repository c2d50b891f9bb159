/**
 * Whether the bundle's schema is usable in this process. The hook installs or upgrades it when
 * Directus starts (before it serves any request); if that fails, the reason is logged once, in one
 * line, and every route of ours answers 503 with the same line instead of reaching missing tables.
 * CLI commands load the bundle without starting the server: there, code that needs the tables asks
 * {@link schemaInstalled}, which looks once.
 */
import type { Knex } from 'knex';
import { installSchema, pendingSteps } from './schema/install-schema.js';
import { SchemaConflictError } from './schema/schema-step.js';

type SchemaState = { kind: 'unknown' } | { kind: 'ready' } | { kind: 'failed'; problem: string };

let state: SchemaState = { kind: 'unknown' };

interface Logger {
	info(message: string): void;
	error(message: string): void;
}

/** The database's own words, on one line: knex prefixes driver errors with the whole SQL statement. */
function reasonOf(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const fromDriver = !(error instanceof SchemaConflictError) && error.message.includes(' - ');
	const text = fromDriver ? error.message.slice(error.message.lastIndexOf(' - ') + 3) : error.message;
	return text.replace(/\s+/g, ' ').trim();
}

/**
 * Installs or upgrades the schema; `afterChange` runs when this call applied a step (Directus's
 * schema and permission caches must forget what they read before).
 */
export async function installAtStart(db: Knex, logger: Logger, afterChange: () => Promise<void>): Promise<void> {
	try {
		const { applied, waited } = await installSchema(db);
		if (applied.length) logger.info(`api-tokens: schema installed (${applied.join(', ')})`);
		else if (waited) logger.info('api-tokens: schema installed by another instance');
		if (applied.length || waited) await afterChange();
		state = { kind: 'ready' };
	} catch (error) {
		const problem = `api-tokens: the schema could not be installed: ${reasonOf(error)}. The token routes answer 503 until it is; restart Directus once fixed.`;
		state = { kind: 'failed', problem };
		logger.error(problem);
	}
}

/**
 * Whether this process installed (or found) the schema. Schedules ask it: Directus starts them when
 * it loads the hook, before the install at start has run, and a table may not exist yet.
 */
export function schemaReady(): boolean {
	return state.kind === 'ready';
}

/** Why our routes cannot work, or `null` (the schema is installed, or this process never tried). */
export function schemaProblem(): string | null {
	return state.kind === 'failed' ? state.problem : null;
}

/** Whether our tables are there and up to date (looked up once in processes that did not install). */
export async function schemaInstalled(db: Knex): Promise<boolean> {
	if (state.kind !== 'unknown') return state.kind === 'ready';
	const pending = await pendingSteps(db).catch(() => null);
	if (pending?.length === 0) state = { kind: 'ready' };
	return pending?.length === 0;
}
