import { InvalidPayloadError, InvalidQueryError } from '@directus/errors';
import { isUuid } from '../../core/uuid.js';
import { TOKENS_TABLE } from '../../shared/constants.js';
import { findSecretReference, restrictToOwnVisible, stripSecrets, withSafeSearch } from './items-guard.js';
import { NotYourTokenError, SecretFieldError } from './errors.js';
import type { RegisterFilter } from './hook-types.js';
import { tokenQueryProblem } from './items-query-check.js';

/**
 * Wires the items guard to Directus's item events for `api_tokens`. These run for REST, GraphQL,
 * exports and the Data Studio alike, since all of them read through Directus's ItemsService.
 * `accountability === null` is Directus itself (or our own services): no restriction.
 */
export function registerItemsGuard(filter: RegisterFilter): void {
	filter(`${TOKENS_TABLE}.items.query`, (query: Record<string, unknown>, _meta, { accountability }) => {
		const secret = findSecretReference(query);
		if (secret) throw new SecretFieldError({ field: secret });
		const problem = tokenQueryProblem(query);
		if (problem) throw new InvalidQueryError({ reason: problem });
		const safe = withSafeSearch(query);
		if (!accountability || accountability.admin) return safe;
		return restrictToOwnVisible(safe, accountability.user);
	});

	filter(`${TOKENS_TABLE}.items.read`, (records: unknown) => stripSecrets(records));

	filter(`${TOKENS_TABLE}.items.delete`, async (keys: unknown[], _meta, { accountability, database }) => {
		// Directus hands any JSON array on (`[[]]` became `where id in (())`, a 500 on every database).
		if (!Array.isArray(keys) || !keys.every(isUuid)) throw new InvalidPayloadError({ reason: 'Delete API tokens by their ids (UUIDs)' });
		if (!accountability || accountability.admin) return keys;
		const ids = keys.map(String);
		const owned = await database(TOKENS_TABLE)
			.whereIn('id', ids)
			.andWhere({ user: accountability.user ?? null, hidden: false })
			.count({ n: '*' })
			.first();
		if (Number(owned?.n ?? 0) !== new Set(ids).size) throw new NotYourTokenError();
		return keys;
	});
}
