/**
 * Isomorphic constants shared by the API side, the validator and the Vue module.
 * Nothing in here may import node or browser code.
 */

/**
 * The kinds of token we issue. Each has its own prefix (see `core/token-format.ts`). `anonymous`
 * tokens have no owner: they give a visitor or a bot installation a stable identity and a quota.
 */
export const TOKEN_KINDS = ['personal', 'app', 'service', 'anonymous'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Table (and Directus collection) names. */
export const TOKENS_TABLE = 'api_tokens';
export const APPS_TABLE = 'api_token_apps';
/** Device clients (RFC 8628): CLIs and bots admins allow to ask users for tokens. */
export const DEVICE_CLIENTS_TABLE = 'api_token_device_clients';
/** Pending, approved, denied and redeemed device authorizations (hashes of their codes only). */
export const DEVICE_CODES_TABLE = 'api_token_device_codes';

/** Default prefix per kind; overridable with `API_TOKENS_PREFIX_<KIND>`. */
export const DEFAULT_PREFIXES: Readonly<Record<TokenKind, string>> = {
	personal: 'dtp',
	app: 'dta',
	service: 'dts',
	anonymous: 'dtn',
};

/** The system scope a service token needs to issue anonymous tokens for a subject of its choice. */
export const ANONYMOUS_ISSUE_SCOPE = 'anonymous:issue';

/** The tier of anonymous tokens from the open (credential-less) endpoint. */
export const OPEN_ANONYMOUS_TIER = 'open';

/** Where the token endpoint is mounted (`/api-tokens`). */
export const ENDPOINT_ID = 'api-tokens';

/** Id of the Data Studio module (`/admin/tokens`). */
export const MODULE_ID = 'tokens';

/**
 * Device authorization user codes (RFC 8628 §6.1): 8 letters of 20 consonants (no vowels, so no
 * words; nothing to confuse with a digit), shown `XXXX-XXXX`. Shared by the server and the page.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;
