import { describe, expect, it, vi } from 'vitest';
import { createAppTokenClient } from './app-token-client.js';
import { buildNewTokenUrl } from './build-new-token-url.js';

const DAY = 86_400_000;

function fakeDashboard(now: () => number) {
	let issued = 0;
	let signedIn = true;
	const calls: Array<{ url: string; init: RequestInit }> = [];
	const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
		calls.push({ url: String(url), init: init ?? {} });
		await new Promise((r) => setTimeout(r, 1));
		if (!signedIn) {
			return new Response(JSON.stringify({ sign_in_url: 'https://dash.example.com/admin/login?redirect=x' }), { status: 401 });
		}
		issued += 1;
		return new Response(
			JSON.stringify({ token: `dta_token${issued}`, expires_at: new Date(now() + DAY).toISOString(), scopes: ['read'] }),
			{ status: 201 },
		);
	});
	return { fetch: fetch as unknown as typeof globalThis.fetch, calls, signOut: () => (signedIn = false), issued: () => issued };
}

describe('createAppTokenClient', () => {
	it('coalesces concurrent calls into one request with the cookie included', async () => {
		const clock = 1_000_000;
		const dash = fakeDashboard(() => clock);
		const client = createAppTokenClient({ dashboardUrl: 'https://dash.example.com/', app: 'web', fetch: dash.fetch, now: () => clock });
		const results = await Promise.all(Array.from({ length: 20 }, () => client.getToken()));
		expect(dash.calls).toHaveLength(1);
		expect(dash.calls[0]!.url).toBe('https://dash.example.com/api-tokens/app');
		expect(dash.calls[0]!.init.credentials).toBe('include');
		expect(JSON.parse(String(dash.calls[0]!.init.body))).toEqual({ app: 'web' });
		expect(new Set(results.map((r) => (r.status === 'ok' ? r.token : r.status)))).toEqual(new Set(['dta_token1']));
		client.stop();
	});

	it('serves from cache until shortly before expiry, then refreshes in the background', async () => {
		let clock = 1_000_000;
		const dash = fakeDashboard(() => clock);
		const client = createAppTokenClient({ dashboardUrl: 'https://dash.example.com', app: 'web', fetch: dash.fetch, now: () => clock, refreshMarginMs: 60_000 });
		const first = await client.getToken();
		clock += DAY - 120_000; // two minutes left: still outside the margin
		expect(await client.getToken()).toBe(first);
		expect(dash.issued()).toBe(1);
		clock += 90_000; // 30 s left: inside the margin, old token returned while a new one is fetched
		const stale = await client.getToken();
		expect(stale).toBe(first);
		await vi.waitFor(() => expect(dash.issued()).toBe(2));
		const fresh = await client.getToken();
		expect(fresh.status === 'ok' && fresh.token).toBe('dta_token2');
		clock += DAY * 2; // long expired: a call waits for a new token
		const next = await client.getToken();
		expect(next.status === 'ok' && next.token).toBe('dta_token3');
		client.stop();
	});

	it('reports signed out with the sign-in URL and notifies listeners once per change', async () => {
		let clock = 1_000_000;
		const dash = fakeDashboard(() => clock);
		const client = createAppTokenClient({ dashboardUrl: 'https://dash.example.com', app: 'web', fetch: dash.fetch, now: () => clock });
		const seen: string[] = [];
		client.onChange((r) => seen.push(r.status === 'ok' ? r.token : r.status));
		await client.getToken();
		await client.getToken();
		dash.signOut();
		clock += DAY + 1; // the token expired while the user signed out of the dashboard
		const out = await client.getToken();
		expect(out).toEqual({ status: 'signed_out', signInUrl: 'https://dash.example.com/admin/login?redirect=x' });
		await client.getToken();
		expect(seen).toEqual(['dta_token1', 'signed_out']);
		client.stop();
	});

	it('turns rate limits and network failures into error results, never exceptions', async () => {
		const limited = createAppTokenClient({
			dashboardUrl: 'https://dash.example.com',
			app: 'web',
			fetch: (async () =>
				new Response(JSON.stringify({ errors: [{ message: 'Too many tokens' }] }), { status: 429, headers: { 'retry-after': '30' } })) as typeof fetch,
		});
		expect(await limited.getToken()).toEqual({ status: 'error', message: 'Too many tokens', retryAfterSeconds: 30 });
		const offline = createAppTokenClient({
			dashboardUrl: 'https://dash.example.com',
			app: 'web',
			fetch: (async () => {
				throw new TypeError('Failed to fetch');
			}) as typeof fetch,
		});
		const result = await offline.getToken();
		expect(result.status).toBe('error');
	});
});

describe('buildNewTokenUrl', () => {
	it('builds a prefilled /admin/tokens/new link', () => {
		const url = new URL(
			buildNewTokenUrl({
				dashboardUrl: 'https://dash.example.com/base',
				name: 'Globalping CLI',
				scopes: ['read', 'write'],
				expiresIn: 90,
				origins: ['https://www.example.com'],
				callback: 'http://127.0.0.1:4567/cb',
				state: 'abc',
			}),
		);
		expect(url.origin + url.pathname).toBe('https://dash.example.com/base/admin/tokens/new');
		expect(Object.fromEntries(url.searchParams)).toEqual({
			name: 'Globalping CLI',
			scopes: 'read,write',
			expires_in: '90',
			origins: 'https://www.example.com',
			callback: 'http://127.0.0.1:4567/cb',
			state: 'abc',
		});
	});
});
