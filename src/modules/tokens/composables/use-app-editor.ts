/**
 * What the Apps page does with one app: open the form (register or edit), save it, and the two
 * confirmed actions. Disabling an enabled app and deleting one both revoke every token it issued,
 * so each waits for a dialog that names the app and says how many tokens stop working. The steps
 * every admin list shares (open, save, a confirmed delete) are `useResourceEditor`'s.
 */
import type { AppInfo, AppRequest } from '../types.js';
import type { AppApi } from './use-app-api.js';
import type { AppForm } from './use-app-form.js';
import { useResourceEditor, type ResourceEditorCallbacks } from './use-resource-editor.js';

export type AppConfirmKind = 'disable' | 'delete';

export interface AppConfirm {
	kind: AppConfirmKind;
	app: AppInfo;
	/** Active tokens the action revokes; `null` while counting, or when counting failed. */
	count: number | null;
	busy: boolean;
	error: string | null;
}

export type AppEditorCallbacks = ResourceEditorCallbacks<AppInfo>;

/**
 * @example
 * ```ts
 * const editor = useAppEditor(useAppApi(), useAppForm(config), { saved: list.upsert, removed: list.remove });
 * editor.start(app);     // opens the form on `app`
 * await editor.save();   // PATCHes what changed, or asks first when it disables the app
 * ```
 */
export function useAppEditor(api: Pick<AppApi, 'create' | 'update' | 'remove' | 'activeTokens'>, form: AppForm, callbacks: AppEditorCallbacks) {
	const editor = useResourceEditor<AppInfo, AppRequest, AppConfirm>(api, form, callbacks, (app) => {
		// Disabling revokes every token the app issued: the save waits for the confirm.
		if (!form.disabling.value) return false;
		ask('disable', app);
		return true;
	});
	const { confirm } = editor;

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

	/** The confirmed action. Disabling saves the whole form (its refusals land in the form). */
	async function confirmAction(): Promise<boolean> {
		const current = confirm.value;
		if (current?.kind !== 'disable') return editor.confirmRemove((asked) => asked.app);
		if (current.busy) return false;
		confirm.value = { ...current, busy: true, error: null };
		const sent = await editor.send();
		confirm.value = null;
		return sent;
	}

	const { open, saving, start, close, save, cancelConfirm } = editor;
	return { open, saving, confirm, start, close, save, ask, askDelete, cancelConfirm, confirmAction };
}

export type AppEditor = ReturnType<typeof useAppEditor>;
