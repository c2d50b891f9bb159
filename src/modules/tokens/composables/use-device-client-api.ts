/**
 * The admin routes for device clients (`/api-tokens/device-clients`): the CLIs and other apps that
 * may ask for a token with a code (RFC 8628). The server refuses non-admins.
 */
import { useApi } from '@directus/extensions-sdk';
import type { DeviceClientInfo, DeviceClientRequest } from '../types.js';
import { restResource, type HttpClient } from './rest-resource.js';

/**
 * @example
 * ```ts
 * const clients = useDeviceClientApi();
 * const cli = await clients.create({ name: 'Globalping CLI', scopes: ['measurements'] }); // client_id made by the server
 * await clients.update(cli.id, { enabled: false });
 * ```
 */
export function useDeviceClientApi(http: HttpClient = useApi() as unknown as HttpClient) {
	return restResource<DeviceClientInfo, DeviceClientRequest>(http, 'device-clients', 'clients');
}

export type DeviceClientApi = ReturnType<typeof useDeviceClientApi>;
