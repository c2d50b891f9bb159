/**
 * The apps of the Apps page, as the server lists them, kept sorted by name (the server's order)
 * when one is saved or deleted, so the table need not reload.
 */
import { ref } from 'vue';
import type { AppInfo } from '../types.js';
import { apiError } from './api-error.js';
import type { AppApi } from './use-app-api.js';

const byName = (a: AppInfo, b: AppInfo) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * @example
 * ```ts
 * const list = useAppList(useAppApi());
 * await list.load();
 * list.apps.value; // sorted by name
 * ```
 */
export function useAppList(api: Pick<AppApi, 'list'>) {
	const apps = ref<AppInfo[]>([]);
	const loading = ref(false);
	const loaded = ref(false);
	const error = ref<string | null>(null);

	async function load(): Promise<void> {
		loading.value = true;
		error.value = null;
		try {
			apps.value = await api.list();
		} catch (cause) {
			error.value = apiError(cause).message;
		} finally {
			loading.value = false;
			loaded.value = true;
		}
	}

	/** Puts a registered or changed app in its place. */
	function upsert(app: AppInfo): void {
		apps.value = [...apps.value.filter((entry) => entry.id !== app.id), app].sort(byName);
	}

	function remove(id: string): void {
		apps.value = apps.value.filter((entry) => entry.id !== id);
	}

	return { apps, loading, loaded, error, load, upsert, remove };
}
