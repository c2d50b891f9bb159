/**
 * What an admin list page (apps, device clients) loads when it opens: its list and the server's
 * config, side by side, and only for admins (the API would refuse anyone else). The form needs the
 * config, so Add waits for it; a config that cannot be read is the page's error, next to the list's.
 */
import { onMounted, ref } from 'vue';
import type { TokenServerConfig } from '../types.js';
import { apiError } from './api-error.js';
import { useIsAdmin } from './use-is-admin.js';
import { useTokenApi } from './use-token-api.js';

/**
 * @example
 * ```ts
 * const list = useAppList(useAppApi());
 * const { isAdmin, config, loadError } = useAdminListPage(list.load);
 * const form = useAppForm(config);
 * ```
 */
export function useAdminListPage(loadList: () => Promise<void>) {
	const isAdmin = useIsAdmin();
	const tokenApi = useTokenApi();
	const config = ref<TokenServerConfig | null>(null);
	const loadError = ref<string | null>(null);

	onMounted(async () => {
		if (!isAdmin.value) return;
		await Promise.all([
			loadList(),
			tokenApi.config().then(
				(value) => (config.value = value),
				(cause) => (loadError.value = apiError(cause).message),
			),
		]);
	});

	return { isAdmin, config, loadError };
}
