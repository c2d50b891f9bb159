/**
 * Copies text with the asynchronous Clipboard API and says "Copied" for a moment; falls back to
 * selecting the text so the user can press Ctrl+C when the browser refuses.
 */
import { getCurrentInstance, onBeforeUnmount, ref } from 'vue';

/**
 * @example
 * ```ts
 * const { copy, copied, failed } = useClipboard();
 * await copy(token); // copied.value === true for 2 s
 * ```
 */
export function useClipboard({
	resetAfterMs = 2000,
	clipboard = (): Pick<Clipboard, 'writeText'> | undefined => globalThis.navigator?.clipboard,
}: { resetAfterMs?: number; clipboard?: () => Pick<Clipboard, 'writeText'> | undefined } = {}) {
	const copied = ref(false);
	const failed = ref(false);
	let timer: ReturnType<typeof setTimeout> | undefined;

	async function copy(text: string): Promise<boolean> {
		clearTimeout(timer);
		try {
			const target = clipboard();
			if (!target) throw new Error('no clipboard');
			await target.writeText(text);
			copied.value = true;
			failed.value = false;
			timer = setTimeout(() => (copied.value = false), resetAfterMs);
			return true;
		} catch {
			copied.value = false;
			failed.value = true;
			return false;
		}
	}

	if (getCurrentInstance()) onBeforeUnmount(() => clearTimeout(timer));
	return { copy, copied, failed };
}
