import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { TOKENS_TABLE } from '../../shared/constants.js';
import { NIL_UUID, tokenItemReferences } from './item-references.js';
import type { RegisterInit } from './register-app-cors.js';

interface DirectusRequest extends Request {
	accountability?: { user?: string | null; admin?: boolean } | null;
}

/**
 * After authentication, before the routes: a non-admin's request that names a token outside
 * `/items` (see `item-references.ts`) names it only if it is their own and not hidden; any other id
 * becomes one that exists nowhere, so Directus answers exactly as for a missing item.
 */
export function registerItemReferenceGuard(init: RegisterInit, database: Knex): void {
	init('routes.before', ({ app }) => {
		app.use((req: Request, _res: Response, next: NextFunction) => {
			const request = req as DirectusRequest;
			if (request.accountability?.admin) return next();
			const refs = tokenItemReferences(request);
			if (refs.length === 0) return next();
			const user = request.accountability?.user ?? null;
			const ids = [...new Set(refs.map((ref) => ref.id))];
			const own = user
				? database(TOKENS_TABLE).whereIn('id', ids).andWhere({ user, hidden: false }).select('id')
				: Promise.resolve([] as Array<{ id: string }>);
			own
				.then((rows) => {
					const mine = new Set(rows.map((row) => String(row.id).toLowerCase()));
					for (const ref of refs) if (!mine.has(ref.id)) ref.replace(NIL_UUID);
					next();
				})
				.catch(next);
		});
	});
}
