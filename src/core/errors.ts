/**
 * Stable error codes. Expected failures are returned as values carrying one of these codes, never
 * thrown; only misconfiguration throws (`ConfigError`).
 */

/** A configuration value is wrong. The message is one line naming the variable. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Why the validator refused a token. */
export const VALIDATION_FAILURE_CODES = [
	'malformed',
	'unknown',
	'expired',
	'revoked',
	'owner_inactive',
	'origin_not_allowed',
	'insufficient_scope',
	'unavailable',
] as const;
export type ValidationFailureCode = (typeof VALIDATION_FAILURE_CODES)[number];

/** Why the token API refused a request (answered as 4xx with this code). */
export const REQUEST_ERROR_CODES = [
	'invalid_request',
	'invalid_name',
	'invalid_description',
	'invalid_scopes',
	'invalid_origins',
	'invalid_expiry',
	'expiry_in_past',
	'never_not_allowed',
	'too_many_tokens',
	'not_refreshable',
	'not_found',
	'unauthenticated',
	'forbidden',
	'rate_limited',
	'origin_not_allowed',
	'unsupported_media_type',
	'app_misconfigured',
	'conflict',
	'invalid_subject',
	'invalid_tier',
	'feature_disabled',
	'invalid_user_code',
] as const;
export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
