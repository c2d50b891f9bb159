/**
 * Device authorization (RFC 8628) over HTTP:
 * - for clients (no credentials, form-encoded, RFC 6749 error shapes): `POST /oauth/device_authorization`
 *   and `POST /oauth/token` (grant `urn:ietf:params:oauth:grant-type:device_code`);
 * - for the approval page (a signed-in user): `POST /device/lookup`, `/device/approve`, `/device/deny`,
 *   where wrong user codes are limited per user and per client IP;
 * - for admins: the device clients at `/device-clients`.
 * Discovery (RFC 8414) is served at the site's root by the hook (`register-oauth-metadata.ts`).
 */
import type { NextFunction, Request, Response, Router } from 'express';
import type { DeviceTokenResponse, OAuthErrorCode } from '../../core/device-flow.js';
import { fail, type Actor, type Result } from '../../core/token-service.js';
import type { Runtime } from '../../directus/runtime.js';
import { clientKey } from '../../validator/client-key.js';
import { authed, type DirectusRequest } from './authed.js';
import { clientIp } from './client-ip.js';
import { sendError, sendFailure } from './http-errors.js';
import { readFormBody } from './read-token-param.js';

export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const DEVICE_AUTHORIZATION_PATH = '/oauth/device_authorization';
export const TOKEN_PATH = '/oauth/token';
/** The module's approval page, below the Directus app's URL. */
export const VERIFICATION_PATH = '/admin/tokens/device';

/** Largest form a client sends (a few short parameters). */
const FORM_LIMIT = 8 * 1024;
/** Longest value of each parameter we read. */
const PARAM_LIMITS: Record<string, number> = { client_id: 100, scope: 2000, grant_type: 100, device_code: 100 };

function sendOAuthError(res: Response, error: OAuthErrorCode, description: string): void {
	res.status(400).set('cache-control', 'no-store').json({ error, error_description: description });
}

