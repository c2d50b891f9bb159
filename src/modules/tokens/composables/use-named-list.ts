/**
 * A list an admin page shows from the token API (apps, device clients), kept sorted by name (the
 * server's order) when one is saved or deleted, so the table need not reload.
 */
import { shallowRef } from 'vue';
import { apiError } from './api-error.js';

export interface Named {
	id: string;
	name: string;
}

const byName = (a: Named, b: Named) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * @example
 * ```ts
 * const list = useNamedList(() => clientsApi.list());
 * await list.load();
 * list.items.value; // sorted by name
 * ```
 */
export function useNamedList<T extends Named>(fetch: () => Promise<T[]>) {
	const items = shallowRef<T[]>([]);
	const loading = shallowRef(false);
	const loaded = shallowRef(false);
	const error = shallowRef<string | null>(null);

	async function load(): Promise<void> {
		loading.value = true;
		error.value = null;
		try {
			items.value = await fetch();
		} catch (cause) {
			error.value = apiError(cause).message;
		} finally {
			loading.value = false;
			loaded.value = true;
		}
	}

	/** Puts a created or changed entry in its place. */
	function upsert(item: T): void {
		items.value = [...items.value.filter((entry) => entry.id !== item.id), item].sort(byName);
	}

	function remove(id: string): void {
		items.value = items.value.filter((entry) => entry.id !== id);
	}

	return { items, loading, loaded, error, load, upsert, remove };
}
