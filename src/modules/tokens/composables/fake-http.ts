/** For unit tests of the module's API composables: an axios stand-in. */
import type { HttpClient } from './rest-resource.js';

/**
 * Records every call and answers from `routes` by method and URL (`'GET /api-tokens'`); any other
 * call throws.
 *
 * @example
 * ```ts
 * const { http, calls } = fakeHttp({ 'GET /api-tokens/apps': { apps: [] } });
 * await useAppApi(http).list();
 * ```
 */
export function fakeHttp(routes: Record<string, unknown>) {
	const calls: Array<[string, string, unknown]> = [];
	const answer = (method: string, url: string, extra: unknown) => {
		calls.push([method, url, extra]);
		const key = `${method} ${url}`;
		if (!(key in routes)) throw new Error(`unexpected ${key}`);
		return Promise.resolve({ status: 200, data: routes[key] });
	};
	const http: HttpClient = {
		get: (url, config) => answer('GET', url, config?.params),
		post: (url, body) => answer('POST', url, body),
		patch: (url, body) => answer('PATCH', url, body),
		delete: (url) => answer('DELETE', url, undefined),
	};
	return { http, calls };
}
