/**
 * Names of everything the bundle keeps in the database, so that installing, upgrading and
 * removing the schema agree on one list.
 */
import { APPS_TABLE, DEVICE_CLIENTS_TABLE, DEVICE_CODES_TABLE, TOKENS_TABLE } from '../../shared/constants.js';
import { EVENTS_TABLE } from '../../core/token-audit.js';
import { NOTICES_TABLE } from '../../core/expiry-notice-store.js';

/** Which steps of the schema have been applied (one row per step). */
export const SCHEMA_TABLE = 'api_tokens_schema';
/** Held by the one process applying steps (a row with a primary key: inserting it is the lock). */
export const SCHEMA_LOCK_TABLE = 'api_tokens_schema_lock';

/**
 * Our data tables, in the order they may be dropped (referencing tables first). Every one gets the
 * same protection: no Directus collection or permission (deny by default, `directus-metadata.ts`),
 * read-only for admins (`register-read-only-tables.ts`), dropped by the uninstall.
 */
export const DATA_TABLES = [DEVICE_CODES_TABLE, DEVICE_CLIENTS_TABLE, NOTICES_TABLE, EVENTS_TABLE, TOKENS_TABLE, APPS_TABLE] as const;

/**
 * The only field metadata our tables get, for Directus's reads (admins only: nobody else has any
 * permission): the token hashes are `conceal` (shown to nobody, never filtered but `_null`/`_empty`,
 * never searched); JSON columns are `cast-json` (so every database answers arrays, not text).
 */
export const FIELD_SPECIALS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
	[TOKENS_TABLE]: { hash: 'conceal', previous_hash: 'conceal', scopes: 'cast-json', origins: 'cast-json' },
	[APPS_TABLE]: { origins: 'cast-json', scopes: 'cast-json' },
	[DEVICE_CLIENTS_TABLE]: { scopes: 'cast-json' },
	[DEVICE_CODES_TABLE]: { device_hash: 'conceal', user_code_hash: 'conceal', scopes: 'cast-json', token_scopes: 'cast-json' },
};

/** Columns whose values are secrets (hashes of tokens). */
export const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
	Object.entries(FIELD_SPECIALS).map(([collection, fields]) => [collection, Object.keys(fields).filter((field) => fields[field] === 'conceal')]),
);

/** The Directus policy that older versions attached to every role ("own tokens"), removed on upgrade. */
export const LEGACY_OWNER_POLICY_ID = '6a0f4e0b-8d7c-4d55-9a55-0a11c0de7e11';
