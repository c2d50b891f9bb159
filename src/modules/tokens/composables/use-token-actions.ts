/**
 * The confirmed actions on one token from a list: regenerate (with an optional grace period),
 * refresh and revoke. Holds which dialog is open for which token, and the plaintext of a
 * regenerated or refreshed token until the user closes the reveal (never anywhere else).
 */
import { ref } from 'vue';
import type { RevealedToken, TokenInfo } from '../types.js';
import { apiError } from './api-error.js';
import type { TokenApi } from './use-token-api.js';

export type TokenAction = 'regenerate' | 'refresh' | 'revoke';

/** A plaintext to reveal once, with what produced it. */
export interface ActionReveal {
	revealed: RevealedToken;
	reason: 'regenerated' | 'refreshed';
	/** The old secret's grace period (regenerate only). */
	graceSeconds: number;
}

export interface ActionCallbacks {
	/** A token was replaced (regenerate: same id; refresh: a new token replacing the old). */
	replaced(info: TokenInfo, oldId: string): void;
	revoked(id: string): void;
}

/**
 * @example
 * ```ts
 * const actions = useTokenActions(api, { replaced: list.upsert, revoked: list.remove });
 * actions.ask('revoke', token); // opens the dialog; actions.confirm() does it
 * ```
 */
export function useTokenActions(api: Pick<TokenApi, 'regenerate' | 'refresh' | 'revoke'>, callbacks: ActionCallbacks) {
	const action = ref<TokenAction | null>(null);
	const target = ref<TokenInfo | null>(null);
	const busy = ref(false);
	const error = ref<string | null>(null);
	const graceSeconds = ref(0);
	/** Regenerate also renews the expiry (see `TokenApi.regenerate`). */
	const renew = ref(false);
	const revealed = ref<ActionReveal | null>(null);

	function ask(next: TokenAction, token: TokenInfo, options: { renew?: boolean } = {}): void {
		action.value = next;
		target.value = token;
		error.value = null;
		graceSeconds.value = 0;
		renew.value = options.renew ?? false;
	}

	function cancel(): void {
		if (busy.value) return;
		action.value = null;
		target.value = null;
		error.value = null;
	}

	async function confirm(): Promise<boolean> {
		const token = target.value;
		const what = action.value;
		if (!token || !what || busy.value) return false;
		busy.value = true;
		error.value = null;
		try {
			if (what === 'revoke') {
				await api.revoke(token.id);
				callbacks.revoked(token.id);
			} else {
				const result = what === 'regenerate' ? await api.regenerate(token.id, graceSeconds.value, renew.value) : await api.refresh(token.id);
				callbacks.replaced(result.info, token.id);
				revealed.value = { revealed: result, reason: what === 'regenerate' ? 'regenerated' : 'refreshed', graceSeconds: what === 'regenerate' ? graceSeconds.value : 0 };
			}
			action.value = null;
			target.value = null;
			return true;
		} catch (cause) {
			error.value = apiError(cause).message;
			return false;
		} finally {
			busy.value = false;
		}
	}

	/** Forgets a revealed plaintext (the reveal was closed). */
	function forget(): void {
		revealed.value = null;
	}

	/** For the dialog: the old secret's grace period, and whether regenerate renews the expiry. */
	const setGrace = (seconds: number) => void (graceSeconds.value = seconds);
	const setRenew = (value: boolean) => void (renew.value = value);

	return { action, target, busy, error, graceSeconds, renew, revealed, ask, cancel, confirm, forget, setGrace, setRenew };
}

export type TokenActions = ReturnType<typeof useTokenActions>;
