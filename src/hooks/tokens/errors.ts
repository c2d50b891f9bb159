import { createError, ErrorCode } from '@directus/errors';

/** Refused: a query that reads, filters, sorts, groups or aggregates on a token hash. */
export const SecretFieldError = createError<{ field: string }>(
	ErrorCode.Forbidden,
	({ field }) => `The field "${field}" of an API token can't be read, filtered, sorted or searched on.`,
	403,
);

/** Refused: deleting tokens that are not yours (reported like a missing item: no existence oracle). */
export const NotYourTokenError = createError(ErrorCode.Forbidden, "You don't have permission to access this.", 403);
