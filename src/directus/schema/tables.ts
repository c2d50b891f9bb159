/**
 * Names of everything the bundle keeps in the database, so that installing, upgrading and
 * removing the schema agree on one list.
 */
import { APPS_TABLE, TOKENS_TABLE } from '../../shared/constants.js';
import { EVENTS_TABLE } from '../../core/token-audit.js';

/** Which steps of the schema have been applied (one row per step). */
export const SCHEMA_TABLE = 'api_tokens_schema';
/** Held by the one process applying steps (a row with a primary key: inserting it is the lock). */
export const SCHEMA_LOCK_TABLE = 'api_tokens_schema_lock';

/** Our data tables, in the order they may be dropped (referencing tables first). */
export const DATA_TABLES = [EVENTS_TABLE, TOKENS_TABLE, APPS_TABLE] as const;

/** Columns whose values are secrets (hashes of tokens): Directus conceals them from everyone. */
export const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
	[TOKENS_TABLE]: ['hash', 'previous_hash'],
};

/** The Directus policy that older versions attached to every role ("own tokens"), removed on upgrade. */
export const LEGACY_OWNER_POLICY_ID = '6a0f4e0b-8d7c-4d55-9a55-0a11c0de7e11';
