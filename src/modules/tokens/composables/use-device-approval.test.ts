import { describe, expect, it } from 'vitest';
import { useDeviceApproval } from './use-device-approval.js';
import type { DeviceApi } from './use-device-api.js';
import { recordCalls } from './fake-calls.js';
import type { DeviceApproveRequest, DeviceRequestInfo } from '../types.js';

const now = new Date(2026, 11, 4, 10, 0, 0);
const found: DeviceRequestInfo = {
	user_code: 'BCDF-GHJK',
	client: { client_id: 'globalping-cli', name: 'Globalping CLI' },
	scopes: ['measurements', 'credits', 'probes'],
	expires_at: new Date(2026, 11, 4, 10, 15).toISOString(),
	token: {
		name: 'Globalping CLI on 2026-12-04',
		default_expires_at: new Date(2027, 2, 4, 10, 0).toISOString(),
		max_expires_at: new Date(2027, 11, 4, 10, 0).toISOString(),
	},
};
const refusal = (status: number, code: string, message: string, field?: string) => ({
	response: { status, data: { errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] } },
});
const decision = (status: 'approved' | 'denied') => ({ status, client: { client_id: found.client.client_id, name: found.client.name } });

/** Approval routes that record their calls; `failNext` makes the next call refuse with that error. */
function fakeApi() {
	const { calls, record, failNext } = recordCalls();
	const api: Pick<DeviceApi, 'lookup' | 'approve' | 'deny'> = {
		lookup: async (code: string) => (record('lookup', code), found),
		approve: async (body: DeviceApproveRequest) => (record('approve', body), decision('approved')),
		deny: async (code: string) => (record('deny', code), decision('denied')),
	};
	return { api, calls, failNext };
}

function setup() {
	const fake = fakeApi();
	return { ...fake, approval: useDeviceApproval(fake.api, () => now) };
}

describe('useDeviceApproval', () => {
	it('looks up only a well-formed code, sent in the server’s form, and opens the review on the server’s proposal', async () => {
		const { approval, calls } = setup();
		approval.setCode('bcdf');
		expect(approval.code.value).toBe('BCDF');
		expect(approval.codeProblem.value).toBeNull(); // still typing
		expect(await approval.lookup()).toBe(false);
		expect(approval.codeProblem.value).toBe('A code has 8 letters, e.g. BCDF-GHJK.');
		expect(calls).toEqual([]);

		approval.setCode('bcdf ghjk');
		expect(approval.code.value).toBe('BCDF-GHJK');
		expect(await approval.lookup()).toBe(true);
		expect(calls).toEqual([['lookup', 'BCDF-GHJK']]);
		expect(approval.step.value).toBe('review');
		expect(approval.scopes.value).toEqual(found.scopes);
		expect(approval.name.value).toBe(found.token.name);
		expect(approval.expiryDate.value).toBe('2027-03-04');
		expect(approval.expiryRange.value).toEqual({ min: '2026-12-04', max: '2027-12-04', initial: '2027-03-04' });
		expect(approval.problems.value).toEqual({});
		// Untouched, the request is approved exactly as the server proposed it.
		expect(approval.approveBody.value).toEqual({ user_code: 'BCDF-GHJK' });
	});

	it('shows the server’s refusal of a lookup and stays on the code', async () => {
		const { approval, failNext } = setup();
		approval.setCode('BCDF-GHJK');
		failNext(refusal(429, 'RATE_LIMITED', 'Too many wrong codes: try again in 10 minutes.'));
		expect(await approval.lookup()).toBe(false);
		expect(approval.step.value).toBe('code');
		expect(approval.error.value).toBe('Too many wrong codes: try again in 10 minutes.');
		expect(await approval.lookup()).toBe(true);
		expect(approval.error.value).toBeNull();
	});

	it('narrows the scopes (in the order asked, only those asked) but never to none', async () => {
		const { approval } = setup();
		approval.setCode('BCDF-GHJK');
		await approval.lookup();
		approval.scopes.value = ['probes', 'measurements', 'admin'];
		expect(approval.approveBody.value).toEqual({ user_code: 'BCDF-GHJK', scopes: ['measurements', 'probes'] });
		approval.scopes.value = [];
		expect(approval.problems.value.scopes).toBe('Leave at least one scope ticked, or deny the request.');
		expect(approval.valid.value).toBe(false);
		expect(approval.approveBody.value).toBeNull();
	});

	it('bounds the expiry by the server’s maximum and sends a changed one, and a changed name, trimmed', async () => {
		const { approval } = setup();
		approval.setCode('BCDF-GHJK');
		await approval.lookup();
		approval.expiryDate.value = '2028-01-01';
		expect(approval.problems.value.expiry).toMatch(/at the latest/);
		expect(approval.valid.value).toBe(false);
		approval.expiryDate.value = '2027-12-04';
		approval.name.value = '  Globalping CLI on my laptop ';
		expect(approval.approveBody.value).toEqual({ user_code: 'BCDF-GHJK', name: 'Globalping CLI on my laptop', expires_at: found.token.max_expires_at });
		approval.expiryDate.value = '2027-01-31';
		expect(approval.approveBody.value?.expires_at).toBe(new Date(2027, 0, 31, 23, 59, 59, 999).toISOString());
		approval.name.value = ' ';
		expect(approval.problems.value.name).toMatch(/Give the token a name/);
		approval.name.value = 'x'.repeat(101);
		expect(approval.problems.value.name).toBe('At most 100 characters.');
	});

	it('approves with the body, then shows the decision', async () => {
		const { approval, calls } = setup();
		approval.setCode('BCDF-GHJK');
		await approval.lookup();
		approval.scopes.value = ['credits'];
		expect(await approval.approve()).toBe(true);
		expect(calls.at(-1)).toEqual(['approve', { user_code: 'BCDF-GHJK', scopes: ['credits'] }]);
		expect(approval.step.value).toBe('approved');
		expect(approval.decision.value).toEqual(decision('approved'));
	});

	it('keeps the review open with the server’s message, unless the request is gone: then back to the code', async () => {
		const { approval, failNext } = setup();
		approval.setCode('BCDF-GHJK');
		await approval.lookup();
		failNext(refusal(409, 'TOO_MANY_TOKENS', 'You have 100 active tokens: revoke one first.'));
		expect(await approval.approve()).toBe(false);
		expect(approval.step.value).toBe('review');
		expect(approval.error.value).toBe('You have 100 active tokens: revoke one first.');

		failNext(refusal(404, 'INVALID_USER_CODE', 'No pending request has this code.', 'user_code'));
		expect(await approval.approve()).toBe(false);
		expect(approval.step.value).toBe('code');
		expect(approval.request.value).toBeNull();
		expect(approval.error.value).toBe('No pending request has this code.');
	});

	it('denies, and starts over empty', async () => {
		const { approval, calls } = setup();
		approval.setCode('BCDF-GHJK');
		await approval.lookup();
		expect(await approval.deny()).toBe(true);
		expect(calls.at(-1)).toEqual(['deny', 'BCDF-GHJK']);
		expect(approval.step.value).toBe('denied');
		approval.restart();
		expect(approval.step.value).toBe('code');
		expect(approval.code.value).toBe('');
		expect(approval.codeProblem.value).toBeNull();
		expect(approval.decision.value).toBeNull();
	});
});
