/**
 * What the device clients page does with one client: open the form (add or edit), save it, and
 * delete it after a confirm that names it.
 */
import { ref } from 'vue';
import type { DeviceClientInfo } from '../types.js';
import { apiError } from './api-error.js';
import type { DeviceClientApi } from './use-device-client-api.js';
import type { DeviceClientForm } from './use-device-client-form.js';

export interface DeviceClientConfirm {
	client: DeviceClientInfo;
	busy: boolean;
	error: string | null;
}

export interface DeviceClientEditorCallbacks {
	saved(client: DeviceClientInfo): void;
	removed(id: string): void;
}

/**
 * @example
 * ```ts
 * const editor = useDeviceClientEditor(useDeviceClientApi(), useDeviceClientForm(config), { saved: list.upsert, removed: list.remove });
 * editor.start(client);   // opens the form on `client`
 * await editor.save();    // PATCHes what changed
 * ```
 */
export function useDeviceClientEditor(api: Pick<DeviceClientApi, 'create' | 'update' | 'remove'>, form: DeviceClientForm, callbacks: DeviceClientEditorCallbacks) {
	const open = ref(false);
	const saving = ref(false);
	const confirm = ref<DeviceClientConfirm | null>(null);

	/** Opens the form on `client`, or empty to add one. */
	function start(client: DeviceClientInfo | null): void {
		form.load(client);
		open.value = true;
	}

	function close(): void {
		if (saving.value) return;
		open.value = false;
	}

	/** Save pressed: an unchanged client just closes; anything else is sent. */
	async function save(): Promise<boolean> {
		if (saving.value) return false;
		const client = form.original.value;
		if (client && !form.dirty.value) {
			open.value = false;
			return true;
		}
		saving.value = true;
		form.submitting();
		try {
			const result = client ? await api.update(client.id, form.changes.value) : await api.create(form.request.value);
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

	/** Delete pressed in the form: asks about the client being edited. */
	function askDelete(): void {
		if (form.original.value) confirm.value = { client: form.original.value, busy: false, error: null };
	}

	function cancelConfirm(): void {
		if (confirm.value?.busy) return;
		confirm.value = null;
	}

	/** The confirmed delete; a refusal stays in the dialog. */
	async function confirmDelete(): Promise<boolean> {
		const current = confirm.value;
		if (!current || current.busy) return false;
		confirm.value = { ...current, busy: true, error: null };
		try {
			await api.remove(current.client.id);
			callbacks.removed(current.client.id);
			confirm.value = null;
			if (form.original.value?.id === current.client.id) open.value = false;
			return true;
		} catch (cause) {
			confirm.value = { ...current, busy: false, error: apiError(cause).message };
			return false;
		}
	}

	return { open, saving, confirm, start, close, save, askDelete, cancelConfirm, confirmDelete };
}

export type DeviceClientEditor = ReturnType<typeof useDeviceClientEditor>;
