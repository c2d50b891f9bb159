import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { useDeviceClientForm } from './use-device-client-form.js';
import type { DeviceClientInfo } from '../types.js';
import { fakeConfig } from './fake-config.js';

const config = fakeConfig(['measurements', 'credits']);
const cli: DeviceClientInfo = {
	id: '0b5a8c4e-2f7d-4a51-9c3e-7d1f2a3b4c5d',
	client_id: 'globalping-cli',
	name: 'Globalping CLI',
	scopes: ['measurements', 'credits'],
	default_ttl: 30 * 86_400,
	max_ttl: 180 * 86_400,
	enabled: true,
	date_created: '2026-12-04T10:00:00.000Z',
	date_updated: null,
};
const refusal = (status: number, message: string, field?: string) => ({ response: { status, data: { errors: [{ message, extensions: { code: 'X', ...(field ? { field } : {}) } }] } } });

describe('useDeviceClientForm', () => {
	it('adds a client on the server’s lifetimes for personal tokens, sending every field; no client_id when left empty', () => {
		const form = useDeviceClientForm(ref(config));
		form.load(null);
		expect(form.defaultLifetime.value).toEqual({ amount: 90, unit: 'days' });
		expect(form.maxLifetime.value).toEqual({ amount: 365, unit: 'days' });
		form.name.value = '  Globalping CLI ';
		form.scopes.value = ['measurements'];
		expect(form.request.value).toEqual({ name: 'Globalping CLI', scopes: ['measurements'], default_ttl: 90 * 86_400, max_ttl: 365 * 86_400, enabled: true });
		form.clientId.value = ' globalping-cli ';
		expect(form.request.value).toMatchObject({ client_id: 'globalping-cli' });
		expect(form.hints.value).toEqual({});
	});

	it('edits send only what changed, never the client id; scopes compare as a set', () => {
		const form = useDeviceClientForm(ref(config));
		form.load(cli);
		expect(form.clientId.value).toBe('globalping-cli');
		expect(form.defaultLifetime.value).toEqual({ amount: 30, unit: 'days' });
		expect(form.dirty.value).toBe(false);
		form.scopes.value = ['credits', 'measurements'];
		form.clientId.value = 'renamed';
		expect(form.changes.value).toEqual({});
		form.maxLifetime.value = { amount: 90, unit: 'days' };
		form.enabled.value = false;
		expect(form.changes.value).toEqual({ max_ttl: 90 * 86_400, enabled: false });
	});

	it('hints at what the server refuses: no name, no scope, lifetimes out of order or past the cap', () => {
		const form = useDeviceClientForm(ref(config));
		form.load(null);
		form.submitting();
		expect(form.hints.value).toMatchObject({ name: expect.stringMatching(/name/), scopes: expect.stringMatching(/at least one scope/) });
		form.defaultLifetime.value = { amount: 2, unit: 'days' };
		form.maxLifetime.value = { amount: 1, unit: 'days' };
		expect(form.hints.value.default_ttl).toBe('No longer than the longest lifetime.');
		form.maxLifetime.value = { amount: 400, unit: 'days' };
		expect(form.hints.value.max_ttl).toMatch(/caps personal tokens at 365 days/);
		form.defaultLifetime.value = { amount: 0, unit: 'minutes' };
		expect(form.hints.value.default_ttl).toBe('At least 1 minute.');
		form.clientId.value = 'globalping cli';
		expect(form.hints.value.client_id).toMatch(/^Only letters, digits/);
		form.clientId.value = 'globalping-cli_2.0';
		expect(form.hints.value.client_id).toBeUndefined();
	});

	it('shows a scope the server no longer offers, ticked, with a hint', () => {
		const form = useDeviceClientForm(ref(config));
		form.load({ ...cli, scopes: ['legacy', 'credits'] });
		expect(form.availableScopes.value).toEqual(['measurements', 'credits', 'directus', 'legacy']);
		expect(form.hints.value.scopes).toBe('Not offered by this server any more: legacy.');
	});

	it('puts the server’s refusal under its field until that field changes, else above the form', async () => {
		const form = useDeviceClientForm(ref(config));
		form.load(null);
		form.name.value = 'CLI';
		form.clientId.value = 'globalping-cli';
		form.submitting();
		form.showServerError(refusal(409, 'A device client "globalping-cli" exists already.', 'client_id'));
		expect(form.errors.value.client_id).toBe('A device client "globalping-cli" exists already.');
		form.showServerError(refusal(400, 'scopes.0: unknown scope', 'scopes.0'));
		expect(form.errors.value.scopes).toBe('Unknown scope');
		form.showServerError(refusal(403, 'Only admins manage device clients.'));
		expect(form.formError.value).toBe('Only admins manage device clients.');
		form.clientId.value = 'globalping-cli-2';
		await nextTick();
		expect(form.errors.value.client_id).toBeUndefined();
		form.load(cli);
		expect(form.formError.value).toBeNull();
		expect(form.errors.value).toEqual({});
	});
});
