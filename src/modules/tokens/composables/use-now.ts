/**
 * A clock that ticks every `intervalMs`, so relative times ("in 3 days") and expiry warnings stay
 * current on a page left open.
 */
import { getCurrentInstance, onBeforeUnmount, ref } from 'vue';

/**
 * @example
 * ```ts
 * const now = useNow();
 * const label = computed(() => relativeTime(token.expiration, now.value));
 * ```
 */
export function useNow(intervalMs = 30_000) {
	const now = ref(new Date());
	const timer = setInterval(() => (now.value = new Date()), intervalMs);
	if (getCurrentInstance()) onBeforeUnmount(() => clearInterval(timer));
	return now;
}
