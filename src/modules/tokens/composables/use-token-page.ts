/**
 * What a token's page loads: the token (its owner sees it revoked too), its history and the server's
 * config, by id. An unknown or foreign id answers the API's own "not found".
 */
import { ref, shallowRef } from 'vue';
import type { TokenHistoryEvent, TokenInfo, TokenServerConfig } from '../types.js';
import { apiError } from './api-error.js';
import type { TokenApi } from './use-token-api.js';

/**
 * @example
 * ```ts
 * const page = useTokenPage(useTokenApi());
 * await page.load(id); // page.token, page.events, page.notFound
 * ```
 */
export function useTokenPage(api: Pick<TokenApi, 'get' | 'events' | 'config'>) {
	const token = ref<TokenInfo | null>(null);
	const events = shallowRef<TokenHistoryEvent[]>([]);
	const config = ref<TokenServerConfig | null>(null);
	const loading = ref(false);
	/** The server's message when it has no such token for this user (404), else `null`. */
	const notFound = ref<string | null>(null);
	const error = ref<string | null>(null);
	/** The history could not be read; the rest of the page still works. */
	const eventsError = ref<string | null>(null);
	let generation = 0;

	async function load(id: string): Promise<void> {
		const mine = ++generation;
		loading.value = true;
		notFound.value = null;
		error.value = null;
		try {
			const [info, settings] = await Promise.all([api.get(id), config.value ? Promise.resolve(config.value) : api.config()]);
			if (mine !== generation) return;
			token.value = info;
			config.value = settings;
			await loadEvents(id, mine);
		} catch (cause) {
			if (mine !== generation) return;
			const problem = apiError(cause);
			token.value = null;
			if (problem.status === 404) notFound.value = problem.message;
			else error.value = problem.message;
		} finally {
			if (mine === generation) loading.value = false;
		}
	}

	async function loadEvents(id: string, mine = generation): Promise<void> {
		eventsError.value = null;
		try {
			const list = await api.events(id);
			if (mine === generation) events.value = list;
		} catch (cause) {
			if (mine === generation) eventsError.value = apiError(cause).message;
		}
	}

	return { token, events, config, loading, notFound, error, eventsError, load, loadEvents };
}
