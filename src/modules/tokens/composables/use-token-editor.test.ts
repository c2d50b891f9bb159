import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import type { TokenInfo } from '../types.js';
import { extendOptions, useTokenEditor } from './use-token-editor.js';

const info: TokenInfo = {
	id: 'a1',
	name: 'laptop',
	description: null,
	kind: 'personal',
	hint: 'dtp_AbCd…',
	scopes: ['read', 'write'],
	origins: ['https://www.example.com'],
	creation_time: '2026-11-01T00:00:00.000Z',
	expiration: '2026-12-01T00:00:00.000Z',
	refreshable: false,
	last_access: null,
	revoked: false,
	revoked_at: null,
	row_id: 1,
};

describe('useTokenEditor', () => {
	it('patches only what changed, and only narrower scopes', async () => {
		const calls: unknown[] = [];
		const token = ref<TokenInfo | null>(info);
		const editor = useTokenEditor({ update: async (id, patch) => (calls.push([id, patch]), { ...info, ...patch, description: patch.description ?? null } as TokenInfo) }, token);
		editor.reset();
		expect(editor.dirty.value).toBe(false);
		editor.name.value = '  work laptop ';
		editor.description.value = 'at the office';
		editor.scopes.value = ['read'];
		expect(editor.patch.value).toEqual({ name: 'work laptop', description: 'at the office', scopes: ['read'] });
		editor.scopes.value = ['read', 'write', 'admin'];
		expect(editor.errors.value.scopes).toContain('admin');
		expect(await editor.save()).toBe(false);
		editor.scopes.value = ['read'];
		editor.originDraft.value = 'https://Tools.Example.com/';
		expect(editor.patch.value.origins).toEqual(['https://www.example.com', 'https://tools.example.com']);
		expect(await editor.save()).toBe(true);
		expect(calls).toEqual([['a1', { name: 'work laptop', description: 'at the office', scopes: ['read'], origins: ['https://www.example.com', 'https://tools.example.com'] }]]);
	});

	it('refuses an empty name and a bad origin before asking the server; shows the server’s refusal', async () => {
		const token = ref<TokenInfo | null>(info);
		const editor = useTokenEditor({ update: () => Promise.reject({ response: { status: 400, data: { errors: [{ message: 'name: too long', extensions: { code: 'invalid_name', field: 'name' } }] } } }) }, token);
		editor.reset();
		editor.name.value = ' ';
		expect(editor.errors.value.name).toBeDefined();
		editor.name.value = 'ok';
		editor.originDraft.value = 'ftp://x';
		expect(editor.errors.value.origins).toContain('ftp://x');
		editor.originDraft.value = '';
		expect(await editor.save()).toBe(false);
		expect(editor.error.value).toBe('name: too long (field: name)');
	});
});

describe('extendOptions', () => {
	const config = { maxTtlSeconds: { personal: 365 * 86_400, app: 86_400, service: null, anonymous: 86_400 } };
	it('offers later expiries within the cap counted from creation', () => {
		const options = extendOptions(info, config, new Date('2026-11-20T00:00:00Z'));
		expect(options.map((o) => o.text)).toEqual(['Keep', '30 days from now', '90 days from now', '180 days from now', 'The latest allowed: 2027-11-01']);
		expect(options[1]!.value).toBe('2026-12-20T00:00:00.000Z');
	});
	it('offers nothing for a token that never expires or is at its cap', () => {
		expect(extendOptions({ ...info, expiration: null }, config, new Date())).toEqual([{ text: 'Keep', value: 'keep' }]);
		expect(extendOptions({ ...info, expiration: '2027-11-01T00:00:00.000Z' }, config, new Date('2026-11-20T00:00:00Z'))).toEqual([{ text: 'Keep', value: 'keep' }]);
	});
});
