/**
 * Names for the admin view: users (e-mail and name) and front-end apps, read with Directus's own
 * API (`/users`, `/items/api_token_apps`) as the signed-in admin.
 */
import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import { APPS_TABLE } from '../../../shared/constants.js';
import type { TokenInfo } from '../types.js';

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

interface HttpClient {
	get(url: string, config?: { params?: Record<string, unknown> }): Promise<{ data: unknown }>;
}

/**
 * @example
 * ```ts
 * const directory = useDirectory();
 * await directory.load();
 * directory.ownerLabel(token); // 'ada@example.com'
 * ```
 */
export function useDirectory(http: HttpClient = useApi() as unknown as HttpClient) {
	const users = ref<DirectoryUser[]>([]);
	const apps = ref<Array<{ id: string; name: string }>>([]);

	async function load(): Promise<void> {
		const [userAnswer, appAnswer] = await Promise.all([
			http.get('/users', { params: { fields: 'id,email,first_name,last_name', limit: -1, sort: 'email' } }),
			http.get(`/items/${APPS_TABLE}`, { params: { fields: 'id,name', limit: -1 } }),
		]);
		users.value = (userAnswer.data as { data: DirectoryUser[] }).data;
		apps.value = (appAnswer.data as { data: Array<{ id: string; name: string }> }).data;
	}

	const ownerLabel = (token: TokenInfo) => userLabel(users.value.find((user) => user.id === token.user), token.user);
	const appLabel = (token: TokenInfo) => (token.app ? (apps.value.find((app) => String(app.id) === String(token.app))?.name ?? token.app) : '');
	const userById = (id: string) => users.value.find((user) => user.id === id);

	return { users, apps, load, ownerLabel, appLabel, userById };
}
