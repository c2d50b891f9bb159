/**
 * Admins manage the front-end apps that may mint app tokens: list, register, change, remove. Every
 * value is checked as the issuer will use it (`app-policy.ts`), so a typo in an origin is a 400,
 * not an app that silently never issues. Disabling or removing an app revokes every token it
 * issued in the same transaction: "stop this app" holds from the answer on.
 */
import { z } from 'zod';
import type { AppFields, AppRecord, AppStore } from './app-store.js';
import { checkAppPayload } from './app-policy.js';
import type { TokenConfig } from './config.js';
import { NO_EVENTS, type TokenEventSink } from './token-events.js';
import { firstIssue } from './token-requests.js';
import { fail, type Actor, type Result } from './token-service.js';
import type { TokenStore } from './token-store.js';
import { isUuid } from './uuid.js';
import { isUniqueViolation } from './unique-violation.js';

/** An app as the API shows it. */
export interface AppInfo {
	id: string;
	name: string;
	origins: string[];
	scopes: string[];
	ttl: number;
	max_active_per_user: number;
	enabled: boolean;
	date_created: string | null;
	date_updated: string | null;
}

const list = z.array(z.string().max(300)).max(100);
const appBody = z
	.object({
		name: z.string().max(100),
		origins: list,
		scopes: list,
		ttl: z.number().int(),
		max_active_per_user: z.number().int(),
		enabled: z.boolean(),
	})
	.partial()
	.strict();

export function toAppInfo(app: AppRecord): AppInfo {
	return {
		id: app.id,
		name: app.name,
		origins: app.origins,
		scopes: app.scopes,
		ttl: app.ttlSeconds,
		max_active_per_user: app.maxActivePerUser,
		enabled: app.enabled,
		date_created: app.date_created?.toISOString() ?? null,
		date_updated: app.date_updated?.toISOString() ?? null,
	};
}

const NOT_FOUND = fail(404, 'not_found', 'No such app.');
const ADMINS_ONLY = fail(403, 'forbidden', 'Only admins manage token apps.');

export interface AppServiceOptions {
	store: TokenStore;
	apps: AppStore;
	config: TokenConfig;
	events?: TokenEventSink;
	now?: () => Date;
}

/**
 * @example
 * ```ts
 * const apps = createAppService({ store, apps: createAppStore(knex), config });
 * await apps.create(admin, { name: 'globalping-web', origins: ['https://www.example.com'], scopes: ['read'] });
 * ```
 */
export function createAppService({ store, apps, config, events = NO_EVENTS, now = () => new Date() }: AppServiceOptions) {
	function parse(body: unknown, creating: boolean): Result<Partial<AppFields>> {
		const shape = appBody.safeParse(body ?? {});
		if (!shape.success) {
			const { field, message } = firstIssue(shape.error);
			return fail(400, 'invalid_request', message, field);
		}
		const checked = checkAppPayload(shape.data, config, { creating });
		if (!checked.ok) return fail(400, 'invalid_request', `${checked.field}: ${checked.problem}.`, checked.field);
		return { ok: true, value: checked.payload as Partial<AppFields> };
	}

	async function nameTaken(name: string | undefined, except: string | null): Promise<boolean> {
		if (name === undefined) return false;
		const other = await apps.findByName(name);
		return other !== null && other.id !== except;
	}

	async function revokeTokensOf(actor: Actor, appId: string): Promise<void> {
		const tokenIds = await store.revokeAllForApp(appId, now());
		if (tokenIds.length) await events.publish({ type: 'revoked', tokenIds, userId: null, actor: actor.userId, at: now().toISOString() });
	}

	return {
		async list(actor: Actor): Promise<Result<AppInfo[]>> {
			if (!actor.admin) return ADMINS_ONLY;
			return { ok: true, value: (await apps.list()).map(toAppInfo) };
		},

		async create(actor: Actor, body: unknown): Promise<Result<AppInfo>> {
			if (!actor.admin) return ADMINS_ONLY;
			const parsed = parse(body, true);
			if (!parsed.ok) return parsed;
			if (await nameTaken(parsed.value.name, null)) return fail(409, 'conflict', `An app named "${parsed.value.name}" exists already.`, 'name');
			const fields: AppFields = { ttl: 86_400, max_active_per_user: 5, enabled: true, scopes: [], origins: [], name: '', ...parsed.value };
			try {
				return { ok: true, value: toAppInfo(await apps.insert(fields)) };
			} catch (error) {
				if (isUniqueViolation(error)) return fail(409, 'conflict', `An app named "${fields.name}" exists already.`, 'name');
				throw error;
			}
		},

		async update(actor: Actor, id: string, body: unknown): Promise<Result<AppInfo>> {
			if (!actor.admin) return ADMINS_ONLY;
			if (!isUuid(id) || !(await apps.findById(id))) return NOT_FOUND;
			const parsed = parse(body, false);
			if (!parsed.ok) return parsed;
			if (await nameTaken(parsed.value.name, id)) return fail(409, 'conflict', `An app named "${parsed.value.name}" exists already.`, 'name');
			let updated: AppRecord | null;
			try {
				updated = await apps.update(id, parsed.value);
			} catch (error) {
				if (isUniqueViolation(error)) return fail(409, 'conflict', `An app named "${parsed.value.name}" exists already.`, 'name');
				throw error;
			}
			if (!updated) return NOT_FOUND;
			if (parsed.value.enabled === false) await revokeTokensOf(actor, id);
			return { ok: true, value: toAppInfo(updated) };
		},

		async remove(actor: Actor, id: string): Promise<Result<null>> {
			if (!actor.admin) return ADMINS_ONLY;
			if (!isUuid(id) || !(await apps.findById(id))) return NOT_FOUND;
			// Before the row goes: the tokens' `app` is set to null by the foreign key then.
			await revokeTokensOf(actor, id);
			await apps.delete(id);
			return { ok: true, value: null };
		},
	};
}

export type AppService = ReturnType<typeof createAppService>;
