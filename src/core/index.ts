/** Framework-free token core: format, hashing, policy, config and the knex store. */
export * from './token-format.js';
export * from './token-hash.js';
export * from './origin.js';
export * from './duration.js';
export * from './config.js';
export * from './policy.js';
export * from './errors.js';
export * from './token-record.js';
export * from './token-info.js';
export * from './token-store.js';
export { BASE62_ALPHABET } from './base62.js';
export * from './token-events.js';
export * from './token-service.js';
export * from './token-requests.js';
export * from './token-audit.js';
export * from './app-store.js';
export * from './app-token-issuer.js';
export * from './app-policy.js';
