/**
 * Isomorphic constants shared by the API side, the validator and the Vue module.
 * Nothing in here may import node or browser code.
 */

/** The three kinds of token we issue. Each has its own prefix (see `core/token-format.ts`). */
export const TOKEN_KINDS = ['personal', 'app', 'service'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Table (and Directus collection) names. */
export const TOKENS_TABLE = 'api_tokens';
export const APPS_TABLE = 'api_token_apps';

/** Default prefix per kind; overridable with `API_TOKENS_PREFIX_<KIND>`. */
export const DEFAULT_PREFIXES: Readonly<Record<TokenKind, string>> = {
	personal: 'dtp',
	app: 'dta',
	service: 'dts',
};

/** Where the token endpoint is mounted (`/api-tokens`). */
export const ENDPOINT_ID = 'api-tokens';

/** Id of the Data Studio module (`/admin/tokens`). */
export const MODULE_ID = 'tokens';

