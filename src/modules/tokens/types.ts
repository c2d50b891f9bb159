/**
 * Shapes of the token API (`/api-tokens`) as the module reads them. Where the server declares one,
 * it is re-exported as a type (erased from the build: the module never bundles server code).
 */
import type { TokenInfo as ServerTokenInfo } from '../../core/token-info.js';
import type { DeviceRequestInfo } from '../../core/device-flow.js';

/**
 * A token as the API lists it: never the secret (the server's own type; types only, no server code).
 * `device_client` is optional here, so a token written without it (fixtures, an older server) still is one.
 */
export type TokenInfo = Omit<ServerTokenInfo, 'device_client'> & {
	/** The `client_id` of the device client through which the owner approved it (RFC 8628), else `null` or absent. */
	device_client?: string | null;
};
export type { TokenHistoryEvent } from '../../core/token-info.js';

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

/**
 * A device client (RFC 8628: a CLI or other app without a browser of its own that asks for a token
 * by showing a code), as `/api-tokens/device-clients` shows it; lifetimes in seconds (the server's own type).
 */
export type { DeviceClientInfo } from '../../core/device-client-service.js';

/**
 * The body of `POST /api-tokens/device-clients` (name and scopes required; the server makes a
 * `client_id` when none is given) and `PATCH /api-tokens/device-clients/:id` (any subset but `client_id`).
 */
export interface DeviceClientRequest {
	name?: string;
	client_id?: string;
	scopes?: string[];
	/** Seconds. */
	default_ttl?: number;
	/** Seconds. */
	max_ttl?: number;
	enabled?: boolean;
}

/** `POST /api-tokens/device/lookup`: a pending request, as the user is asked to approve it (the server's own type). */
export type { DeviceRequestInfo } from '../../core/device-flow.js';

/** Which device client asks, as the approval routes name it. */
export type DeviceClientRef = DeviceRequestInfo['client'];

/** The body of `POST /api-tokens/device/approve`: what is not given is the server's proposal. */
export interface DeviceApproveRequest {
	user_code: string;
	name?: string;
	/** A non-empty subset of the requested scopes. */
	scopes?: string[];
	/** ISO, not after `token.max_expires_at`. */
	expires_at?: string;
}

/** What approve and deny answer. */
export interface DeviceDecision {
	status: 'approved' | 'denied';
	client: DeviceClientRef;
}
