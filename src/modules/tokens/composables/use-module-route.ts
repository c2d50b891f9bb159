/**
 * The current route and the router of the Directus app, read from the component instance
 * (`$route`, `$router`): vue-router is the app's own copy, shared at run time, not a dependency of ours.
 */
import { computed, getCurrentInstance } from 'vue';
import type { QueryInput } from './parse-prefill.js';

export interface RouteLike {
	path: string;
	query: QueryInput;
	params?: Record<string, string | string[]>;
}

export interface RouterLike {
	push(to: string): Promise<unknown>;
	/** Navigates without a history entry (e.g. to drop a link's query once it has been used). */
	replace(to: string): Promise<unknown>;
}

/**
 * @example
 * ```ts
 * const { query, router } = useModuleRoute();
 * router.push('/tokens');
 * ```
 */
export function useModuleRoute() {
	const proxy = getCurrentInstance()?.proxy as unknown as { $route?: RouteLike; $router?: RouterLike } | undefined;
	const query = computed<QueryInput>(() => proxy?.$route?.query ?? {});
	const path = computed(() => proxy?.$route?.path ?? '');
	const params = computed(() => proxy?.$route?.params ?? {});
	const router: RouterLike = {
		push: (to) => proxy?.$router?.push(to) ?? Promise.resolve(),
		replace: (to) => proxy?.$router?.replace(to) ?? Promise.resolve(),
	};
	return { query, path, params, router };
}
