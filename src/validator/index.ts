/**
 * `directus-extension-api-tokens/validator`: check our tokens in API services, outside Directus,
 * against the dashboard's database, without a query per request.
 */
export { createTokenValidator } from './create-token-validator.js';
export type { TokenValidator, TokenValidatorOptions } from './create-token-validator.js';
export { redisChannel, postgresChannel } from './channels.js';
export type { TokenEventChannel } from './channels.js';
export type { ValidToken, ValidationResult, ValidateOptions, ValidatorStatus } from './types.js';
