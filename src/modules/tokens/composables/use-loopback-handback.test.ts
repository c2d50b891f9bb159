// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { useLoopbackHandback } from './use-loopback-handback.js';

describe('useLoopbackHandback', () => {
	it('POSTs {token, state} as JSON without credentials and reports success', async () => {
		const calls: Array<[string, RequestInit]> = [];
		const handback = useLoopbackHandback({ fetch: async (url, init) => (calls.push([url, init]), { ok: true, status: 200 }) });
		expect(await handback.send('http://127.0.0.1:1/cb', 'dtp_x', 'st')).toBe(true);
		expect(handback.status.value).toBe('sent');
		const [url, init] = calls[0]!;
		expect(url).toBe('http://127.0.0.1:1/cb');
		expect(init).toMatchObject({ method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' } });
		expect(JSON.parse(String(init.body))).toEqual({ token: 'dtp_x', state: 'st' });
	});

	it('reports a refusal, an unreachable application and a timeout', async () => {
		const refused = useLoopbackHandback({ fetch: async () => ({ ok: false, status: 400 }) });
		expect(await refused.send('http://127.0.0.1:1/', 't', null)).toBe(false);
		expect(refused.error.value).toBe('The application answered 400.');
		const down = useLoopbackHandback({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
		expect(await down.send('http://127.0.0.1:1/', 't', null)).toBe(false);
		expect(down.error.value).toMatch(/could not be reached/);
		const slow = useLoopbackHandback({
			timeoutMs: 10,
			fetch: (_url, init) => new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
		});
		expect(await slow.send('http://127.0.0.1:1/', 't', null)).toBe(false);
		expect(slow.error.value).toMatch(/in time/);
		expect(slow.status.value).toBe('failed');
	});
});
