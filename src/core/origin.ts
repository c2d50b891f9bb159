/**
 * Origin rules live in `shared/` so the Vue module validates origins exactly as the server does;
 * this re-export keeps `core` imports unchanged.
 */
export { normaliseOrigin, originMatches, type NormalisedOrigin } from '../shared/origin.js';
