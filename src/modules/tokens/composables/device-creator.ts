/**
 * "Created by" of a personal token its owner approved for a device client (RFC 8628): the owner made
 * it, through the client whose id it carries. Pure.
 */
import type { TokenInfo } from '../types.js';

/**
 * The line, or `null` for a token no device client asked for. `ownerLabel` names an owner other
 * than the viewer (admins see others' tokens; the API shows `user` only to them).
 *
 * @example
 * ```ts
 * deviceCreator({ kind: 'personal', device_client: 'globalping-cli' }, null, label); // 'You, by approving the device client globalping-cli'
 * deviceCreator({ kind: 'personal', device_client: 'globalping-cli', user: 'u2' }, 'u1', label); // 'Ada <ada@example.com>, by approving …'
 * ```
 */
export function deviceCreator(info: Pick<TokenInfo, 'kind' | 'user' | 'device_client'>, me: string | null, ownerLabel: (info: Pick<TokenInfo, 'user'>) => string): string | null {
	if (info.kind !== 'personal' || !info.device_client) return null;
	const approver = info.user && info.user !== me ? ownerLabel(info) : 'You';
	return `${approver}, by approving the device client ${info.device_client}`;
}
