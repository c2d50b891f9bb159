/**
 * The approval routes of the device flow (RFC 8628, `/api-tokens/device/*`) as the signed-in user
 * calls them: look a code up, approve it (a personal token for the asking client) or deny it. Every
 * call throws on failure (Directus's error shape; `apiError` reads it, `apiErrorCode` its code).
 */
import { useApi } from '@directus/extensions-sdk';
import { ENDPOINT_ID } from '../../../shared/constants.js';
import type { DeviceApproveRequest, DeviceDecision, DeviceRequestInfo } from '../types.js';
import type { HttpClient } from './rest-resource.js';

/**
 * @example
 * ```ts
 * const device = useDeviceApi();
 * const request = await device.lookup('BCDF-GHJK');
 * await device.approve({ user_code: request.user_code, scopes: ['read'] });
 * ```
 */
export function useDeviceApi(http: HttpClient = useApi() as unknown as HttpClient) {
	const base = `/${ENDPOINT_ID}/device`;

	/** The pending request of `userCode` (the server accepts lowercase, spaces and the dash). */
	async function lookup(userCode: string): Promise<DeviceRequestInfo> {
		return (await http.post(`${base}/lookup`, { user_code: userCode })).data as DeviceRequestInfo;
	}

	async function approve(body: DeviceApproveRequest): Promise<DeviceDecision> {
		return (await http.post(`${base}/approve`, body)).data as DeviceDecision;
	}

	async function deny(userCode: string): Promise<DeviceDecision> {
		return (await http.post(`${base}/deny`, { user_code: userCode })).data as DeviceDecision;
	}

	return { lookup, approve, deny };
}

export type DeviceApi = ReturnType<typeof useDeviceApi>;
