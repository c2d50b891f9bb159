/**
 * Names for the admin view: users (e-mail and name) from Directus's own `/users`, and front-end
 * apps from `/api-tokens/apps` (our tables are no Directus collections: `/items` is not for them),
 * both as the signed-in admin.
 */
import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { AppInfo, TokenInfo } from '../types.js';
import { useAppApi, type AppHttpClient } from './use-app-api.js';

export interface DirectoryUser {
	id: string;
	email: string | null;
	first_name: string | null;
	last_name: string | null;
}

/** "Ada Lovelace <ada@example.com>", or the e-mail, or the id. */
export function userLabel(user: DirectoryUser | undefined, id: string | null | undefined): string {
	if (!user) return id ?? '—';
	const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
	if (name && user.email) return `${name} <${user.email}>`;
	return user.email ?? name ?? user.id;
}

/**
 * @example
 * ```ts
 * const directory = useDirectory();
 * await directory.load();
 * directory.ownerLabel(token); // 'ada@example.com'
 * ```
 */
export function useDirectory(http: AppHttpClient = useApi() as unknown as AppHttpClient) {
	const users = ref<DirectoryUser[]>([]);
	const apps = ref<AppInfo[]>([]);
	const appApi = useAppApi(http);

	async function load(): Promise<void> {
		const [userAnswer, appList] = await Promise.all([
			http.get('/users', { params: { fields: 'id,email,first_name,last_name', limit: -1, sort: 'email' } }),
			appApi.list(),
		]);
		users.value = (userAnswer.data as { data: DirectoryUser[] }).data;
		apps.value = appList;
	}

	const ownerLabel = (token: TokenInfo) => userLabel(users.value.find((user) => user.id === token.user), token.user);
	const appLabel = (token: TokenInfo) => (token.app ? (apps.value.find((app) => String(app.id) === String(token.app))?.name ?? token.app) : '');
	const userById = (id: string) => users.value.find((user) => user.id === id);

	return { users, apps, load, ownerLabel, appLabel, userById };
}
