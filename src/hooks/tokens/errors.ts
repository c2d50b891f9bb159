import { createError, ErrorCode } from '@directus/errors';

/** Refused: ordering, grouping or aggregating on a token hash (a lookup oracle `conceal` leaves open). */
export const SecretFieldError = createError<{ field: string }>(
	ErrorCode.Forbidden,
	({ field }) => `The field "${field}" of an API token can't be sorted, grouped or aggregated on.`,
	403,
);

/** Our token was presented but is not (or no longer) good for Directus. */
export const TokenRefusedError = createError<{ reason: string }>(
	ErrorCode.InvalidCredentials,
	({ reason }) => `API token refused: ${reason}.`,
	401,
);

/** Our tables change only through the token API, which shows a new token once and checks every rule. */
export const ReadOnlyTableError = createError<{ collection: string }>(
	ErrorCode.Forbidden,
	({ collection }) => `"${collection}" is read-only here: API tokens and their apps are managed with /api-tokens and the API Tokens module (/admin/tokens).`,
	403,
);

/** The bundle's schema could not be installed; the message is the one line logged at start. */
export const SchemaUnavailableError = createError<{ problem: string }>(ErrorCode.ServiceUnavailable, ({ problem }) => problem, 503);
