import { createError, ErrorCode } from '@directus/errors';

/** Refused: a query that reads, filters, sorts, groups or aggregates on a token hash. */
export const SecretFieldError = createError<{ field: string }>(
	ErrorCode.Forbidden,
	({ field }) => `The field "${field}" of an API token can't be read, filtered, sorted or searched on.`,
	403,
);

/** Refused: deleting tokens that are not yours (reported like a missing item: no existence oracle). */
export const NotYourTokenError = createError(ErrorCode.Forbidden, "You don't have permission to access this.", 403);

/** Our token was presented but is not (or no longer) good for Directus. */
export const TokenRefusedError = createError<{ reason: string }>(
	ErrorCode.InvalidCredentials,
	({ reason }) => `API token refused: ${reason}.`,
	401,
);

/** Tokens are created through the token API so the creator sees the plaintext once. */
export const UseTokenApiError = createError(
	ErrorCode.InvalidPayload,
	'API tokens are created with POST /api-tokens (or the API Tokens module at /admin/tokens), which shows the new token once; they cannot be created through /items or GraphQL.',
	400,
);

/** A field managed by the server. */
export const ReadOnlyFieldError = createError<{ field: string }>(
	ErrorCode.InvalidPayload,
	({ field }) => `"${field}" of an API token is managed by the server and cannot be changed directly; use the token API (/api-tokens).`,
	400,
);

/** A value an admin wrote through the items API breaks the token rules. */
export const InvalidTokenFieldError = createError<{ field: string; problem: string }>(
	ErrorCode.InvalidPayload,
	({ field, problem }) => `Invalid "${field}" for an API token: ${problem}.`,
	400,
);

/** A value an admin wrote to a token app (`api_token_apps`) is wrong. */
export const InvalidAppFieldError = createError<{ field: string; problem: string }>(
	ErrorCode.InvalidPayload,
	({ field, problem }) => `Invalid "${field}" for a token app: ${problem}.`,
	400,
);

/** Refused: a non-admin's filter that reaches API tokens from another collection (`$FOLLOW`). */
export const FollowIntoTokensError = createError<{ collection: string }>(
	ErrorCode.Forbidden,
	({ collection }) => `Filtering through "${collection}" from another collection ($FOLLOW) is not allowed.`,
	403,
);

/** Refused: a non-admin's WebSocket subscription to our collections (delete events carry every user's ids). */
export const TokenSubscriptionError = createError<{ collection: string }>(
	ErrorCode.Forbidden,
	({ collection }) => `Only admins subscribe to "${collection}".`,
	403,
);
