import type { Runtime } from '../../directus/runtime.js';
import type { RegisterAction } from './hook-types.js';

/** Directus's collections whose changes change what a token may do in Directus's own API. */
const ACCESS_SCOPES = ['users', 'roles', 'policies', 'access', 'permissions'] as const;

/**
 * A change to users, roles, policies, access or permissions reaches our tokens' Directus
 * permissions at once: every Directus instance forgets the owners' access it cached (an `access`
 * event, sent to the others like token events), so a demoted admin's token is no admin's from the
 * next request on.
 */
export function registerAccessInvalidation(action: RegisterAction, runtime: () => Runtime): void {
	for (const scope of ACCESS_SCOPES) {
		for (const change of ['create', 'update', 'delete']) {
			action(`${scope}.${change}`, async () => {
				await runtime().tellAll({ type: 'access', tokenIds: [], userId: null, actor: null, at: new Date().toISOString() });
			});
		}
	}
}
