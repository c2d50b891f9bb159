/**
 * The current route and the router of the Directus app, read from the component instance
 * (`$route`, `$router`): vue-router is the app's own copy, shared at run time, not a dependency of ours.
 */
import { computed, getCurrentInstance } from 'vue';
import type { QueryInput } from './parse-prefill.js';

export interface RouteLike {
	path: string;
	query: QueryInput;
}

export interface RouterLike {
	push(to: string): Promise<unknown>;
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
	const router: RouterLike = {
		push: (to) => proxy?.$router?.push(to) ?? Promise.resolve(),
	};
	return { query, router };
}
