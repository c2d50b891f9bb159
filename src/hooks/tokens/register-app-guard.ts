import { APPS_TABLE } from '../../shared/constants.js';
import { checkAppPayload } from '../../core/app-policy.js';
import type { Runtime } from '../../directus/runtime.js';
import { InvalidAppFieldError } from './errors.js';
import type { RegisterAction, RegisterFilter } from './hook-types.js';

/**
 * Admins manage token apps in the Data Studio: their writes are checked and normalised (origins,
 * scopes, lifetime, limit), and disabling or deleting an app revokes the tokens it issued, so that
 * "stop this app" takes effect at once rather than a day later.
 */
export function registerAppGuard(filter: RegisterFilter, action: RegisterAction, runtime: () => Runtime): void {
	const check = (payload: Record<string, unknown>, creating: boolean) => {
		const checked = checkAppPayload(payload, runtime().config, { creating });
		if (!checked.ok) throw new InvalidAppFieldError({ field: checked.field, problem: checked.problem });
		return checked.payload;
	};
	filter(`${APPS_TABLE}.items.create`, (payload: Record<string, unknown>) => check(payload, true));
	const revokeTokensOf = async (appIds: unknown[], actor: string | null) => {
		const { store, events } = runtime();
		for (const app of appIds.map(String)) {
			const tokenIds = await store.revokeAllForApp(app);
			if (tokenIds.length) await events.publish({ type: 'revoked', tokenIds, userId: null, actor, at: new Date().toISOString() });
		}
	};
	const disables = (payload: unknown) => (payload as { enabled?: unknown } | null)?.enabled === false;
	// Revoked before the answer (Directus does not wait for actions), so "disable" holds at once; the
	// action sweeps again after the commit, for a token issued while the change was being written.
	filter(`${APPS_TABLE}.items.update`, async (payload: Record<string, unknown>, meta, { accountability }) => {
		const checked = check(payload, false);
		if (disables(checked)) await revokeTokensOf((meta.keys ?? []) as unknown[], accountability?.user ?? null);
		return checked;
	});
	action(`${APPS_TABLE}.items.update`, async ({ keys, payload }, { accountability }) => {
		if (disables(payload)) await revokeTokensOf(keys as unknown[], accountability?.user ?? null);
	});
	// A filter, not an action: the rows' `app` is set to null by the foreign key once the app is gone.
	filter(`${APPS_TABLE}.items.delete`, async (keys: unknown[], _meta, { accountability }) => {
		await revokeTokensOf(keys, accountability?.user ?? null);
		return keys;
	});
}
