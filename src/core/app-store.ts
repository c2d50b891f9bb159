/**
 * The admin-managed `api_token_apps` table: which front-end apps may mint app tokens from the
 * dashboard session, from which origins, with which scopes and lifetime. Admins change it through
 * the token API (`app-service.ts`, which checks every value first).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { APPS_TABLE } from '../shared/constants.js';
import { normaliseOrigin, originMatches } from './origin.js';
import { toDate } from './token-record.js';

export interface AppRecord {
	id: string;
	name: string;
	/** Normalised exact origins and `https://*.example.com` patterns; never empty for a usable app. */
	origins: string[];
	scopes: string[];
	/** Token lifetime in seconds, before the server's cap for app tokens. */
	ttlSeconds: number;
	maxActivePerUser: number;
	enabled: boolean;
	date_created: Date | null;
	date_updated: Date | null;
}

/** The columns an admin sets (already checked by `checkAppPayload`). */
export interface AppFields {
	name: string;
	origins: string[];
	scopes: string[];
	ttl: number;
	max_active_per_user: number;
	enabled: boolean;
}

function jsonList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return [];
	try {
		const parsed: unknown = JSON.parse(value);
		return Array.isArray(parsed) ? parsed : [];
	} catch {
		return [];
	}
}

/** Normalises a raw row; origins an admin wrote loosely (`https://WWW.Example.com/`) are normalised, invalid ones dropped. */
export function rowToApp(row: Record<string, unknown>): AppRecord {
	const origins = jsonList(row.origins).flatMap((entry) => {
		const normalised = typeof entry === 'string' ? normaliseOrigin(entry) : null;
		return normalised?.ok ? [normalised.origin] : [];
	});
	return {
		id: String(row.id),
		name: String(row.name),
		origins,
		scopes: jsonList(row.scopes).filter((s): s is string => typeof s === 'string'),
		ttlSeconds: Number(row.ttl) > 0 ? Number(row.ttl) : 86_400,
		maxActivePerUser: Number(row.max_active_per_user) > 0 ? Number(row.max_active_per_user) : 1,
		enabled: Boolean(row.enabled),
		date_created: toDate(row.date_created),
		date_updated: toDate(row.date_updated),
	};
}

/**
 * Whether a page of `origin` may ask for this app's tokens. An app with no origins allows none
 * (unlike a token's origin list, where empty means "not bound").
 *
 * @example
 * ```ts
 * appAllowsOrigin({ ...app, origins: ['https://*.example.com'] }, 'https://www.example.com'); // true
 * ```
 */
export function appAllowsOrigin(app: AppRecord, origin: string): boolean {
	return app.enabled && app.origins.length > 0 && originMatches(app.origins, origin);
}

/**
 * @example
 * ```ts
 * const apps = createAppStore(knex);
 * const app = await apps.findByName('globalping-web');
 * ```
 */
export function createAppStore(db: Knex, options: { table?: string; now?: () => Date } = {}) {
	const table = options.table ?? APPS_TABLE;
	const now = options.now ?? (() => new Date());
	const columns = (fields: Partial<AppFields>) => ({
		...fields,
		...(fields.origins ? { origins: JSON.stringify(fields.origins) } : {}),
		...(fields.scopes ? { scopes: JSON.stringify(fields.scopes) } : {}),
	});
	const findById = async (id: string): Promise<AppRecord | null> => {
		const row = await db(table).where({ id }).first();
		return row ? rowToApp(row) : null;
	};
	return {
		findById,

		/** Every app, by name. */
		async list(): Promise<AppRecord[]> {
			return (await db(table).orderBy('name')).map(rowToApp);
		},

		async insert(fields: AppFields): Promise<AppRecord> {
			const id = randomUUID();
			const at = now();
			await db(table).insert({ id, ...columns(fields), date_created: at, date_updated: at });
			return (await findById(id))!;
		},

		async update(id: string, fields: Partial<AppFields>): Promise<AppRecord | null> {
			await db(table).where({ id }).update({ ...columns(fields), date_updated: now() });
			return findById(id);
		},

		async delete(id: string): Promise<boolean> {
			return (await db(table).where({ id }).delete()) > 0;
		},

		async findByName(name: string): Promise<AppRecord | null> {
			const row = await db(table).where({ name }).first();
			return row ? rowToApp(row) : null;
		},

		/** Whether any enabled app allows `origin` (CORS preflights do not say which app they are for). */
		async anyAllows(origin: string): Promise<boolean> {
			const rows = await db(table).where({ enabled: true });
			return rows.some((row) => appAllowsOrigin(rowToApp(row), origin));
		},
	};
}

export type AppStore = ReturnType<typeof createAppStore>;
