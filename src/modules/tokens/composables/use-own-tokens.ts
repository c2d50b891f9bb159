import { ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import { TOKENS_TABLE } from '../../../shared/constants.js';

export interface TokenRow {
	id: string;
	name: string;
	hint: string;
	scopes: string[];
	expires_at: string | null;
	last_used_at: string | null;
	date_created: string;
}

/** The signed-in user's visible tokens, read through Directus's own permissions (never the hash). */
export function useOwnTokens() {
	const api = useApi();
	const tokens = ref<TokenRow[]>([]);
	const loading = ref(false);
	const error = ref<string | null>(null);

	async function load() {
		loading.value = true;
		error.value = null;
		try {
			const response = await api.get(`/items/${TOKENS_TABLE}`, {
				params: {
					fields: 'id,name,hint,scopes,expires_at,last_used_at,date_created',
					filter: { revoked_at: { _null: true } },
					sort: '-date_created',
				},
			});
			tokens.value = response.data.data as TokenRow[];
		} catch (e) {
			error.value = e instanceof Error ? e.message : String(e);
		} finally {
			loading.value = false;
		}
	}

	return { tokens, loading, error, load };
}
