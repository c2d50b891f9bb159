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
	filter(`${APPS_TABLE}.items.update`, (payload: Record<string, unknown>) => check(payload, false));

	const revokeTokensOf = async (appIds: unknown[], actor: string | null) => {
		const { store, events } = runtime();
		for (const app of appIds.map(String)) {
			const tokenIds = await store.revokeAllForApp(app);
			if (tokenIds.length) await events.publish({ type: 'revoked', tokenIds, userId: null, actor, at: new Date().toISOString() });
		}
	};
	action(`${APPS_TABLE}.items.update`, async ({ keys, payload }, { accountability }) => {
		if ((payload as { enabled?: unknown }).enabled === false) await revokeTokensOf(keys as unknown[], accountability?.user ?? null);
	});
	// A filter, not an action: the rows' `app` is set to null by the foreign key once the app is gone.
	filter(`${APPS_TABLE}.items.delete`, async (keys: unknown[], _meta, { accountability }) => {
		await revokeTokensOf(keys, accountability?.user ?? null);
		return keys;
	});
}
