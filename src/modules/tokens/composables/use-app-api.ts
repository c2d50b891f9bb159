/**
 * The admin routes for front-end apps (`/api-tokens/apps`) through the app's own axios instance
 * (`useApi()`), which carries the Directus session. Every call throws on failure (Directus's error
 * shape; `apiError` reads it). The server refuses non-admins: this only saves a useless request.
 */
import { useApi } from '@directus/extensions-sdk';
import { ENDPOINT_ID } from '../../../shared/constants.js';
import type { AppInfo, AppRequest } from '../types.js';
import { useTokenApi } from './use-token-api.js';

export interface AppHttpClient {
	get(url: string, config?: { params?: Record<string, unknown> }): Promise<{ status: number; data: unknown }>;
	post(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
	patch(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
	delete(url: string): Promise<{ status: number; data: unknown }>;
}

/**
 * @example
 * ```ts
 * const apps = useAppApi();
 * const web = await apps.create({ name: 'globalping-web', origins: ['https://www.example.com'], scopes: ['read'] });
 * await apps.update(web.id, { enabled: false }); // revokes every token it issued
 * ```
 */
export function useAppApi(http: AppHttpClient = useApi() as unknown as AppHttpClient) {
	const base = `/${ENDPOINT_ID}/apps`;
	const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
	const tokens = useTokenApi(http);

	/** Every app, sorted by name. */
	async function list(): Promise<AppInfo[]> {
		return ((await http.get(base)).data as { apps: AppInfo[] }).apps;
	}

	async function create(body: AppRequest): Promise<AppInfo> {
		return (await http.post(base, body)).data as AppInfo;
	}

	/** Changes only the fields in `body`; `enabled: false` revokes the app's tokens. */
	async function update(id: string, body: AppRequest): Promise<AppInfo> {
		return (await http.patch(one(id), body)).data as AppInfo;
	}

	/** Revokes the app's tokens, then removes it. */
	async function remove(id: string): Promise<void> {
		await http.delete(one(id));
	}

	/**
	 * How many of `appId`'s tokens still work (not revoked, not expired): what disabling or deleting
	 * it stops. Read from the admin token list, which leaves revoked tokens out.
	 */
	async function activeTokens(appId: string, now: Date = new Date()): Promise<number> {
		const appTokens = await tokens.list({ user: 'all', kind: 'app', includeHidden: true });
		return appTokens.filter((token) => token.app === appId && !token.revoked && (token.expiration === null || Date.parse(token.expiration) > now.getTime())).length;
	}

	return { list, create, update, remove, activeTokens };
}

export type AppApi = ReturnType<typeof useAppApi>;
