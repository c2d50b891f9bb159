/**
 * Directus routes outside `/items` that name an `api_tokens` item: `GET /permissions/me/:collection/:pk`,
 * and `POST`/`PATCH` on `/comments`, `/versions`, `/shares` (one, batch, or by id) with
 * `{ collection, item }` bodies. They check item
 * access against the plain collection permission (no `items.query` event), so before this guard a
 * user could comment on another user's token, and every one of them told an existing id from a
 * missing one. Pure helpers; `register-item-reference-guard.ts` wires them.
 */
import { TOKENS_TABLE } from '../../shared/constants.js';

/** What a reference to a token the caller may not see becomes: an id that exists nowhere. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Express routes ignore case and Directus decodes route parameters: match the decoded path, any case.
const PERMISSIONS_ME = new RegExp(`^/permissions/me/${TOKENS_TABLE}/([^/?]+)/?$`, 'i');
const BODY_ROUTES = /^\/(comments|versions|shares)(\/[^/]+)?\/?$/i;

/**
 * The path as Express routes it: percent-decoded (`/items/api%5Ftokens` is `/items/api_tokens`).
 *
 * @example
 * ```ts
 * routePath('/items/api%5Ftokens'); // '/items/api_tokens'
 * ```
 */
export function routePath(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

/** One token id a request names, and how to make the request name another. */
export interface ItemReference {
	id: string;
	replace(id: string): void;
}

interface RequestLike {
	method: string;
	path: string;
	url: string;
	body?: unknown;
}

/**
 * The token ids (uuid-shaped: nothing else can exist) that a request names outside `/items`.
 *
 * @example
 * ```ts
 * for (const ref of tokenItemReferences(req)) if (!mine.has(ref.id)) ref.replace(NIL_UUID);
 * ```
 */
export function tokenItemReferences(req: RequestLike): ItemReference[] {
	const refs: ItemReference[] = [];
	const method = req.method.toUpperCase();
	const path = routePath(req.path);
	const inPath = method === 'GET' ? PERMISSIONS_ME.exec(path) : null;
	if (inPath && UUID.test(inPath[1]!)) {
		refs.push({
			id: inPath[1]!.toLowerCase(),
			replace: (id) => {
				const search = req.url.indexOf('?');
				req.url = `/permissions/me/${TOKENS_TABLE}/${id}${search === -1 ? '' : req.url.slice(search)}`;
			},
		});
	}
	if ((method === 'POST' || method === 'PATCH') && BODY_ROUTES.test(path)) {
		const entries: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
		// Batch update: `{ keys, data }` or `{ query, data }`.
		const data = (req.body as { data?: unknown } | null | undefined)?.data;
		if (data && typeof data === 'object') entries.push(data);
		for (const entry of entries) {
			if (!entry || typeof entry !== 'object') continue;
			const record = entry as Record<string, unknown>;
			if (record.collection !== TOKENS_TABLE || typeof record.item !== 'string' || !UUID.test(record.item)) continue;
			refs.push({ id: record.item.toLowerCase(), replace: (id) => void (record.item = id) });
		}
	}
	return refs;
}
