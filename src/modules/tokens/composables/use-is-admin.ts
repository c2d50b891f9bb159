/**
 * Whether the signed-in user is an admin, from the app's user store (`admin_access` of Directus's
 * policies). Only decides what the module shows: the token API checks admin rights itself.
 */
import { computed } from 'vue';
import { useStores } from '@directus/extensions-sdk';

/**
 * @example
 * ```ts
 * const isAdmin = useIsAdmin();
 * ```
 */
export function useIsAdmin() {
	const { useUserStore } = useStores();
	const userStore = useUserStore() as { isAdmin?: boolean; currentUser?: { admin_access?: boolean } | null };
	return computed(() => userStore.isAdmin === true || userStore.currentUser?.admin_access === true);
}

/**
 * The signed-in user's id (to tell "you" from others in a token's history), or `null` before the
 * app knows it.
 *
 * @example
 * ```ts
 * const me = useCurrentUserId();
 * ```
 */
export function useCurrentUserId() {
	const { useUserStore } = useStores();
	const userStore = useUserStore() as { currentUser?: { id?: string } | null };
	return computed(() => userStore.currentUser?.id ?? null);
}
