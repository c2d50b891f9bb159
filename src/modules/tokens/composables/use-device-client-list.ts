/** The clients of the device clients page, sorted by name (see `useNamedList`). */
import type { DeviceClientApi } from './use-device-client-api.js';
import { useNamedList } from './use-named-list.js';

/**
 * @example
 * ```ts
 * const list = useDeviceClientList(useDeviceClientApi());
 * await list.load();
 * list.clients.value; // sorted by name
 * ```
 */
export function useDeviceClientList(api: Pick<DeviceClientApi, 'list'>) {
	const { items, ...list } = useNamedList(() => api.list());
	return { clients: items, ...list };
}
