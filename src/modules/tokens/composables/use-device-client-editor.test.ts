import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { useDeviceClientForm } from './use-device-client-form.js';
import { useDeviceClientEditor } from './use-device-client-editor.js';
import type { DeviceClientApi } from './use-device-client-api.js';
import { recordCalls } from './fake-calls.js';
import type { DeviceClientInfo, DeviceClientRequest, TokenServerConfig } from '../types.js';

const config = { scopes: ['measurements', 'credits'], maxTtlSeconds: { personal: 365 * 86_400 }, defaultTtlSeconds: 90 * 86_400 } as unknown as TokenServerConfig;
const cli: DeviceClientInfo = {
	id: 'c1',
	client_id: 'globalping-cli',
	name: 'Globalping CLI',
	scopes: ['measurements'],
	default_ttl: 30 * 86_400,
	max_ttl: 180 * 86_400,
	enabled: true,
	date_created: null,
	date_updated: null,
};

function setup() {
	const { calls, record, failNext } = recordCalls();
	const api: Pick<DeviceClientApi, 'create' | 'update' | 'remove'> = {
		create: async (body: DeviceClientRequest) => (record('create', body), { ...cli, ...body, id: 'new', client_id: body.client_id ?? 'made-by-server' } as DeviceClientInfo),
		update: async (id: string, body: DeviceClientRequest) => (record('update', id, body), { ...cli, ...body } as DeviceClientInfo),
		remove: async (id: string) => record('remove', id),
	};
	const form = useDeviceClientForm(ref(config));
	const seen: unknown[] = [];
	const editor = useDeviceClientEditor(api, form, { saved: (client) => seen.push(['saved', client.client_id]), removed: (id) => seen.push(['removed', id]) });
	return { calls, seen, form, editor, failNext };
}

describe('useDeviceClientEditor', () => {
	it('adds, keeping the drawer open with a refusal under its field, then saves', async () => {
		const { editor, form, calls, seen, failNext } = setup();
		editor.start(null);
		form.name.value = 'Globalping CLI';
		form.scopes.value = ['measurements'];
		failNext({ response: { status: 400, data: { errors: [{ message: 'client_id: client_id is 1-100 letters, digits, dots, dashes or underscores', extensions: { code: 'INVALID_REQUEST', field: 'client_id' } }] } } });
		form.clientId.value = 'bad id';
		expect(await editor.save()).toBe(false);
		expect(editor.open.value).toBe(true);
		expect(form.errors.value.client_id).toBe('client_id is 1-100 letters, digits, dots, dashes or underscores');
		form.clientId.value = '';
		expect(await editor.save()).toBe(true);
		expect(calls.at(-1)).toEqual(['create', { name: 'Globalping CLI', scopes: ['measurements'], default_ttl: 90 * 86_400, max_ttl: 365 * 86_400, enabled: true }]);
		expect(seen).toEqual([['saved', 'made-by-server']]);
		expect(editor.open.value).toBe(false);
	});

	it('closes an unchanged client without a request, and PATCHes only what changed', async () => {
		const { editor, form, calls } = setup();
		editor.start(cli);
		expect(await editor.save()).toBe(true);
		expect(calls).toEqual([]);
		editor.start(cli);
		form.enabled.value = false;
		await editor.save();
		expect(calls).toEqual([['update', 'c1', { enabled: false }]]);
	});

	it('deletes after the confirm; a refusal stays in the dialog; Cancel sends nothing', async () => {
		const { editor, calls, seen, failNext } = setup();
		editor.start(cli);
		editor.askDelete();
		expect(editor.confirm.value).toEqual({ client: cli, busy: false, error: null });
		editor.cancelConfirm();
		expect(editor.confirm.value).toBeNull();
		expect(calls).toEqual([]);

		editor.askDelete();
		failNext({ response: { status: 404, data: { errors: [{ message: 'No such device client.', extensions: { code: 'NOT_FOUND' } }] } } });
		expect(await editor.confirmDelete()).toBe(false);
		expect(editor.confirm.value).toMatchObject({ busy: false, error: 'No such device client.' });
		expect(await editor.confirmDelete()).toBe(true);
		expect(calls).toEqual([['remove', 'c1'], ['remove', 'c1']]);
		expect(seen).toEqual([['removed', 'c1']]);
		expect(editor.open.value).toBe(false);
		expect(editor.confirm.value).toBeNull();
	});
});
