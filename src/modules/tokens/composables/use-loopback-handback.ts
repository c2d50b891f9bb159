/**
 * Hands a new token to the application that asked for it, on this computer: one `POST` of
 * `{"token","state"}` as JSON from the browser to the link's loopback `callback` (the application
 * answers the CORS preflight; see the README's CLI example). Only ever called after the user confirms.
 */
import { ref } from 'vue';

export type HandbackStatus = 'idle' | 'sending' | 'sent' | 'failed';

type FetchLike = (url: string, init: RequestInit) => Promise<Pick<Response, 'ok' | 'status'>>;

/**
 * @example
 * ```ts
 * const handback = useLoopbackHandback();
 * if (!(await handback.send('http://127.0.0.1:8123/token', token, state))) showReveal();
 * ```
 */
export function useLoopbackHandback({ fetch: fetchImpl = ((url, init) => globalThis.fetch(url, init)) as FetchLike, timeoutMs = 10_000 } = {}) {
	const status = ref<HandbackStatus>('idle');
	const error = ref<string | null>(null);

	async function send(callback: string, token: string, state: string | null): Promise<boolean> {
		status.value = 'sending';
		error.value = null;
		const abort = new AbortController();
		const timer = setTimeout(() => abort.abort(), timeoutMs);
		try {
			const response = await fetchImpl(callback, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ token, state }),
				mode: 'cors',
				credentials: 'omit',
				cache: 'no-store',
				referrerPolicy: 'no-referrer',
				signal: abort.signal,
			});
			if (!response.ok) throw new Error(`The application answered ${response.status}.`);
			status.value = 'sent';
			return true;
		} catch (cause) {
			status.value = 'failed';
			error.value =
				cause instanceof Error && cause.message.startsWith('The application')
					? cause.message
					: abort.signal.aborted
						? 'The application did not answer in time.'
						: 'The application could not be reached (it may have stopped waiting, or the browser blocked the request).';
			return false;
		} finally {
			clearTimeout(timer);
		}
	}

	return { status, error, send };
}
