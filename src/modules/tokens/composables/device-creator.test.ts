import { describe, expect, it } from 'vitest';
import { deviceCreator } from './device-creator.js';

const label = (info: { user?: string | null }) => `Ada <${info.user}@example.com>`;

describe('deviceCreator', () => {
	it('names the approver (you, or the owner for an admin) and the device client', () => {
		expect(deviceCreator({ kind: 'personal', device_client: 'globalping-cli' }, 'u1', label)).toBe('You, by approving the device client globalping-cli');
		expect(deviceCreator({ kind: 'personal', device_client: 'globalping-cli', user: 'u1' }, 'u1', label)).toBe('You, by approving the device client globalping-cli');
		expect(deviceCreator({ kind: 'personal', device_client: 'globalping-cli', user: 'u2' }, 'u1', label)).toBe('Ada <u2@example.com>, by approving the device client globalping-cli');
	});

	it('has nothing to say of other tokens', () => {
		expect(deviceCreator({ kind: 'personal', device_client: null }, 'u1', label)).toBeNull();
		expect(deviceCreator({ kind: 'personal' }, 'u1', label)).toBeNull();
		expect(deviceCreator({ kind: 'service', device_client: 'x' }, 'u1', label)).toBeNull();
	});
});
