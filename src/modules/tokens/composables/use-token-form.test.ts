// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { useTokenForm } from './use-token-form.js';
import { parsePrefill } from './parse-prefill.js';
import { fakeConfig } from './fake-config.js';

const config = fakeConfig(['read', 'write']);
const now = () => new Date(2026, 10, 23, 12);

describe('useTokenForm', () => {
	it('is invalid without a name, and builds the request from the prefilled link', () => {
		const form = useTokenForm(ref(config), now);
		form.apply(parsePrefill({}, config, now()));
		expect(form.valid.value).toBe(false);
		expect(form.errors.value.name).toBeUndefined(); // not flagged before the user touched it
		form.nameTouched.value = true;
		expect(form.errors.value.name).toMatch(/name/);

		form.apply(parsePrefill({ name: 'CLI', scopes: 'read', expires_in: '30', origins: 'https://www.example.com' }, config, now()));
		expect(form.valid.value).toBe(true);
		expect(form.request.value).toEqual({ name: 'CLI', scopes: ['read'], origins: ['https://www.example.com'], duration: 30 * 86_400 });
	});

	it('adds valid origins as tags, keeps invalid text with an error, and counts a valid draft in', () => {
		const form = useTokenForm(ref(config), now);
		form.name.value = 'x';
		form.originDraft.value = 'HTTPS://API.example.com/';
		expect(form.request.value.origins).toEqual(['https://api.example.com']);
		expect(form.addOrigin()).toBe(true);
		expect(form.origins.value).toEqual(['https://api.example.com']);
		expect(form.originDraft.value).toBe('');
		form.originDraft.value = 'ftp://nope';
		expect(form.addOrigin()).toBe(false);
		expect(form.errors.value.origins).toMatch(/http or https/);
		expect(form.valid.value).toBe(false);
		form.removeOrigin('https://api.example.com');
		expect(form.origins.value).toEqual([]);
	});

	it('switching to a service token keeps only system scopes and allows never', async () => {
		const form = useTokenForm(ref(config), now);
		form.apply(parsePrefill({ name: 'svc', scopes: 'read' }, config, now()));
		form.expiry.value = { type: 'never' };
		expect(form.errors.value.expiry).toMatch(/must expire/);
		form.kind.value = 'service';
		await nextTick();
		expect(form.scopes.value).toEqual([]);
		expect(form.availableScopes.value).toEqual(['introspect']);
		form.scopes.value = ['introspect'];
		form.expiry.value = { type: 'never' };
		expect(form.errors.value).toEqual({});
		expect(form.request.value).toMatchObject({ kind: 'service', duration: null, scopes: ['introspect'] });
	});
});
