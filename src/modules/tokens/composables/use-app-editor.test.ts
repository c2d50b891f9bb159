// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { useAppForm } from './use-app-form.js';
import { useAppEditor } from './use-app-editor.js';
import type { AppApi } from './use-app-api.js';
import { recordCalls } from './fake-calls.js';
import type { AppInfo, AppRequest, TokenServerConfig } from '../types.js';

const config = { scopes: ['read', 'write'], maxTtlSeconds: { personal: null, app: 86_400, service: null } } as unknown as TokenServerConfig;
const web: AppInfo = {
	id: '6f1c1b9e-7c43-4a8e-9d2a-1b2c3d4e5f60',
	name: 'web',
	origins: ['https://www.example.com'],
	scopes: ['read'],
	ttl: 86_400,
	max_active_per_user: 5,
	enabled: true,
	date_created: null,
	date_updated: null,
};

/** An app API that records its calls; `fail` makes the next write refuse with that body. */
function fakeApi(count = 3) {
	const { calls, record, failNext } = recordCalls();
	const api: Pick<AppApi, 'create' | 'update' | 'remove' | 'activeTokens'> = {
		create: async (body: AppRequest) => (record('create', body), { ...web, ...body, id: 'new' } as AppInfo),
		update: async (id: string, body: AppRequest) => (record('update', id, body), { ...web, ...body } as AppInfo),
		remove: async (id: string) => record('remove', id),
		activeTokens: async () => count,
	};
	return { api, calls, failNext };
}

function setup(count?: number) {
	const fake = fakeApi(count);
	const form = useAppForm(ref(config));
	const seen: unknown[] = [];
	const editor = useAppEditor(fake.api, form, { saved: (app) => seen.push(['saved', app.name]), removed: (id) => seen.push(['removed', id]) });
	return { ...fake, form, editor, seen };
}

describe('useAppEditor', () => {
	it('registers, keeping the drawer open with the server’s refusal under the field, then saves', async () => {
		const { editor, form, calls, seen, failNext } = setup();
		editor.start(null);
		expect(editor.open.value).toBe(true);
		form.name.value = 'web';
		form.originDraft.value = 'nope';
		failNext({ response: { status: 400, data: { errors: [{ message: 'origins: origin "nope" is not a URL.', extensions: { field: 'origins' } }] } } });
		expect(await editor.save()).toBe(false);
		expect(editor.open.value).toBe(true);
		expect(form.errors.value.origins).toBe('Origin "nope" is not a URL.');
		expect(seen).toEqual([]);
		form.originDraft.value = 'https://www.example.com';
		expect(await editor.save()).toBe(true);
		expect(calls.at(-1)).toEqual(['create', expect.objectContaining({ name: 'web', origins: ['https://www.example.com'] })]);
		expect(seen).toEqual([['saved', 'web']]);
		expect(editor.open.value).toBe(false);
	});

	it('closes an unchanged app without a request, and PATCHes only what changed', async () => {
		const { editor, form, calls } = setup();
		editor.start(web);
		expect(await editor.save()).toBe(true);
		expect(calls).toEqual([]);
		editor.start(web);
		form.maxActive.value = 10;
		await editor.save();
		expect(calls).toEqual([['update', web.id, { max_active_per_user: 10 }]]);
	});

	it('asks before disabling, saying how many tokens stop; Cancel sends nothing', async () => {
		const { editor, form, calls, seen } = setup(2);
		editor.start(web);
		form.enabled.value = false;
		expect(await editor.save()).toBe(false);
		expect(editor.confirm.value).toMatchObject({ kind: 'disable', app: { name: 'web' } });
		await vi.waitFor(() => expect(editor.confirm.value?.count).toBe(2));
		expect(calls).toEqual([]);
		editor.cancelConfirm();
		expect(editor.confirm.value).toBeNull();
		expect(editor.open.value).toBe(true);

		await editor.save();
		expect(await editor.confirmAction()).toBe(true);
		expect(calls).toEqual([['update', web.id, { enabled: false }]]);
		expect(seen).toEqual([['saved', 'web']]);
		expect(editor.confirm.value).toBeNull();
		expect(editor.open.value).toBe(false);
	});

	it('deletes after the confirm; a refusal stays in the dialog', async () => {
		const { editor, calls, seen, failNext } = setup();
		editor.start(web);
		editor.ask('delete', web);
		failNext({ response: { status: 404, data: { errors: [{ message: 'No such app.', extensions: { code: 'NOT_FOUND' } }] } } });
		expect(await editor.confirmAction()).toBe(false);
		expect(editor.confirm.value).toMatchObject({ kind: 'delete', busy: false, error: 'No such app.' });
		expect(await editor.confirmAction()).toBe(true);
		expect(calls).toEqual([['remove', web.id], ['remove', web.id]]);
		expect(seen).toEqual([['removed', web.id]]);
		expect(editor.open.value).toBe(false);
	});
});
