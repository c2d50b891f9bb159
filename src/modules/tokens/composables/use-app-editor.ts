/**
 * What the Apps page does with one app: open the form (register or edit), save it, and the two
 * confirmed actions. Disabling an enabled app and deleting one both revoke every token it issued,
 * so each waits for a dialog that names the app and says how many tokens stop working.
 */
import { ref } from 'vue';
import type { AppInfo } from '../types.js';
import { apiError } from './api-error.js';
import type { AppApi } from './use-app-api.js';
import type { AppForm } from './use-app-form.js';

export type AppConfirmKind = 'disable' | 'delete';

export interface AppConfirm {
	kind: AppConfirmKind;
	app: AppInfo;
	/** Active tokens the action revokes; `null` while counting, or when counting failed. */
	count: number | null;
	busy: boolean;
	error: string | null;
}

export interface AppEditorCallbacks {
	saved(app: AppInfo): void;
	removed(id: string): void;
}

/**
 * @example
 * ```ts
 * const editor = useAppEditor(useAppApi(), useAppForm(config), { saved: list.upsert, removed: list.remove });
 * editor.start(app);     // opens the form on `app`
 * await editor.save();   // PATCHes what changed, or asks first when it disables the app
 * ```
 */
export function useAppEditor(api: Pick<AppApi, 'create' | 'update' | 'remove' | 'activeTokens'>, form: AppForm, callbacks: AppEditorCallbacks) {
	const open = ref(false);
	const saving = ref(false);
	const confirm = ref<AppConfirm | null>(null);

	/** Opens the form on `app`, or empty to register one. */
	function start(app: AppInfo | null): void {
		form.load(app);
		open.value = true;
	}

	function close(): void {
		if (saving.value) return;
		open.value = false;
	}

	/** Save pressed: an unchanged app just closes; disabling asks first; anything else is sent. */
	async function save(): Promise<boolean> {
		if (saving.value) return false;
		const app = form.original.value;
		if (app && !form.dirty.value) {
			open.value = false;
			return true;
		}
		if (app && form.disabling.value) {
			ask('disable', app);
			return false;
		}
		return send();
	}

	async function send(): Promise<boolean> {
		const app = form.original.value;
		saving.value = true;
		form.submitting();
		try {
			const result = app ? await api.update(app.id, form.changes.value) : await api.create(form.request.value);
			callbacks.saved(result);
			open.value = false;
			return true;
		} catch (cause) {
			form.showServerError(cause);
			return false;
		} finally {
			saving.value = false;
		}
	}

	/** Opens the confirm dialog for `kind` on `app`, and counts what it would revoke. */
	function ask(kind: AppConfirmKind, app: AppInfo): void {
		const opened: AppConfirm = { kind, app, count: null, busy: false, error: null };
		confirm.value = opened;
		api.activeTokens(app.id).then(
			(count) => {
				// Only for the dialog that asked: another may have opened since.
				if (confirm.value?.kind === kind && confirm.value.app.id === app.id) confirm.value = { ...confirm.value, count };
			},
			() => undefined, // the dialog then says "its active tokens", without a number
		);
	}

	/** Delete pressed in the form: asks about the app being edited. */
	function askDelete(): void {
		if (form.original.value) ask('delete', form.original.value);
	}

	function cancelConfirm(): void {
		if (confirm.value?.busy) return;
		confirm.value = null;
	}

	/** The confirmed action. Disabling saves the whole form (its refusals land in the form). */
	async function confirmAction(): Promise<boolean> {
		const current = confirm.value;
		if (!current || current.busy) return false;
		confirm.value = { ...current, busy: true, error: null };
		if (current.kind === 'disable') {
			const sent = await send();
			confirm.value = null;
			return sent;
		}
		try {
			await api.remove(current.app.id);
			callbacks.removed(current.app.id);
			confirm.value = null;
			if (form.original.value?.id === current.app.id) open.value = false;
			return true;
		} catch (cause) {
			confirm.value = { ...current, busy: false, error: apiError(cause).message };
			return false;
		}
	}

	return { open, saving, confirm, start, close, save, ask, askDelete, cancelConfirm, confirmAction };
}

export type AppEditor = ReturnType<typeof useAppEditor>;
