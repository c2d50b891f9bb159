/**
 * Shapes of the token API (`/api-tokens`) as the module reads them. Where the server declares one,
 * it is re-exported as a type (erased from the build: the module never bundles server code).
 */
import type { TokenInfo } from '../../core/token-info.js';

/** A token as the API lists it: never the secret (the server's own type; types only, no server code). */
export type { TokenInfo, TokenHistoryEvent } from '../../core/token-info.js';

/** What create, regenerate and refresh answer: the only time the plaintext is sent. */
export interface RevealedToken {
	token: string;
	info: TokenInfo;
	/** The server shortened the requested lifetime to its cap. */
	capped: boolean;
}

/** `GET /api-tokens/config`. */
export type { PublicTokenConfig as TokenServerConfig } from '../../endpoints/tokens/public-config.js';

/** The body of `POST /api-tokens`. */
export interface CreateTokenRequest {
	name: string;
	description?: string | null;
	scopes: string[];
	origins: string[];
	duration?: number | null;
	expires_at?: string;
	refreshable?: boolean;
	kind?: 'personal' | 'service';
}

/** The body of `PATCH /api-tokens/:id` (any subset; scopes can only narrow). */
export interface UpdateTokenRequest {
	name?: string;
	description?: string | null;
	scopes?: string[];
	origins?: string[];
	expires_at?: string | null;
}

/** A front-end app that may mint app tokens, as `/api-tokens/apps` shows it (the server's own type). */
export type { AppInfo } from '../../core/app-service.js';

/**
 * The body of `POST /api-tokens/apps` (name and origins required) and `PATCH /api-tokens/apps/:id`
 * (any subset). Origins go as typed: the server normalises and checks them.
 */
export interface AppRequest {
	name?: string;
	origins?: string[];
	scopes?: string[];
	/** Seconds. */
	ttl?: number;
	max_active_per_user?: number;
	enabled?: boolean;
}
