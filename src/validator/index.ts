/**
 * `directus-extension-api-tokens/validator`: check our tokens in API services, outside Directus,
 * against the dashboard's database, without a query per request.
 */
export { createTokenValidator } from './create-token-validator.js';
export type { TokenValidator, TokenValidatorOptions, TokenChange } from './create-token-validator.js';
export { watchConnection } from './watch-connection.js';
export type { ConnectionWatch, WatchOptions } from './watch-connection.js';
export { redisChannel, postgresChannel } from './channels.js';
export type { TokenEventChannel } from './channels.js';
export type { ValidToken, ValidationResult, ValidateOptions, ValidatorStatus } from './types.js';
export { authenticate, authenticateNow, bearerToken, chain } from './http-auth.js';
export type { AuthOutcome, AuthenticateOptions, Validator } from './http-auth.js';
export { requireToken } from './express-middleware.js';
export { createTierRateLimiter, DEFAULT_TIERS } from './rate-limit.js';
export type { Tier, TierLimit, RateDecision, RateLimiterOptions } from './rate-limit.js';
export { clientKey } from './client-key.js';
