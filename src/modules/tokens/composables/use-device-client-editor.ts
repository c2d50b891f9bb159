/**
 * What the device clients page does with one client: open the form (add or edit), save it, and
 * delete it after a confirm that names it: `useResourceEditor`'s steps, with the dialog's state.
 */
import type { DeviceClientInfo, DeviceClientRequest } from '../types.js';
import type { DeviceClientApi } from './use-device-client-api.js';
import type { DeviceClientForm } from './use-device-client-form.js';
import { useResourceEditor, type ResourceEditorCallbacks } from './use-resource-editor.js';

export interface DeviceClientConfirm {
	client: DeviceClientInfo;
	busy: boolean;
	error: string | null;
}

export type DeviceClientEditorCallbacks = ResourceEditorCallbacks<DeviceClientInfo>;

/**
 * @example
 * ```ts
 * const editor = useDeviceClientEditor(useDeviceClientApi(), useDeviceClientForm(config), { saved: list.upsert, removed: list.remove });
 * editor.start(client);   // opens the form on `client`
 * await editor.save();    // PATCHes what changed
 * ```
 */
export function useDeviceClientEditor(api: Pick<DeviceClientApi, 'create' | 'update' | 'remove'>, form: DeviceClientForm, callbacks: DeviceClientEditorCallbacks) {
	const { open, saving, confirm, start, close, save, cancelConfirm, confirmRemove } = useResourceEditor<DeviceClientInfo, DeviceClientRequest, DeviceClientConfirm>(
		api,
		form,
		callbacks,
	);

	/** Delete pressed in the form: asks about the client being edited. */
	function askDelete(): void {
		if (form.original.value) confirm.value = { client: form.original.value, busy: false, error: null };
	}

	/** The confirmed delete; a refusal stays in the dialog. */
	const confirmDelete = () => confirmRemove((asked) => asked.client);

	return { open, saving, confirm, start, close, save, askDelete, cancelConfirm, confirmDelete };
}

export type DeviceClientEditor = ReturnType<typeof useDeviceClientEditor>;
