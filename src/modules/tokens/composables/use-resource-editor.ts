/**
 * What an admin page does with one entry of its list (an app, a device client): open the form on it
 * (or empty, to add one), save it, and remove it after a confirm dialog. The dialog's contents are
 * the page's (`C`), so each page names what it asks about; this keeps the steps they share: Save
 * closes an unchanged entry without a request, a refused save keeps the drawer open with the
 * refusal in the form, and a refused removal stays in the dialog.
 */
import { ref, type Ref } from 'vue';
import { apiError } from './api-error.js';

/** The writes the editor sends; the create and update bodies are the form's. */
export interface ResourceWrites<T, R> {
	create(body: R): Promise<T>;
	update(id: string, body: R): Promise<T>;
	remove(id: string): Promise<void>;
}

/** What the editor needs of a form: the entry it edits, the bodies to send, where refusals go. */
export interface ResourceEditorForm<T, R> {
	original: Ref<T | null>;
	dirty: Readonly<Ref<boolean>>;
	request: Readonly<Ref<R>>;
	changes: Readonly<Ref<R>>;
	load(item: T | null): void;
	submitting(): void;
	showServerError(cause: unknown): void;
}

export interface ResourceEditorCallbacks<T> {
	saved(item: T): void;
	removed(id: string): void;
}

/** The part of a confirm dialog's state the editor runs: busy while the action is sent, its refusal. */
export interface ConfirmState {
	busy: boolean;
	error: string | null;
}

/**
 * @example
 * ```ts
 * const editor = useResourceEditor<DeviceClientInfo, DeviceClientRequest, DeviceClientConfirm>(api, form, { saved: list.upsert, removed: list.remove });
 * editor.start(client);                          // opens the form on `client`
 * await editor.save();                           // PATCHes what changed
 * editor.confirm.value = { client, busy: false, error: null };
 * await editor.confirmRemove((asked) => asked.client); // DELETEs it
 * ```
 */
export function useResourceEditor<T extends { id: string }, R, C extends ConfirmState>(
	api: ResourceWrites<T, R>,
	form: ResourceEditorForm<T, R>,
	callbacks: ResourceEditorCallbacks<T>,
	/** Save pressed on a changed entry: `true` holds the save (the caller asks first, then calls `send`). */
	holdSave: (item: T) => boolean = () => false,
) {
	const open = ref(false);
	const saving = ref(false);
	// TypeScript cannot unwrap `ref`'s type for a generic `C`; a confirm state holds no refs, so it is `C`.
	const confirm = ref(null) as Ref<C | null>;

	/** Opens the form on `item`, or empty to add one. */
	function start(item: T | null): void {
		form.load(item);
		open.value = true;
	}

	function close(): void {
		if (saving.value) return;
		open.value = false;
	}

	/** Save pressed: an unchanged entry just closes; a held one waits for the caller; anything else is sent. */
	async function save(): Promise<boolean> {
		if (saving.value) return false;
		const item = form.original.value;
		if (item && !form.dirty.value) {
			open.value = false;
			return true;
		}
		if (item && holdSave(item)) return false;
		return send();
	}

	/** Sends the form (create, or update with what changed); a refusal lands in the form. */
	async function send(): Promise<boolean> {
		const item = form.original.value;
		saving.value = true;
		form.submitting();
		try {
			const result = item ? await api.update(item.id, form.changes.value) : await api.create(form.request.value);
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

	function cancelConfirm(): void {
		if (confirm.value?.busy) return;
		confirm.value = null;
	}

	/** The confirmed removal of the entry `subject` names in the open dialog; a refusal stays in the dialog. */
	async function confirmRemove(subject: (asked: C) => T): Promise<boolean> {
		const current = confirm.value;
		if (!current || current.busy) return false;
		confirm.value = { ...current, busy: true, error: null };
		const item = subject(current);
		try {
			await api.remove(item.id);
			callbacks.removed(item.id);
			confirm.value = null;
			if (form.original.value?.id === item.id) open.value = false;
			return true;
		} catch (cause) {
			confirm.value = { ...current, busy: false, error: apiError(cause).message };
			return false;
		}
	}

	return { open, saving, confirm, start, close, save, send, cancelConfirm, confirmRemove };
}
