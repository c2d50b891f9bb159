import { describe, expect, it } from 'vitest';
import { registerWebSocketGuard } from './register-websocket-guard.js';

type Handler = (message: unknown, meta: Record<string, unknown>) => unknown;

function guard(): Handler {
	let handler: Handler | undefined;
	registerWebSocketGuard((event, registered) => {
		expect(event).toBe('websocket.message');
		handler = registered as unknown as Handler;
	});
	return handler!;
}
const as = (accountability: Record<string, unknown>) => ({ client: { accountability } });
const user = as({ user: 'u1', admin: false });

describe('registerWebSocketGuard', () => {
	it("refuses a non-admin's subscription to our collections, not an admin's", () => {
		const handle = guard();
		for (const collection of ['api_tokens', 'api_token_events', 'api_token_apps']) {
			expect(() => handle({ type: 'subscribe', collection }, user)).toThrow(/Only admins subscribe/);
		}
		expect(handle({ type: 'subscribe', collection: 'api_tokens' }, as({ user: 'a', admin: true }))).toEqual({ type: 'subscribe', collection: 'api_tokens' });
		expect(handle({ type: 'subscribe', collection: 'posts' }, user)).toEqual({ type: 'subscribe', collection: 'posts' });
	});

	it('narrows meta counts on api_tokens to the own visible tokens', () => {
		const next = guard()({ type: 'items', collection: 'api_tokens', action: 'read', query: { meta: ['total_count', 'filter_count'] } }, user) as { query: unknown };
		expect(next.query).toEqual({ meta: ['filter_count'], filter: { _and: [{ user: { _eq: 'u1' } }, { hidden: { _eq: false } }] } });
	});

	it('refuses $FOLLOW into our collections from any collection', () => {
		expect(() => guard()({ type: 'items', collection: 'posts', action: 'read', query: { filter: { '$FOLLOW(api_tokens,user)': { id: { _nnull: true } } } } }, user)).toThrow(/\$FOLLOW/);
	});
});
