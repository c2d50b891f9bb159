/**
 * RFC 8414 authorization server metadata at `/.well-known/oauth-authorization-server`, the site's
 * root (an endpoint extension only serves below `/api-tokens`). Any OAuth client library discovers
 * the device authorization and token endpoints there, and introspection and revocation besides.
 * The issuer is Directus's `PUBLIC_URL` (else the URL this request reached).
 */
import type { Request, Response } from 'express';
import type { Runtime } from '../../directus/runtime.js';
import { DEVICE_AUTHORIZATION_PATH, DEVICE_GRANT_TYPE, publicBase, TOKEN_PATH } from '../../endpoints/tokens/device-routes.js';
import { ENDPOINT_ID } from '../../shared/constants.js';
import type { RegisterInit } from './hook-types.js';

export const OAUTH_METADATA_PATH = '/.well-known/oauth-authorization-server';

export function oauthMetadata(issuer: string, runtime: Runtime): Record<string, unknown> {
	const api = `${issuer}/${ENDPOINT_ID}`;
	return {
		issuer,
		...(runtime.config.device.enabled ? { device_authorization_endpoint: `${api}${DEVICE_AUTHORIZATION_PATH}`, token_endpoint: `${api}${TOKEN_PATH}` } : {}),
		grant_types_supported: runtime.config.device.enabled ? [DEVICE_GRANT_TYPE] : [],
		// No authorization endpoint: no response type is supported.
		response_types_supported: [],
		token_endpoint_auth_methods_supported: ['none'],
		scopes_supported: runtime.config.scopes,
		introspection_endpoint: `${api}/introspect`,
		introspection_endpoint_auth_methods_supported: ['bearer'],
		revocation_endpoint: `${api}/revoke`,
		revocation_endpoint_auth_methods_supported: ['none'],
	};
}

export function registerOAuthMetadata(init: RegisterInit, runtime: () => Runtime): void {
	init('routes.custom.before', ({ app }) => {
		app.get(OAUTH_METADATA_PATH, (req: Request, res: Response) => {
			const current = runtime();
			res.set('cache-control', 'public, max-age=300').json(oauthMetadata(publicBase(req, current), current));
		});
	});
}
