import { describe, expect, it } from 'vitest';
import { useTokenPage } from './use-token-page.js';
import type { TokenInfo, TokenServerConfig } from '../types.js';

const info = { id: 'a1', name: 'laptop' } as TokenInfo;
const config = { scopes: ['read'] } as TokenServerConfig;
const notFound = { response: { status: 404, data: { errors: [{ message: 'No such token.', extensions: { code: 'not_found' } }] } } };

describe('useTokenPage', () => {
	it('loads the token, its history and the config', async () => {
		const page = useTokenPage({ get: async () => info, events: async () => [{ type: 'created', at: null, actor: null }], config: async () => config });
		await page.load('a1');
		expect(page.token.value).toEqual(info);
		expect(page.events.value).toHaveLength(1);
		expect(page.notFound.value).toBeNull();
	});

	it('shows the API’s own not found for an unknown or foreign id, and other errors apart', async () => {
		const page = useTokenPage({ get: () => Promise.reject(notFound), events: async () => [], config: async () => config });
		await page.load('zzz');
		expect(page.notFound.value).toBe('No such token.');
		expect(page.token.value).toBeNull();
		const broken = useTokenPage({ get: () => Promise.reject({ response: { status: 503, data: {} } }), events: async () => [], config: async () => config });
		await broken.load('a1');
		expect(broken.notFound.value).toBeNull();
		expect(broken.error.value).toBe('The server answered 503.');
	});

	it('keeps the token when only its history fails', async () => {
		const page = useTokenPage({ get: async () => info, events: () => Promise.reject(notFound), config: async () => config });
		await page.load('a1');
		expect(page.token.value).toEqual(info);
		expect(page.eventsError.value).toBe('No such token.');
	});
});
