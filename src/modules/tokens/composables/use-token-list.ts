/**
 * A list of tokens from the API with search and sort, for "My tokens" and the admin view.
 */
import { computed, ref, type Ref } from 'vue';
import type { TokenInfo } from '../types.js';
import { apiError } from './api-error.js';
import { searchTokens, sortTokens, type RowLabels, type TokenSort } from './token-rows.js';
import type { ListFilter, TokenApi } from './use-token-api.js';

/**
 * @example
 * ```ts
 * const list = useTokenList(useTokenApi(), ref({}));
 * await list.load();
 * list.rows.value; // searched and sorted
 * ```
 */
export function useTokenList(api: Pick<TokenApi, 'list'>, filter: Ref<ListFilter>, labels: RowLabels = {}) {
	const tokens = ref<TokenInfo[]>([]);
	const loading = ref(false);
	const loaded = ref(false);
	const error = ref<string | null>(null);
	const search = ref('');
	const sort = ref<TokenSort>({ by: 'creation_time', desc: true });
	let generation = 0;

	async function load(): Promise<void> {
		const mine = ++generation;
		loading.value = true;
		error.value = null;
		try {
			const result = await api.list(filter.value);
			if (mine === generation) tokens.value = result;
		} catch (cause) {
			if (mine === generation) error.value = apiError(cause).message;
		} finally {
			if (mine === generation) {
				loading.value = false;
				loaded.value = true;
			}
		}
	}

	const rows = computed(() => sortTokens(searchTokens(tokens.value, search.value, labels), sort.value, labels));

	/** Drops a revoked token from the list. */
	function remove(id: string): void {
		tokens.value = tokens.value.filter((token) => token.id !== id);
	}

	/** Puts a changed token (e.g. regenerated: new hint) in place of the old one, or first. */
	function upsert(info: TokenInfo, replacing: string = info.id): void {
		const index = tokens.value.findIndex((token) => token.id === replacing);
		tokens.value = index === -1 ? [info, ...tokens.value] : tokens.value.map((token, i) => (i === index ? info : token));
	}

	return { tokens, loading, loaded, error, search, sort, rows, load, remove, upsert };
}
