import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { TOKENS_TABLE } from '../../shared/constants.js';
import { NIL_UUID, routePath, tokenItemReferences } from './item-references.js';
import { graphqlIds, replaceGraphqlIds, type GraphqlBody } from './graphql-references.js';
import type { RegisterInit } from './register-app-cors.js';

interface DirectusRequest extends Request {
	accountability?: { user?: string | null; admin?: boolean } | null;
}

/**
 * After authentication, before the routes: a non-admin's request that names a token outside
 * `/items` (REST: `item-references.ts`; `/graphql/system`: `graphql-references.ts`) names it only if
 * it is their own and not hidden; any other token id becomes one that exists nowhere, so Directus
 * answers exactly as for a missing item. Requests that name no uuid cost no query.
 */
export function registerItemReferenceGuard(init: RegisterInit, database: Knex): void {
	/** Of `ids`, the tokens that exist and are not `user`'s own visible ones. */
	async function foreignTokens(ids: string[], user: string | null): Promise<Set<string>> {
		const rows = await database(TOKENS_TABLE)
			.whereIn('id', ids)
			.select('id', 'user', 'hidden');
		return new Set(rows.filter((row) => !user || row.user !== user || Boolean(row.hidden)).map((row) => String(row.id).toLowerCase()));
	}

	init('routes.before', ({ app }) => {
		app.use((req: Request, _res: Response, next: NextFunction) => {
			const request = req as DirectusRequest;
			if (request.accountability?.admin) return next();
			const user = request.accountability?.user ?? null;
			const graphql = request.method === 'POST' && /^\/graphql\/system\/?$/i.test(routePath(request.path)) && request.body && typeof request.body === 'object';
			if (graphql) {
				const body = request.body as GraphqlBody;
				const ids = graphqlIds(body);
				if (ids.length === 0) return next();
				foreignTokens(ids, user)
					.then((foreign) => {
						if (foreign.size > 0) request.body = replaceGraphqlIds(body, foreign, NIL_UUID);
						next();
					})
					.catch(next);
				return;
			}
			const refs = tokenItemReferences(request);
			if (refs.length === 0) return next();
			foreignTokens([...new Set(refs.map((ref) => ref.id))], user)
				.then((foreign) => {
					for (const ref of refs) if (foreign.has(ref.id)) ref.replace(NIL_UUID);
					next();
				})
				.catch(next);
		});
	});
}
