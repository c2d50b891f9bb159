/** OpenAPI 3.1 description of `/api-tokens`, served at `GET /api-tokens/openapi.json`. */
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } } as const;
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, ...json(ref('Error')) });
/** A request made with one of our tokens acts only within it (scopes, origins, lifetime; app tokens not at all). */
const beyondToken = error('Beyond the token this request came with');
/** Fields a client may set on create and change with PATCH. */
const editable = {
	name: { type: 'string', minLength: 1, maxLength: 100 },
	description: { type: ['string', 'null'], maxLength: 500 },
	scopes: { type: 'array', items: { type: 'string' } },
	origins: { type: 'array', items: { type: 'string' } },
	expires_at: nullableDateTime,
} as const;

export const tokenApiOpenApi = {
	openapi: '3.1.0',
	info: {
		title: 'API tokens for Directus',
		version: '1.0.0',
		description: 'Personal tokens of the signed-in user. Authenticate with the Directus session (cookie or JWT) or with a token holding the directus scope.',
	},
	servers: [{ url: '/api-tokens' }],
	paths: {
		'/': {
			post: {
				summary: 'Create a token; the only response that carries the plaintext',
				requestBody: { required: true, ...json(ref('CreateToken')) },
				responses: { 201: { description: 'Created', ...json(ref('Revealed')) }, 400: error('Invalid field'), 401: error('Not signed in'), 403: beyondToken, 409: error('Too many tokens') },
			},
			get: {
				summary: 'List your tokens (GNU Taler delta/start pagination)',
				parameters: [
					{ name: 'delta', in: 'query', schema: { type: 'integer', default: -20 }, description: 'Negative: older than start, newest first; positive: newer, oldest first' },
					{ name: 'start', in: 'query', schema: { type: 'integer' }, description: 'row_id to page from' },
					{ name: 'user', in: 'query', schema: { type: 'string' }, description: 'Admins only: a user id, or "all" for every user' },
					{ name: 'kind', in: 'query', schema: { type: 'string', enum: ['personal', 'app', 'service', 'anonymous'] } },
					{ name: 'include_hidden', in: 'query', schema: { type: 'string', enum: ['true', 'false'] }, description: 'Admins only' },
					{ name: 'subject', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Admins only: anonymous tokens issued for this subject' },
					{ name: 'include_revoked', in: 'query', schema: { type: 'string', enum: ['true', 'false'] }, description: 'Revoked tokens too, while the server keeps them (expired ones are always listed)' },
				],
				responses: { 200: { description: 'Tokens', ...json(ref('TokenList')) }, 204: { description: 'No tokens' }, 400: error('Invalid query'), 401: error('Not signed in'), 403: error('Admins only') },
			},
		},
		'/config': { get: { summary: 'Scopes and limits of this server', responses: { 200: { description: 'Config', ...json(ref('Config')) }, 401: error('Not signed in') } } },
		'/reset': {
			post: {
				summary: 'Revoke every token of a user, or every anonymous token of a subject (admins)',
				requestBody: { required: true, ...json({ type: 'object', properties: { user: { type: 'string', format: 'uuid' }, subject: { type: 'string', minLength: 1, maxLength: 200 } } }) },
				responses: { 200: { description: 'Revoked', ...json({ type: 'object', required: ['revoked'], properties: { revoked: { type: 'integer' } } }) }, 400: error('Invalid user or subject'), 403: error('Admins only') },
			},
		},
		'/anonymous': {
			post: {
				summary: 'An anonymous token: with no credentials (limited per client IP or IPv6 /64), or for a subject and tier with a service token holding anonymous:issue',
				requestBody: { required: false, ...json(ref('AnonymousRequest')) },
				responses: {
					201: { description: 'Issued; the only response that carries the plaintext', ...json(ref('AnonymousToken')) },
					400: error('Invalid subject, tier or field'),
					401: error('The bearer is not a live service token'),
					403: error('A subject or tier without a trusted issuer, a token without anonymous:issue, or the open path turned off'),
					415: error('Not JSON'),
					429: error('Too many for this network (Retry-After)'),
				},
			},
		},
		'/anonymous/refresh': {
			post: {
				summary: 'A new anonymous token in place of the live refreshable one sent as the bearer (same subject, tier and lifetime)',
				responses: { 201: { description: 'Refreshed', ...json(ref('AnonymousToken')) }, 401: error('No live anonymous token'), 409: error('Not refreshable') },
			},
		},
		'/oauth/device_authorization': {
			post: {
				summary: 'RFC 8628 device authorization request of a registered device client (form-encoded: client_id, scope)',
				requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['client_id'], properties: { client_id: { type: 'string', maxLength: 100 }, scope: { type: 'string', description: 'Space-separated; default: every scope of the client' } } } } } },
				responses: { 200: { description: 'Codes', ...json(ref('DeviceAuthorization')) }, 400: { description: 'RFC 6749 error (invalid_request, invalid_client, invalid_scope)', ...json(ref('OAuthError')) } },
			},
		},
		'/oauth/token': {
			post: {
				summary: 'RFC 8628 token request: grant_type=urn:ietf:params:oauth:grant-type:device_code, device_code, client_id (form-encoded); one personal token once approved',
				requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['grant_type', 'device_code', 'client_id'], properties: { grant_type: { type: 'string' }, device_code: { type: 'string' }, client_id: { type: 'string' } } } } } },
				responses: {
					200: { description: 'The token, shown once', ...json(ref('OAuthToken')) },
					400: { description: 'authorization_pending, slow_down, access_denied, expired_token, invalid_grant, invalid_client, invalid_request, unsupported_grant_type', ...json(ref('OAuthError')) },
				},
			},
		},
		'/device/lookup': {
			post: {
				summary: 'The approval page: what a user code asks for (wrong codes are limited per user and per IP)',
				requestBody: { required: true, ...json(ref('UserCode')) },
				responses: { 200: { description: 'The request', ...json(ref('DeviceRequest')) }, 400: error('Invalid body'), 401: error('Not signed in'), 403: error('Sent with an API token'), 404: error('No pending request has this code'), 429: error('Too many wrong codes (Retry-After)') },
			},
		},
		'/device/approve': {
			post: {
				summary: 'Approve a user code for the signed-in user, narrowing scopes and expiry',
				requestBody: { required: true, ...json({ type: 'object', required: ['user_code'], additionalProperties: false, properties: { user_code: { type: 'string' }, name: { type: 'string', maxLength: 100 }, scopes: { type: 'array', items: { type: 'string' } }, expires_at: dateTime } }) },
				responses: { 200: { description: 'Approved', ...json(ref('DeviceDecision')) }, 400: error('Invalid field'), 401: error('Not signed in'), 403: error('Sent with an API token'), 404: error('No pending request has this code'), 409: error('Too many tokens'), 429: error('Too many wrong codes (Retry-After)') },
			},
		},
		'/device/deny': {
			post: {
				summary: 'Deny a user code: the client gets access_denied',
				requestBody: { required: true, ...json(ref('UserCode')) },
				responses: { 200: { description: 'Denied', ...json(ref('DeviceDecision')) }, 400: error('Invalid body'), 401: error('Not signed in'), 403: error('Sent with an API token'), 404: error('No pending request has this code'), 429: error('Too many wrong codes (Retry-After)') },
			},
		},
		'/device-clients': {
			get: { summary: 'Device clients (admins)', responses: { 200: { description: 'Clients', ...json({ type: 'object', required: ['clients'], properties: { clients: { type: 'array', items: ref('DeviceClient') } } }) }, 403: error('Admins only') } },
			post: {
				summary: 'Register a device client (admins); client_id is generated when not given',
				requestBody: { required: true, ...json(ref('DeviceClientBody')) },
				responses: { 201: { description: 'Registered', ...json(ref('DeviceClient')) }, 400: error('Invalid field'), 403: error('Admins only'), 409: error('client_id taken') },
			},
		},
		'/device-clients/{id}': {
			parameters: [id],
			patch: { summary: 'Change a device client (admins); client_id never changes', requestBody: { required: true, ...json(ref('DeviceClientBody')) }, responses: { 200: { description: 'Changed', ...json(ref('DeviceClient')) }, 400: error('Invalid field'), 403: error('Admins only'), 404: error('No such client') } },
			delete: { summary: 'Remove a device client and its pending requests (admins); tokens it got stay', responses: { 204: { description: 'Removed' }, 403: error('Admins only'), 404: error('No such client') } },
		},
		'/self': { delete: { summary: 'Revoke the token this request was made with (with an old secret of a regenerated token: that secret only)', responses: { 204: { description: 'Revoked' }, 400: error('Not made with a token') } } },
		'/{id}': {
			parameters: [id],
			get: { summary: 'One token (its owner sees it revoked too, while the server keeps it)', responses: { 200: { description: 'Token', ...json(ref('TokenInfo')) }, 404: error('No such token') } },
			patch: {
				summary: 'Rename, describe, narrow scopes, change origins or expiry (within the cap)',
				requestBody: { required: true, ...json(ref('UpdateToken')) },
				responses: { 200: { description: 'Token', ...json(ref('TokenInfo')) }, 400: error('Invalid field'), 403: beyondToken, 404: error('No such token'), 409: error('Revoked (admins)') },
			},
			delete: { summary: 'Revoke', responses: { 204: { description: 'Revoked' }, 404: error('No such token') } },
		},
		'/{id}/events': {
			parameters: [id],
			get: {
				summary: "The token's history from the audit trail, oldest first (at most the newest 200)",
				responses: { 200: { description: 'Events', ...json(ref('TokenEvents')) }, 401: error('Not signed in'), 404: error('No such token') },
			},
		},
		'/{id}/regenerate': {
			parameters: [id],
			post: {
				summary: 'New secret, same token; the old secret works for grace_seconds (default 0)',
				requestBody: { required: false, ...json({ type: 'object', properties: { grace_seconds: { type: 'integer', minimum: 0, maximum: 86400 }, renew: { type: 'boolean', description: 'Also a new expiry: the lifetime at creation, counted from now (capped)' } } }) },
				responses: { 200: { description: 'Regenerated', ...json(ref('Revealed')) }, 400: error('Invalid grace'), 403: beyondToken, 404: error('No such token') },
			},
		},
		'/{id}/refresh': {
			parameters: [id],
			post: { summary: 'Exchange a refreshable token for a new one; the old one is revoked', responses: { 201: { description: 'Refreshed', ...json(ref('Revealed')) }, 403: beyondToken, 404: error('No such token'), 409: error('Not refreshable') } },
		},
	},
	components: {
		schemas: {
			TokenInfo: {
				type: 'object',
				required: ['id', 'name', 'description', 'kind', 'hint', 'scopes', 'origins', 'creation_time', 'expiration', 'refreshable', 'last_access', 'revoked', 'revoked_at', 'row_id', 'device_client'],
				properties: {
					id: { type: 'string', format: 'uuid' },
					name: { type: 'string' },
					description: { type: ['string', 'null'] },
					kind: { type: 'string', enum: ['personal', 'app', 'service', 'anonymous'] },
					hint: { type: 'string', description: 'Prefix and first characters, for recognising the token' },
					scopes: { type: 'array', items: { type: 'string' } },
					origins: { type: 'array', items: { type: 'string' } },
					creation_time: dateTime,
					expiration: nullableDateTime,
					refreshable: { type: 'boolean' },
					last_access: nullableDateTime,
					revoked: { type: 'boolean' },
					revoked_at: { ...nullableDateTime, description: 'When it was revoked (or replaced by a refresh)' },
					row_id: { type: 'integer' },
					device_client: { type: ['string', 'null'], description: 'The client_id of the device client its owner approved it for (device authorization), else null' },
					user: { type: ['string', 'null'], description: 'Admins only' },
					app: { type: ['string', 'null'], description: 'Admins only' },
					subject: { type: ['string', 'null'], description: 'Admins only, anonymous tokens: whom it was issued for' },
					tier: { type: ['string', 'null'], description: 'Admins only, anonymous tokens: rate-limit tier' },
					issuer: { type: ['string', 'null'], format: 'uuid', description: 'Admins only, anonymous tokens: the service token that issued it (null: the open path)' },
				},
			},
			AnonymousRequest: {
				type: 'object',
				additionalProperties: false,
				properties: {
					subject: { type: 'string', minLength: 1, maxLength: 200, description: 'Trusted issuers only: an opaque id (a visitor, a bot installation)' },
					tier: { type: 'string', description: 'Trusted issuers only: one of the configured trusted tiers' },
					duration: { type: 'integer', minimum: 1, description: 'Seconds; at most the anonymous maximum' },
				},
			},
			AnonymousToken: {
				type: 'object',
				required: ['token', 'expires_at', 'scopes', 'tier', 'refreshable'],
				properties: { token: { type: 'string', description: 'Shown once' }, expires_at: dateTime, scopes: { type: 'array', items: { type: 'string' } }, tier: { type: 'string' }, refreshable: { type: 'boolean' } },
			},
			TokenEvents: {
				type: 'object',
				required: ['events'],
				properties: {
					events: {
						type: 'array',
						items: {
							type: 'object',
							required: ['type', 'at', 'actor'],
							properties: {
								type: { type: 'string', description: 'created, updated, regenerated, refreshed, revoked, reset (more may come)' },
								at: nullableDateTime,
								actor: { type: ['string', 'null'], format: 'uuid', description: 'Who did it; null for the system' },
							},
						},
					},
				},
			},
			TokenList: { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: ref('TokenInfo') } } },
			Revealed: {
				type: 'object',
				required: ['token', 'info', 'capped'],
				properties: { token: { type: 'string', description: 'Shown once' }, info: ref('TokenInfo'), capped: { type: 'boolean', description: 'The server shortened the requested lifetime' } },
			},
			CreateToken: {
				type: 'object',
				required: ['name'],
				additionalProperties: false,
				properties: {
					...editable,
					duration: { type: ['integer', 'null', 'string'], description: 'Seconds; null or "forever" for never (service tokens only)' },
					refreshable: { type: 'boolean' },
					kind: { type: 'string', enum: ['personal', 'service'], description: 'service: admins only, system scopes only' },
				},
			},
			UpdateToken: {
				type: 'object',
				additionalProperties: false,
				properties: editable,
			},
			Config: {
				type: 'object',
				required: ['scopes', 'systemScopes', 'directusScope', 'prefixes', 'maxTtlSeconds', 'defaultTtlSeconds', 'maxActivePerUser'],
				properties: {
					scopes: { type: 'array', items: { type: 'string' } },
					systemScopes: { type: 'array', items: { type: 'string' } },
					directusScope: { type: 'string' },
					prefixes: { type: 'object' },
					maxTtlSeconds: { type: 'object' },
					defaultTtlSeconds: { type: 'integer' },
					maxActivePerUser: { type: 'integer' },
					maxGraceSeconds: { type: 'integer', description: 'Longest grace period of an old secret after regenerate' },
				},
			},
			OAuthError: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, error_description: { type: 'string' } } },
			DeviceAuthorization: {
				type: 'object',
				required: ['device_code', 'user_code', 'verification_uri', 'verification_uri_complete', 'expires_in', 'interval'],
				properties: {
					device_code: { type: 'string' },
					user_code: { type: 'string', description: 'XXXX-XXXX' },
					verification_uri: { type: 'string' },
					verification_uri_complete: { type: 'string' },
					expires_in: { type: 'integer' },
					interval: { type: 'integer' },
				},
			},
			OAuthToken: {
				type: 'object',
				required: ['access_token', 'token_type', 'scope'],
				properties: { access_token: { type: 'string', description: 'A personal token, shown once' }, token_type: { type: 'string', enum: ['Bearer'] }, expires_in: { type: 'integer' }, scope: { type: 'string' } },
			},
			UserCode: { type: 'object', required: ['user_code'], additionalProperties: false, properties: { user_code: { type: 'string', maxLength: 64 } } },
			DeviceClientRef: { type: 'object', required: ['client_id', 'name'], properties: { client_id: { type: 'string' }, name: { type: 'string' } } },
			DeviceRequest: {
				type: 'object',
				required: ['user_code', 'client', 'scopes', 'expires_at', 'token'],
				properties: {
					user_code: { type: 'string' },
					client: ref('DeviceClientRef'),
					scopes: { type: 'array', items: { type: 'string' }, description: 'What the client asked for' },
					expires_at: { ...dateTime, description: 'When the request expires' },
					token: { type: 'object', required: ['name', 'default_expires_at', 'max_expires_at'], properties: { name: { type: 'string' }, default_expires_at: dateTime, max_expires_at: dateTime } },
				},
			},
			DeviceDecision: { type: 'object', required: ['status', 'client'], properties: { status: { type: 'string', enum: ['approved', 'denied'] }, client: ref('DeviceClientRef') } },
			DeviceClientBody: {
				type: 'object',
				additionalProperties: false,
				properties: {
					client_id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' },
					name: { type: 'string', minLength: 1, maxLength: 100 },
					scopes: { type: 'array', items: { type: 'string' }, minItems: 1 },
					default_ttl: { type: 'integer', minimum: 1, description: 'Seconds' },
					max_ttl: { type: 'integer', minimum: 1, description: 'Seconds; at most the personal cap' },
					enabled: { type: 'boolean' },
				},
			},
			DeviceClient: {
				type: 'object',
				required: ['id', 'client_id', 'name', 'scopes', 'default_ttl', 'max_ttl', 'enabled', 'date_created', 'date_updated'],
				properties: {
					id: { type: 'string', format: 'uuid' },
					client_id: { type: 'string' },
					name: { type: 'string' },
					scopes: { type: 'array', items: { type: 'string' } },
					default_ttl: { type: 'integer' },
					max_ttl: { type: 'integer' },
					enabled: { type: 'boolean' },
					date_created: nullableDateTime,
					date_updated: nullableDateTime,
				},
			},
			Error: {
				type: 'object',
				required: ['errors'],
				properties: {
					errors: {
						type: 'array',
						items: { type: 'object', required: ['message', 'extensions'], properties: { message: { type: 'string' }, extensions: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, field: { type: 'string' } } } } },
					},
				},
			},
		},
	},
} as const;
