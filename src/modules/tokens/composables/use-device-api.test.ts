// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fakeHttp } from './fake-http.js';
import { useDeviceApi } from './use-device-api.js';
import { useDeviceClientApi } from './use-device-client-api.js';
import { useDeviceClientList } from './use-device-client-list.js';

describe('useDeviceApi', () => {
	it('looks up, approves and denies through /api-tokens/device', async () => {
		const answer = { status: 'approved', client: { client_id: 'cli', name: 'CLI' } };
		const { http, calls } = fakeHttp({ 'POST /api-tokens/device/lookup': { user_code: 'BCDF-GHJK' }, 'POST /api-tokens/device/approve': answer, 'POST /api-tokens/device/deny': answer });
		const api = useDeviceApi(http);
		expect(await api.lookup('BCDF-GHJK')).toEqual({ user_code: 'BCDF-GHJK' });
		expect(await api.approve({ user_code: 'BCDF-GHJK', scopes: ['read'] })).toEqual(answer);
		await api.deny('BCDF-GHJK');
		expect(calls).toEqual([
			['POST', '/api-tokens/device/lookup', { user_code: 'BCDF-GHJK' }],
			['POST', '/api-tokens/device/approve', { user_code: 'BCDF-GHJK', scopes: ['read'] }],
			['POST', '/api-tokens/device/deny', { user_code: 'BCDF-GHJK' }],
		]);
	});
});

describe('useDeviceClientApi', () => {
	it('calls the four admin routes of /api-tokens/device-clients, and the list keeps names in order', async () => {
		const b = { id: 'b/1', name: 'b' };
		const { http, calls } = fakeHttp({
			'GET /api-tokens/device-clients': { clients: [b] },
			'POST /api-tokens/device-clients': { id: 'a', name: 'a' },
			'PATCH /api-tokens/device-clients/b%2F1': b,
			'DELETE /api-tokens/device-clients/b%2F1': null,
		});
		const api = useDeviceClientApi(http);
		const list = useDeviceClientList(api);
		await list.load();
		list.upsert((await api.create({ name: 'a', scopes: ['read'] })) as never);
		expect(list.clients.value.map((client) => client.name)).toEqual(['a', 'b']);
		await api.update('b/1', { enabled: false });
		await api.remove('b/1');
		list.remove('b/1');
		expect(list.clients.value.map((client) => client.name)).toEqual(['a']);
		expect(calls.map(([method, url]) => `${method} ${url}`)).toEqual([
			'GET /api-tokens/device-clients',
			'POST /api-tokens/device-clients',
			'PATCH /api-tokens/device-clients/b%2F1',
			'DELETE /api-tokens/device-clients/b%2F1',
		]);
	});
});
