/**
 * The four admin routes of a collection the token API keeps (`/api-tokens/<path>`: list, create,
 * change, delete), over the app's axios instance. The apps and device clients pages share it; each
 * adds what is its own (e.g. counting an app's tokens).
 */
import { ENDPOINT_ID } from '../../../shared/constants.js';

/** What the module needs of the app's axios instance (`useApi()`); tests pass `fakeHttp`. */
export interface HttpClient {
	get(url: string, config?: { params?: Record<string, unknown> }): Promise<{ status: number; data: unknown }>;
	post(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
	patch(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
	delete(url: string): Promise<{ status: number; data: unknown }>;
}

/**
 * `listKey` names the array of the list answer (`{ apps: [...] }`). Every call throws on failure
 * (Directus's error shape; `apiError` reads it).
 *
 * @example
 * ```ts
 * const clients = restResource<DeviceClientInfo, DeviceClientRequest>(http, 'device-clients', 'clients');
 * await clients.update(cli.id, { enabled: false });
 * ```
 */
export function restResource<Info, Body>(http: HttpClient, path: string, listKey: string) {
	const base = `/${ENDPOINT_ID}/${path}`;
	const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

	/** Every entry, in the server's order. */
	async function list(): Promise<Info[]> {
		return ((await http.get(base)).data as Record<string, Info[]>)[listKey] ?? [];
	}

	async function create(body: Body): Promise<Info> {
		return (await http.post(base, body)).data as Info;
	}

	/** Changes only the fields in `body`. */
	async function update(id: string, body: Body): Promise<Info> {
		return (await http.patch(one(id), body)).data as Info;
	}

	async function remove(id: string): Promise<void> {
		await http.delete(one(id));
	}

	return { list, create, update, remove };
}
