/**
 * Shapes of the token API (`/api-tokens`) as the module reads them. They mirror the server's
 * `TokenInfo`, `Revealed` and `PublicTokenConfig`; the module never imports server code.
 */
import type { TokenKind } from '../../shared/constants.js';

/** A token as the API lists it: never the secret. */
export interface TokenInfo {
	id: string;
	name: string;
	description: string | null;
	kind: TokenKind;
	/** Non-secret display part, e.g. `dtp_AbCd…`. */
	hint: string;
	scopes: string[];
	origins: string[];
	creation_time: string;
	/** ISO time, or `null` for a token that never expires. */
	expiration: string | null;
	refreshable: boolean;
	last_access: string | null;
	revoked: boolean;
	row_id: number;
	/** Admin answers only: the owner's id. */
	user?: string | null;
	/** Admin answers only: the front-end app of an app token. */
	app?: string | null;
}

/** What create, regenerate and refresh answer: the only time the plaintext is sent. */
export interface RevealedToken {
	token: string;
	info: TokenInfo;
	/** The server shortened the requested lifetime to its cap. */
	capped: boolean;
}

/** `GET /api-tokens/config`. */
export interface TokenServerConfig {
	scopes: string[];
	systemScopes: string[];
	directusScope: string;
	prefixes: Record<TokenKind, string>;
	/** Longest lifetime per kind in seconds; `null` = the kind may never expire. */
	maxTtlSeconds: Record<TokenKind, number | null>;
	defaultTtlSeconds: number;
	maxActivePerUser: number;
	/** Longest grace period of an old secret after regenerate, in seconds. */
	maxGraceSeconds: number;
}

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
