import type { Knex } from 'knex';
import { TOKENS_TABLE } from '../../shared/constants.js';
import { checkOrigins, checkScopes } from '../../core/policy.js';
import { isPlainText } from '../../core/plain-text.js';
import { isStorableTime } from '../../core/storable-time.js';
import type { Runtime } from '../../directus/runtime.js';
import { InvalidTokenFieldError, ReadOnlyFieldError, UseTokenApiError } from './errors.js';
import type { RegisterAction, RegisterFilter } from './hook-types.js';

/** Fields only the server writes (through the token API and the store). */
export const SERVER_MANAGED_FIELDS = [
	'id', 'row_id', 'hash', 'previous_hash', 'grace_until', 'hint', 'kind', 'hidden', 'app', 'user',
	'revoked_at', 'last_used_at', 'date_created', 'user_created',
] as const;


/**
 * Writes to `api_tokens` through Directus's items API (REST, GraphQL, batch, imports, the Data
 * Studio): creating is refused (no path there can show the plaintext once), server-managed fields
 * are read-only, and what admins may edit is validated like the token API does. Changes and deletes
 * are published so validators drop stale cache entries.
 */
export function registerWriteGuard(filter: RegisterFilter, action: RegisterAction, runtime: () => Runtime): void {
	filter(`${TOKENS_TABLE}.items.create`, () => {
		throw new UseTokenApiError();
	});

	/**
	 * Tokens changed inside a caller's transaction (a batch `PATCH /items`), with that transaction's
	 * outcome: Directus fires each item's update action at once, even if a later item of the batch
	 * then fails and rolls everything back.
	 */
	const openBatches = new Map<string, Promise<unknown>>();

	filter(`${TOKENS_TABLE}.items.update`, (payload: Record<string, unknown>, meta, { database }) => {
		const managed = SERVER_MANAGED_FIELDS.find((field) => field in payload);
		if (managed) throw new ReadOnlyFieldError({ field: managed });
		const { config, latestExpiry } = runtime();
		const next = { ...payload };
		if ('name' in next && (typeof next.name !== 'string' || next.name.trim().length === 0 || next.name.length > 100 || !isPlainText(next.name))) {
			throw new InvalidTokenFieldError({ field: 'name', problem: 'it must be 1-100 characters, without control characters' });
		}
		const { description } = next;
		if (description !== undefined && description !== null && (typeof description !== 'string' || description.length > 500 || !isPlainText(description, { multiline: true }))) {
			throw new InvalidTokenFieldError({ field: 'description', problem: 'it must be at most 500 characters, without control characters' });
		}
		if ('scopes' in next) {
			// Without the row's kind, accept any configured scope; the validator re-checks per kind.
			const user = checkScopes('personal', next.scopes, config);
			const system = checkScopes('service', next.scopes, config);
			if (!user.ok && !system.ok) throw new InvalidTokenFieldError({ field: 'scopes', problem: user.message });
			next.scopes = user.ok ? user.scopes : system.ok ? system.scopes : [];
		}
		if ('origins' in next) {
			const origins = checkOrigins(next.origins);
			if (!origins.ok) throw new InvalidTokenFieldError({ field: 'origins', problem: origins.message });
			next.origins = origins.origins;
		}
		// Checked here, not left to the database: PostgreSQL refuses a malformed time with a 500, and
		// MySQL/MariaDB cannot store one past 2038.
		if (next.expires_at !== undefined && next.expires_at !== null && !isStorableTime(next.expires_at, latestExpiry)) {
			throw new InvalidTokenFieldError({ field: 'expires_at', problem: `it must be a time between 1970 and ${latestExpiry.toISOString()}, or empty for never` });
		}
		if ('refreshable' in next && typeof next.refreshable !== 'boolean') {
			throw new InvalidTokenFieldError({ field: 'refreshable', problem: 'it must be true or false' });
		}
		const outcome = database.isTransaction ? (database as Knex.Transaction).executionPromise : undefined;
		if (outcome) {
			const keys = ((meta.keys ?? []) as unknown[]).map(String);
			const settle = () => keys.forEach((key) => openBatches.get(key) === outcome && openBatches.delete(key));
			for (const key of keys) openBatches.set(key, outcome);
			outcome.then(settle, settle);
		}
		return next;
	});

	action(`${TOKENS_TABLE}.items.update`, async ({ keys }, { accountability }) => {
		const tokenIds = (keys as unknown[]).map(String);
		// A batch announces each item's update before its transaction ends: publish only what committed.
		const batch = tokenIds.map((id) => openBatches.get(id)).find(Boolean);
		if (batch && !(await batch.then(() => true, () => false))) return;
		await runtime().events.publish({ type: 'updated', tokenIds, userId: null, actor: accountability?.user ?? null, at: new Date().toISOString() });
	});
	action(`${TOKENS_TABLE}.items.delete`, async ({ keys, payload }, { accountability }) => {
		const tokenIds = ((keys ?? payload) as unknown[]).map(String);
		await runtime().events.publish({ type: 'revoked', tokenIds, userId: null, actor: accountability?.user ?? null, at: new Date().toISOString() });
	});
}
