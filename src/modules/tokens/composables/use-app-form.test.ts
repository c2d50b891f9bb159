// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { useAppForm } from './use-app-form.js';
import type { AppInfo } from '../types.js';
import { fakeConfig } from './fake-config.js';

const config = fakeConfig(['read', 'write']);
const web: AppInfo = {
	id: '6f1c1b9e-7c43-4a8e-9d2a-1b2c3d4e5f60',
	name: 'web',
	origins: ['https://www.example.com', 'https://*.sites.example.com'],
	scopes: ['directus', 'read'],
	ttl: 3_600,
	max_active_per_user: 5,
	enabled: true,
	date_created: '2026-11-23T12:00:00.000Z',
	date_updated: null,
};
const refusal = (message: string, field?: string) => ({ response: { status: 400, data: { errors: [{ message, extensions: { code: 'INVALID_REQUEST', ...(field ? { field } : {}) } }] } } });

describe('useAppForm', () => {
	it('starts a new app on the server’s defaults and sends every field, origins normalised', () => {
		const form = useAppForm(ref(config));
		form.load(null);
		form.name.value = '  globalping-web ';
		form.originDraft.value = 'https://WWW.Example.com/';
		expect(form.addOrigin()).toBe(true);
		expect(form.origins.value).toEqual(['https://www.example.com']);
		form.scopes.value = ['read'];
		expect(form.request.value).toEqual({ name: 'globalping-web', origins: ['https://www.example.com'], scopes: ['read'], ttl: 86_400, max_active_per_user: 5, enabled: true });
		expect(form.hints.value).toEqual({});
	});

	it('starts no longer than the server’s cap for app tokens, and says when the lifetime exceeds it', () => {
		const form = useAppForm(ref({ ...config, maxTtlSeconds: { ...config.maxTtlSeconds, app: 3_600 } }));
		form.load(null);
		expect(form.lifetime.value).toEqual({ amount: 1, unit: 'hours' });
		expect(form.lifetimeNote.value).toBe('At most 1 hour on this server.');
		form.lifetime.value = { amount: 2, unit: 'days' };
		expect(form.request.value.ttl).toBe(172_800);
		expect(form.lifetimeNote.value).toMatch(/caps app tokens at 1 hour .*they will last 1 hour/);
		form.lifetime.value = { amount: 0, unit: 'minutes' };
		expect(form.hints.value.ttl).toBe('At least 1 minute.');
	});

	it('hints before sending, but still sends what was typed (the server judges an invalid origin)', () => {
		const form = useAppForm(ref(config));
		form.load(null);
		expect(form.hints.value.name).toBeUndefined(); // not before the admin has been there
		form.touch('name');
		form.touch('origins');
		expect(form.hints.value).toMatchObject({ name: expect.stringMatching(/name/), origins: 'List at least one origin.' });
		form.name.value = 'x'.repeat(101);
		expect(form.hints.value.name).toBe('At most 100 characters.');
		form.originDraft.value = 'ftp://files.example.com';
		expect(form.addOrigin()).toBe(false);
		expect(form.originDraft.value).toBe('ftp://files.example.com');
		expect(form.hints.value.origins).toBe('"ftp://files.example.com" must use http or https.');
		expect(form.request.value.origins).toEqual(['ftp://files.example.com']);
		form.maxActive.value = 1001;
		expect(form.hints.value.max_active_per_user).toBe('A whole number from 1 to 1000.');
	});

	it('puts the server’s refusal under the field it names until that field changes, else above the form', async () => {
		const form = useAppForm(ref(config));
		form.load(null);
		form.name.value = 'web';
		form.originDraft.value = 'https://ok.example.com';
		form.showServerError(refusal('origins: origin "nope" is not a URL.', 'origins'));
		expect(form.errors.value.origins).toBe('Origin "nope" is not a URL.');
		form.showServerError(refusal('An app named "web" exists already.', 'name'));
		expect(form.errors.value.name).toBe('An app named "web" exists already.');
		form.showServerError(refusal('origins.0: Invalid input: expected string, received number', 'origins.0'));
		expect(form.errors.value.origins).toBe('Invalid input: expected string, received number');
		expect(form.formError.value).toBeNull();
		form.showServerError({ response: { status: 403, data: { errors: [{ message: 'Only admins manage token apps.', extensions: { code: 'FORBIDDEN' } }] } } });
		expect(form.formError.value).toBe('Only admins manage token apps.');

		form.originDraft.value = 'https://other.example.com';
		await nextTick();
		expect(form.errors.value.origins).toBeUndefined();
		expect(form.errors.value.name).toBe('An app named "web" exists already.');
		form.submitting();
		expect(form.errors.value.name).toBeUndefined();
		expect(form.formError.value).toBeNull();
	});

	it('edits send only what changed; scopes compare as a set; turning it off is flagged', () => {
		const form = useAppForm(ref(config));
		form.load(web);
		expect(form.lifetime.value).toEqual({ amount: 1, unit: 'hours' });
		expect(form.dirty.value).toBe(false);
		form.scopes.value = ['read', 'directus'];
		expect(form.changes.value).toEqual({});
		form.scopes.value = ['read'];
		form.lifetime.value = { amount: 12, unit: 'hours' };
		expect(form.changes.value).toEqual({ scopes: ['read'], ttl: 43_200 });
		expect(form.disabling.value).toBe(false);
		form.enabled.value = false;
		expect(form.disabling.value).toBe(true);
		expect(form.changes.value).toMatchObject({ enabled: false });
		form.removeOrigin('https://*.sites.example.com');
		expect(form.changes.value.origins).toEqual(['https://www.example.com']);
	});

	it('shows a scope the server no longer offers, ticked, with a hint', () => {
		const form = useAppForm(ref(config));
		form.load({ ...web, scopes: ['legacy', 'read'] });
		expect(form.availableScopes.value).toEqual(['read', 'write', 'directus', 'legacy']);
		expect(form.hints.value.scopes).toBe('Not offered by this server any more: legacy.');
		expect(form.changes.value).toEqual({}); // untouched scopes are not sent, so not refused
	});
});
