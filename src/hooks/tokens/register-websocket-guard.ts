import { FOLLOW_PROTECTED, findFollowIntoTokens, restrictMetaQuery } from './items-guard.js';
import { FollowIntoTokensError, TokenSubscriptionError } from './errors.js';
import type { RegisterFilter } from './hook-types.js';
import { TOKENS_TABLE } from '../../shared/constants.js';

type Message = Record<string, unknown>;
interface WebSocketClient {
	accountability?: { user?: string | null; admin?: boolean } | null;
}

/**
 * With `WEBSOCKETS_ENABLED`, Directus's REST-over-WebSocket messages reach items without our HTTP
 * middlewares, so the same rules apply here (`websocket.message` filter, before any handler):
 * - a non-admin's `subscribe` to our collections is refused: Directus sends subscribers the keys of
 *   deleted items without a permission check, so B would see the ids of A's deleted tokens;
 * - `meta` counts on `api_tokens` are narrowed as over HTTP (see `restrictMetaQuery`);
 * - filters through `$FOLLOW` into our collections are refused as over HTTP.
 * (Directus refuses system collections such as comments over WebSocket by itself.)
 * GraphQL subscriptions (`WEBSOCKETS_GRAPHQL_ENABLED`) pass no such filter: a known limitation
 * (`<collection>_mutated` yields the keys of deleted items to every subscriber).
 */
export function registerWebSocketGuard(filter: RegisterFilter): void {
	filter('websocket.message', (message: unknown, meta) => {
		const accountability = (meta.client as WebSocketClient | undefined)?.accountability;
		if (!message || typeof message !== 'object' || accountability?.admin) return message;
		const next: Message = { ...(message as Message) };
		const query = next.query && typeof next.query === 'object' ? (next.query as Message) : null;
		if (query) {
			const collection = findFollowIntoTokens(query);
			if (collection) throw new FollowIntoTokensError({ collection });
		}
		const collection = typeof next.collection === 'string' ? next.collection : '';
		if (!(FOLLOW_PROTECTED as readonly string[]).includes(collection)) return next;
		if (String(next.type).toLowerCase() === 'subscribe') throw new TokenSubscriptionError({ collection });
		if (collection === TOKENS_TABLE && query) next.query = restrictMetaQuery(query, accountability?.user);
		return next;
	});
}
