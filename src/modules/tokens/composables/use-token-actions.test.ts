// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { useTokenActions } from './use-token-actions.js';
import type { RevealedToken, TokenInfo } from '../types.js';

const info = { id: 'a', name: 'CLI', hint: 'dtp_ab…' } as TokenInfo;

describe('useTokenActions', () => {
	it('regenerates with the chosen grace period and holds the plaintext until forgotten', async () => {
		const seen: unknown[] = [];
		const actions = useTokenActions(
			{
				regenerate: async (id, grace) => (seen.push(['regenerate', id, grace]), { token: 'dtp_new', info: { ...info, hint: 'dtp_ne…' }, capped: false } as RevealedToken),
				refresh: async () => Promise.reject(new Error('unused')),
				revoke: async () => undefined,
			},
			{ replaced: (next, old) => seen.push(['replaced', next.hint, old]), revoked: (id) => seen.push(['revoked', id]) },
		);
		actions.ask('regenerate', info);
		actions.graceSeconds.value = 3600;
		expect(await actions.confirm()).toBe(true);
		expect(seen).toEqual([['regenerate', 'a', 3600], ['replaced', 'dtp_ne…', 'a']]);
		expect(actions.revealed.value).toMatchObject({ reason: 'regenerated', graceSeconds: 3600, revealed: { token: 'dtp_new' } });
		expect(actions.action.value).toBeNull();
		actions.forget();
		expect(actions.revealed.value).toBeNull();
	});

	it('keeps the dialog open with the server’s message when revoking fails', async () => {
		const actions = useTokenActions(
			{
				regenerate: async () => Promise.reject(new Error('unused')),
				refresh: async () => Promise.reject(new Error('unused')),
				revoke: async () => Promise.reject({ response: { status: 404, data: { errors: [{ message: 'No such token.' }] } } }),
			},
			{ replaced: () => undefined, revoked: () => undefined },
		);
		actions.ask('revoke', info);
		expect(await actions.confirm()).toBe(false);
		expect(actions.error.value).toBe('No such token.');
		expect(actions.action.value).toBe('revoke');
		actions.cancel();
		expect(actions.target.value).toBeNull();
	});
});
