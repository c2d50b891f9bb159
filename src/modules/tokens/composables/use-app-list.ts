/**
 * The apps of the Apps page, as the server lists them, kept sorted by name (the server's order)
 * when one is saved or deleted, so the table need not reload.
 */
import type { AppApi } from './use-app-api.js';
import { useNamedList } from './use-named-list.js';

/**
 * @example
 * ```ts
 * const list = useAppList(useAppApi());
 * await list.load();
 * list.apps.value; // sorted by name
 * ```
 */
export function useAppList(api: Pick<AppApi, 'list'>) {
	const { items, ...list } = useNamedList(() => api.list());
	return { apps: items, ...list };
}