/** The URL clients and users reach Directus at: `PUBLIC_URL`, else this request's own origin. */
export function publicBase(req: Request, runtime: Runtime): string {
	return runtime.publicUrl || `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * The parameters of an RFC 6749 request: form-encoded, each at most once and not over-long. `null`
 * when refused (the error already sent).
 */
async function readOAuthForm(req: Request, res: Response, names: readonly string[]): Promise<Record<string, string | null> | null> {
	if (!req.is('application/x-www-form-urlencoded') || req.readableEnded) {
		sendOAuthError(res, 'invalid_request', 'Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded).');
		return null;
	}
	const body = await readFormBody(req, FORM_LIMIT);
	if (body === null) {
		sendOAuthError(res, 'invalid_request', `The request body is larger than ${FORM_LIMIT / 1024} KB.`);
		return null;
	}
	const form = new URLSearchParams(body.toString('utf8'));
	const values: Record<string, string | null> = {};
	for (const name of names) {
		const all = form.getAll(name);
		if (all.length > 1) {
			sendOAuthError(res, 'invalid_request', `The parameter "${name}" is repeated.`);
			return null;
		}
		const value = all[0] ?? null;
		if (value !== null && value.length > (PARAM_LIMITS[name] ?? 1000)) {
			sendOAuthError(res, 'invalid_request', `The parameter "${name}" is longer than ${PARAM_LIMITS[name] ?? 1000} characters.`);
			return null;
		}
		values[name] = value;
	}
	return values;
}

function required(res: Response, values: Record<string, string | null>, names: readonly string[]): boolean {
	const missing = names.find((name) => !values[name]);
	if (missing === undefined) return true;
	sendOAuthError(res, 'invalid_request', `The parameter "${missing}" is required.`);
	return false;
}

const wrap = (handler: (req: Request, res: Response, runtime: Runtime) => Promise<void>, getRuntime: () => Runtime) => (req: Request, res: Response, next: NextFunction) => {
	handler(req, res, getRuntime()).catch(next);
};

function refuseDisabled(res: Response, runtime: Runtime): boolean {
	if (runtime.config.device.enabled) return false;
	sendOAuthError(res, 'unauthorized_client', 'Device authorization is turned off on this server (API_TOKENS_DEVICE_FLOW=false).');
	return true;
}

async function deviceAuthorization(req: Request, res: Response, runtime: Runtime): Promise<void> {
	if (refuseDisabled(res, runtime)) return;
	const params = await readOAuthForm(req, res, ['client_id', 'scope']);
	if (!params || !required(res, params, ['client_id'])) return;
	const started = await runtime.device.authorize({ clientId: params.client_id!, scope: params.scope ?? null }, `${publicBase(req, runtime)}${VERIFICATION_PATH}`);
	if (!started.ok) return sendOAuthError(res, started.error, started.description);
	res.status(200).set('cache-control', 'no-store').json(started.value);
}

async function token(req: Request, res: Response, runtime: Runtime): Promise<void> {
	if (refuseDisabled(res, runtime)) return;
	const params = await readOAuthForm(req, res, ['grant_type', 'device_code', 'client_id']);
	if (!params || !required(res, params, ['grant_type'])) return;
	if (params.grant_type !== DEVICE_GRANT_TYPE) return sendOAuthError(res, 'unsupported_grant_type', `This server grants only ${DEVICE_GRANT_TYPE}.`);
	if (!required(res, params, ['device_code', 'client_id'])) return;
	const polled = await runtime.device.poll({ clientId: params.client_id!, deviceCode: params.device_code! });
	if (!polled.ok) return sendOAuthError(res, polled.error, polled.description);
	// The token's insert and the request's claim commit together; the answer follows the commit. A
	// refusal rolls the transaction (and the token) back.
	const outcome: { refusal?: { error: OAuthErrorCode; description: string } } = {};
	await runtime.inTransaction<DeviceTokenResponse>(
		async (tx) => {
			const redeemed = await tx.device.redeem(polled.value);
			if (redeemed.ok) return redeemed;
			outcome.refusal = redeemed;
			return fail(400, 'invalid_request', redeemed.description);
		},
		(issued) => {
			res.status(200).set({ 'cache-control': 'no-store', pragma: 'no-cache' }).json(issued);
		},
	);
	if (outcome.refusal) sendOAuthError(res, outcome.refusal.error, outcome.refusal.description);
}

/**
 * The approval page's steps. Every attempt counts against the user's and the client IP's limit of
 * wrong user codes first (so 200 parallel guesses still get only that many tries), and is given back
 * unless the code was wrong.
 */
function limitedDecision<T>(getRuntime: () => Runtime, step: (runtime: Runtime, actor: Actor, body: unknown) => Promise<Result<T>>) {
	return authed(async (req: DirectusRequest, res: Response, actor: Actor) => {
		const runtime = getRuntime();
		if (!runtime.config.device.enabled) return sendError(res, 403, 'feature_disabled', 'Device authorization is turned off on this server.');
		const limiter = runtime.deviceCodeLimiter;
		const keys = [`user:${actor.userId}`, `ip:${clientKey(clientIp(req))}`];
		const counted: string[] = [];
		for (const key of keys) {
			const decision = await limiter.consume(key);
			if (!decision.allowed) {
				for (const done of counted) await limiter.refund(done);
				res.set('retry-after', String(decision.retryAfterSeconds));
				return sendError(res, 429, 'rate_limited', `Too many wrong codes; try again in ${decision.retryAfterSeconds} s.`);
			}
			counted.push(key);
		}
		const result = await step(runtime, actor, req.body);
		if (result.ok || result.code !== 'invalid_user_code') for (const key of counted) await limiter.refund(key);
		if (!result.ok) return sendFailure(res, result);
		res.set('cache-control', 'no-store').json(result.value);
	});
}

export function registerDeviceRoutes(router: Router, getRuntime: () => Runtime): void {
	router.post(DEVICE_AUTHORIZATION_PATH, wrap(deviceAuthorization, getRuntime));
	router.post(TOKEN_PATH, wrap(token, getRuntime));

	router.post('/device/lookup', limitedDecision(getRuntime, (runtime, actor, body) => runtime.device.lookup(actor, body)));
	router.post('/device/approve', limitedDecision(getRuntime, (runtime, actor, body) => runtime.device.approve(actor, body)));
	router.post('/device/deny', limitedDecision(getRuntime, (runtime, actor, body) => runtime.device.deny(actor, body)));

	const admin = <T>(work: (runtime: Runtime, req: DirectusRequest, actor: Actor) => Promise<Result<T>>, send: (res: Response, value: T) => void) =>
		authed(async (req, res, actor) => {
			const result = await work(getRuntime(), req, actor);
			if (!result.ok) return sendFailure(res, result);
			send(res, result.value);
		});
	router.get('/device-clients', admin((runtime, _req, actor) => runtime.deviceClients.list(actor), (res, clients) => res.json({ clients })));
	router.post('/device-clients', admin((runtime, req, actor) => runtime.deviceClients.create(actor, req.body), (res, client) => res.status(201).json(client)));
	router.patch('/device-clients/:id', admin((runtime, req, actor) => runtime.deviceClients.update(actor, String(req.params.id), req.body), (res, client) => res.json(client)));
	router.delete('/device-clients/:id', admin((runtime, req, actor) => runtime.deviceClients.remove(actor, String(req.params.id)), (res) => res.status(204).end()));
}
