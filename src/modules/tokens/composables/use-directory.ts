/**
 * Names for the admin view: users (e-mail and name) from Directus's own `/users`, front-end apps
 * from `/api-tokens/apps` (our tables are no Directus collections: `/items` is not for them) and
 * service tokens (the issuers of anonymous tokens) from `/api-tokens`, all as the signed-in admin.
 */
import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { AppInfo, TokenInfo } from '../types.js';
import { useAppApi, type AppHttpClient } from './use-app-api.js';
import { useTokenApi } from './use-token-api.js';
import { issuerLabel } from './anonymous-tokens.js';

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
 * directory.issuerLabel(anonymousToken); // 'Slack bot'
 * ```
 */
export function useDirectory(http: AppHttpClient = useApi() as unknown as AppHttpClient) {
	const users = ref<DirectoryUser[]>([]);
	const apps = ref<AppInfo[]>([]);
	const services = ref<TokenInfo[]>([]);
	const appApi = useAppApi(http);
	const tokenApi = useTokenApi(http);

	async function load(): Promise<void> {
		const [userAnswer, appList, serviceList] = await Promise.all([
			http.get('/users', { params: { fields: 'id,email,first_name,last_name', limit: -1, sort: 'email' } }),
			appApi.list(),
			tokenApi.list({ user: 'all', kind: 'service', includeHidden: true }),
		]);
		users.value = (userAnswer.data as { data: DirectoryUser[] }).data;
		apps.value = appList;
		services.value = serviceList;
	}

	const ownerLabel = (token: TokenInfo) => userLabel(users.value.find((user) => user.id === token.user), token.user);
	const appLabel = (token: TokenInfo) => (token.app ? (apps.value.find((app) => String(app.id) === String(token.app))?.name ?? token.app) : '');
	const userById = (id: string) => users.value.find((user) => user.id === id);
	/** The issuing service token of an anonymous token, by name (see `issuerLabel`). */
	const issuer = (token: TokenInfo) => issuerLabel(token, services.value);

	return { users, apps, services, load, ownerLabel, appLabel, issuerLabel: issuer, userById };
}
