/**
 * App tokens for website JS (the jsDelivr note): a page on an allowed origin asks, with the user's
 * dashboard session, for a short-lived token of one admin-registered app. The token is hidden from
 * the user's lists, bound to the asking origin, holds the app's scopes and lives the app's lifetime
 * (capped by the server). Issuing beyond the app's `max_active_per_user` revokes the oldest.
 * Framework-free: the Directus endpoint checks the session and the rate limit, then calls these.
 */
import { appAllowsOrigin, type AppRecord, type AppStore } from './app-store.js';
import type { TokenConfig } from './config.js';
import { normaliseOrigin } from './origin.js';
import { checkScopes } from './policy.js';
import { NO_EVENTS, type TokenEventSink } from './token-events.js';
import { generateToken } from './token-format.js';
import { fail, type Result } from './token-service.js';
import type { TokenStore } from './token-store.js';
import { isPlainText } from './plain-text.js';

/** The body of `201` from `POST /api-tokens/app`. */
export interface IssuedAppToken {
	token: string;
	expires_at: string;
	scopes: string[];
}

export interface AppTokenIssuerOptions {
	store: TokenStore;
	apps: AppStore;
	config: TokenConfig;
	events?: TokenEventSink;
	now?: () => Date;
}

/**
 * @example
 * ```ts
 * const issuer = createAppTokenIssuer({ store, apps: createAppStore(knex), config });
 * const app = await issuer.resolveApp(req.body, req.headers.origin);
 * if (app.ok) res.status(201).json(await issuer.issue(userId, app.value, req.headers.origin));
 * ```
 */
/**
 * The request's `Origin`, normalised, when it can ask for app tokens at all: browsers send it on
 * every cross-origin `fetch`; a missing or `null` one (sandboxed frames, some redirects, non-browser
 * clients) gets no token. The CSRF defence starts here.
 *
 * @example
 * ```ts
 * requestOrigin('https://WWW.example.com'); // { ok: true, value: 'https://www.example.com' }
 * ```
 */
export function requestOrigin(origin: unknown): Result<string> {
	const normalised = typeof origin === 'string' && origin !== 'null' ? normaliseOrigin(origin) : null;
	if (!normalised?.ok || normalised.origin.includes('*')) {
		return fail(403, 'origin_not_allowed', 'App tokens are only issued to pages of allowed origins, and this request has no usable Origin header.');
	}
	return { ok: true, value: normalised.origin };
}

export function createAppTokenIssuer({ store, apps, config, events = NO_EVENTS, now = () => new Date() }: AppTokenIssuerOptions) {
	/** The request's origin, if some enabled app allows it: checked before anything else of the request. */
	async function admitOrigin(origin: unknown): Promise<Result<string>> {
		const checked = requestOrigin(origin);
		if (!checked.ok) return checked;
		if (!(await apps.anyAllows(checked.value))) return fail(403, 'origin_not_allowed', `The origin ${checked.value} may not ask for app tokens.`);
		return checked;
	}

	/** The app a request names, if the request's `Origin` may use it. Nothing about the user yet. */
	async function resolveApp(body: unknown, origin: unknown): Promise<Result<{ app: AppRecord; origin: string }>> {
		const checked = requestOrigin(origin);
		if (!checked.ok) return checked;
		const name = (body as { app?: unknown } | null)?.app;
		// Plain text only: a NUL would reach PostgreSQL's text comparison and fail there.
		if (typeof name !== 'string' || name.length === 0 || name.length > 100 || !isPlainText(name)) {
			return fail(400, 'invalid_request', 'app must be the name of a registered app (1-100 characters).', 'app');
		}
		const app = await apps.findByName(name);
		if (!app) return fail(404, 'not_found', `No app named "${name.slice(0, 100)}" is registered.`, 'app');
		if (!app.enabled) return fail(403, 'forbidden', `The app "${app.name}" is disabled.`, 'app');
		if (!appAllowsOrigin(app, checked.value)) {
			return fail(403, 'origin_not_allowed', `The origin ${checked.value} may not ask for tokens of "${app.name}".`);
		}
		return { ok: true, value: { app, origin: checked.value } };
	}

	/** Mints a hidden app token for `userId`, bound to `origin`, and revokes the user's oldest beyond the app's limit. */
	async function issue(userId: string, app: AppRecord, origin: string): Promise<Result<IssuedAppToken>> {
		const scopes = checkScopes('app', app.scopes, config);
		if (!scopes.ok) return fail(409, 'app_misconfigured', `The app "${app.name}" is misconfigured: ${scopes.message}.`);
		const cap = config.maxTtlMs.app;
		const lifetimeMs = cap === null ? app.ttlSeconds * 1000 : Math.min(app.ttlSeconds * 1000, cap);
		const at = now();
		// One issuer of this user's tokens at a time: the revocation of the oldest below holds the cap.
		await store.lockOwner(userId);
		const generated = generateToken('app', config.prefixes);
		const record = await store.insert({
			name: app.name,
			description: `App token for ${origin}`,
			kind: 'app',
			hidden: true,
			app: app.id,
			hash: generated.hash,
			hint: generated.hint,
			scopes: scopes.scopes,
			origins: [origin],
			expires_at: new Date(at.getTime() + lifetimeMs),
			refreshable: false,
			user: userId,
		});
		const event = { userId, actor: userId, at: at.toISOString() };
		await events.publish({ type: 'created', tokenIds: [record.id], ...event });
		const excess = (await store.activeAppTokenIds(userId, app.id)).slice(app.maxActivePerUser);
		if (excess.length && (await store.revokeMany(excess, at))) await events.publish({ type: 'revoked', tokenIds: excess, ...event });
		return { ok: true, value: { token: generated.token, expires_at: record.expires_at!.toISOString(), scopes: record.scopes } };
	}

	return { admitOrigin, resolveApp, issue };
}

export type AppTokenIssuer = ReturnType<typeof createAppTokenIssuer>;
