/**
 * HTTP side of the validator, framework-free: read `Authorization: Bearer …` (never a query
 * string), validate, and turn failures into RFC 6750 answers (`WWW-Authenticate`).
 */
import type { ValidationFailureCode } from '../core/errors.js';
import type { ValidToken, ValidateOptions, ValidationResult } from './types.js';

/** Anything with a `validate` like ours: our validator, a Directus-JWT checker, … */
export interface Validator {
	validate(token: unknown, options?: ValidateOptions): Promise<ValidationResult>;
	/** Optional: the answer from memory, synchronously, or `undefined` when `validate` must run. */
	validateNow?(token: unknown, options?: ValidateOptions): ValidationResult | undefined;
}

export type AuthOutcome =
	| { ok: true; token: ValidToken }
	| { ok: false; status: 400 | 401 | 403 | 503; headers: Record<string, string>; body: { error: string; error_description: string; code: string } };

type Headers = Record<string, string | string[] | undefined>;

const DESCRIPTIONS: Record<ValidationFailureCode, string> = {
	malformed: 'The token is not one of ours.',
	unknown: 'The token is not known.',
	expired: 'The token has expired.',
	revoked: 'The token was revoked.',
	owner_inactive: 'The owner of the token is not an active user.',
	origin_not_allowed: 'The token may not be used from this origin.',
	insufficient_scope: 'The token lacks a scope this request needs.',
	unavailable: 'Tokens cannot be checked right now; try again shortly.',
};

function challenge(realm: string, error?: string, description?: string, scope?: readonly string[]) {
	const parts = [`realm="${realm}"`];
	if (error) parts.push(`error="${error}"`);
	if (description) parts.push(`error_description="${description}"`);
	if (scope?.length) parts.push(`scope="${scope.join(' ')}"`);
	return `Bearer ${parts.join(', ')}`;
}

function refuse(status: 400 | 401 | 403 | 503, error: string, code: string, description: string, realm: string, scope?: readonly string[]): AuthOutcome {
	const headers: Record<string, string> = { 'www-authenticate': challenge(realm, status === 503 ? undefined : error, description, scope) };
	if (status === 503) headers['retry-after'] = '5';
	return { ok: false, status, headers, body: { error, error_description: description, code } };
}

/**
 * The bearer token of a request: `null` if there is none, `false` if the header is malformed.
 *
 * @example
 * ```ts
 * bearerToken({ authorization: 'Bearer dtp_…' }); // 'dtp_…'
 * ```
 */
export function bearerToken(headers: Headers): string | null | false {
	const raw = headers.authorization;
	if (raw === undefined) return null;
	if (Array.isArray(raw) || raw.length > 4096) return false;
	const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(raw.trim());
	return match ? match[1]! : false;
}

export interface AuthenticateOptions extends ValidateOptions {
	/** `WWW-Authenticate` realm (default `api`). */
	realm?: string;
	/** The request's URL: a token in its query string is refused. */
	url?: string;
}

/**
 * Authenticates one request from its headers.
 *
 * @example
 * ```ts
 * const outcome = await authenticate(validator, req.headers, { scopes: ['purge'], origin: req.headers.origin ?? null });
 * if (!outcome.ok) return res.writeHead(outcome.status, outcome.headers).end(JSON.stringify(outcome.body));
 * ```
 */
export async function authenticate(validator: Validator, headers: Headers, options: AuthenticateOptions = {}): Promise<AuthOutcome> {
	const prepared = prepare(headers, options);
	if ('ok' in prepared) return prepared;
	return outcomeOf(await validator.validate(prepared.bearer, prepared.validateOptions), options);
}

/**
 * {@link authenticate} without waiting: the outcome when it is known at once (no or a malformed
 * header, or a validator whose `validateNow` answers from memory), else `undefined`.
 *
 * @example
 * ```ts
 * const outcome = authenticateNow(validator, req.headers) ?? (await authenticate(validator, req.headers));
 * ```
 */
export function authenticateNow(validator: Validator, headers: Headers, options: AuthenticateOptions = {}): AuthOutcome | undefined {
	const prepared = prepare(headers, options);
	if ('ok' in prepared) return prepared;
	const result = validator.validateNow?.(prepared.bearer, prepared.validateOptions);
	return result && outcomeOf(result, options);
}

/** The bearer token and the options to validate it with, or the refusal of a request without one. */
function prepare(headers: Headers, options: AuthenticateOptions): AuthOutcome | { bearer: string; validateOptions: ValidateOptions } {
	const realm = options.realm ?? 'api';
	if (options.url && /[?&](access_token|token)=/.test(options.url)) {
		return refuse(400, 'invalid_request', 'invalid_request', 'Send the token in the Authorization header, not in the URL.', realm);
	}
	const bearer = bearerToken(headers);
	if (bearer === null) return { ok: false, status: 401, headers: { 'www-authenticate': challenge(realm) }, body: { error: 'invalid_token', error_description: 'A bearer token is required.', code: 'missing' } };
	if (bearer === false) return refuse(400, 'invalid_request', 'invalid_request', 'Use exactly one "Authorization: Bearer <token>" header.', realm);
	const { realm: _realm, url: _url, ...validateOptions } = options;
	return { bearer, validateOptions };
}

function outcomeOf(result: ValidationResult, options: AuthenticateOptions): AuthOutcome {
	if (result.valid) return { ok: true, token: result.token };
	const realm = options.realm ?? 'api';
	const description = DESCRIPTIONS[result.code];
	if (result.code === 'insufficient_scope') return refuse(403, 'insufficient_scope', result.code, description, realm, options.scopes);
	if (result.code === 'origin_not_allowed') return refuse(403, 'invalid_token', result.code, description, realm);
	if (result.code === 'unavailable') return refuse(503, 'temporarily_unavailable', result.code, description, realm);
	return refuse(401, 'invalid_token', result.code, description, realm);
}

/**
 * Tries validators in order (ours first, e.g. a Directus session-JWT check last, as in the
 * Hypothesis note): the first `valid` answer wins; `malformed` ("not mine") moves on; any other
 * refusal stops the chain, since the token was recognised and refused.
 *
 * @example
 * ```ts
 * const both = chain([validator, directusJwtValidator]);
 * ```
 */
export function chain(validators: readonly Validator[]): Validator {
	return {
		async validate(token, options) {
			let last: ValidationResult = { valid: false, code: 'malformed' };
			for (const validator of validators) {
				last = await validator.validate(token, options);
				if (last.valid || last.code !== 'malformed') return last;
			}
			return last;
		},
		validateNow(token, options) {
			let last: ValidationResult | undefined = { valid: false, code: 'malformed' };
			for (const validator of validators) {
				last = validator.validateNow?.(token, options);
				if (!last || last.valid || last.code !== 'malformed') return last;
			}
			return last;
		},
	};
}
