/**
 * The admin-managed `api_token_apps` table: which front-end apps may mint app tokens from the
 * dashboard session, from which origins, with which scopes and lifetime. Read-only here; admins
 * edit the rows in the Data Studio (the hook validates their writes).
 */
import type { Knex } from 'knex';
import { APPS_TABLE } from '../shared/constants.js';
import { normaliseOrigin, originMatches } from './origin.js';

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
export function createAppStore(db: Knex, options: { table?: string } = {}) {
	const table = options.table ?? APPS_TABLE;
	return {
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
