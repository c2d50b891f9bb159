/** Browser entry: `directus-extension-api-tokens/client`. */
export { createAppTokenClient } from './app-token-client.js';
export type { AppTokenClient, AppTokenClientOptions, AppTokenResult } from './app-token-client.js';
export { buildNewTokenUrl } from './build-new-token-url.js';
export type { NewTokenLink } from './build-new-token-url.js';
