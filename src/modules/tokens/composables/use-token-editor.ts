/**
 * The edit form of a token's page: name, description, scopes (only narrower), origins and a later
 * expiry within the kind's cap counted from creation (what `PATCH /api-tokens/:id` allows). Holds a
 * draft of the token, answers the patch of what changed, and saves it.
 */
import { computed, inject, provide, ref, type InjectionKey, type Ref } from 'vue';
import { normaliseOrigin } from '../../../shared/origin.js';
import type { TokenInfo, TokenServerConfig, UpdateTokenRequest } from '../types.js';
import { apiError } from './api-error.js';
import { daysLabel } from './expiry.js';
import type { TokenApi } from './use-token-api.js';

const NAME_MAX = 100;
const DESCRIPTION_MAX = 500;
const ORIGINS_MAX = 100;
const DAY_MS = 86_400_000;

export interface ExtendOption {
	text: string;
	/** `keep`, or the ISO time of the new expiry. */
	value: string;
}

/**
 * Later expiries the server will accept for `token`: 30, 90, 180 days or a year from now, and the
 * latest its kind allows (its maximum lifetime counted from creation). None for a token that never
 * expires, or whose cap is already reached.
 *
 * @example
 * ```ts
 * extendOptions(token, config, new Date()).map((o) => o.text); // ['Keep', '30 days from now', 'The latest allowed: Mar 3, 2027']
 * ```
 */
export function extendOptions(token: Pick<TokenInfo, 'kind' | 'creation_time' | 'expiration'>, config: Pick<TokenServerConfig, 'maxTtlSeconds'>, now: Date, format: (at: Date) => string = (at) => at.toISOString().slice(0, 10)): ExtendOption[] {
	const keep = { text: 'Keep', value: 'keep' };
	if (token.expiration === null) return [keep];
	const max = config.maxTtlSeconds[token.kind];
	const current = Date.parse(token.expiration);
	const latest = max === null ? null : Date.parse(token.creation_time) + max * 1000;
	const options: ExtendOption[] = [keep];
	for (const days of [30, 90, 180, 365]) {
		const at = now.getTime() + days * DAY_MS;
		if (at <= current || (latest !== null && at > latest)) continue;
		options.push({ text: `${daysLabel(days)} from now`, value: new Date(at).toISOString() });
	}
	if (latest !== null && latest > current + 60_000 && latest > now.getTime()) options.push({ text: `The latest allowed: ${format(new Date(latest))}`, value: new Date(latest).toISOString() });
	return options;
}

/**
 * @example
 * ```ts
 * const editor = useTokenEditor(api, token, config);
 * editor.name.value = 'laptop';
 * await editor.save(); // PATCH with { name: 'laptop' } only
 * ```
 */
export function useTokenEditor(api: Pick<TokenApi, 'update'>, token: Ref<TokenInfo | null>, onSaved: (info: TokenInfo) => void = () => {}) {
	const name = ref('');
	const description = ref('');
	const scopes = ref<string[]>([]);
	const origins = ref<string[]>([]);
	const originDraft = ref('');
	const extend = ref('keep');
	const saving = ref(false);
	const error = ref<string | null>(null);
	const saved = ref(false);

	/** Starts the draft from `info` (on load and after a save). */
	function reset(info: TokenInfo | null = token.value): void {
		name.value = info?.name ?? '';
		description.value = info?.description ?? '';
		scopes.value = [...(info?.scopes ?? [])];
		origins.value = [...(info?.origins ?? [])];
		originDraft.value = '';
		extend.value = 'keep';
	}

	const draftOrigin = computed(() => {
		const text = originDraft.value.trim();
		return text ? normaliseOrigin(text) : null;
	});

	const errors = computed(() => {
		const result: { name?: string; description?: string; scopes?: string; origins?: string } = {};
		const trimmed = name.value.trim();
		if (!trimmed) result.name = 'A token needs a name.';
		else if (trimmed.length > NAME_MAX) result.name = `At most ${NAME_MAX} characters.`;
		if (description.value.length > DESCRIPTION_MAX) result.description = `At most ${DESCRIPTION_MAX} characters.`;
		const added = scopes.value.filter((scope) => !(token.value?.scopes ?? []).includes(scope));
		if (added.length) result.scopes = `Scopes can only be narrowed: ${added.join(', ')}.`;
		if (draftOrigin.value && !draftOrigin.value.ok) result.origins = `"${originDraft.value.trim()}" ${draftOrigin.value.reason}.`;
		else if (origins.value.length > ORIGINS_MAX) result.origins = `At most ${ORIGINS_MAX} origins.`;
		return result;
	});

	const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

	/** Only what changed (an empty patch: nothing to save). */
	const patch = computed<UpdateTokenRequest>(() => {
		const info = token.value;
		if (!info) return {};
		const result: UpdateTokenRequest = {};
		if (name.value.trim() !== info.name) result.name = name.value.trim();
		const nextDescription = description.value.trim() ? description.value : null;
		if (nextDescription !== (info.description ?? null)) result.description = nextDescription;
		if (!same([...scopes.value].sort(), [...info.scopes].sort())) result.scopes = [...scopes.value];
		const pending = draftOrigin.value?.ok ? [draftOrigin.value.origin] : [];
		const nextOrigins = [...new Set([...origins.value, ...pending])];
		if (!same([...nextOrigins].sort(), [...info.origins].sort())) result.origins = nextOrigins;
		if (extend.value !== 'keep') result.expires_at = extend.value;
		return result;
	});

	const dirty = computed(() => Object.keys(patch.value).length > 0);
	const valid = computed(() => Object.keys(errors.value).length === 0);

	function addOrigin(): boolean {
		const parsed = draftOrigin.value;
		if (!parsed || !parsed.ok) return false;
		if (!origins.value.includes(parsed.origin)) origins.value = [...origins.value, parsed.origin];
		originDraft.value = '';
		return true;
	}

	function removeOrigin(origin: string): void {
		origins.value = origins.value.filter((entry) => entry !== origin);
	}

	/** Sends the patch; the server's message stays in `error` when it refuses. */
	async function save(): Promise<boolean> {
		const info = token.value;
		if (!info || !dirty.value || !valid.value || saving.value) return false;
		saving.value = true;
		error.value = null;
		saved.value = false;
		try {
			const updated = await api.update(info.id, patch.value);
			onSaved(updated);
			reset(updated);
			saved.value = true;
			return true;
		} catch (cause) {
			const { message, field } = apiError(cause);
			error.value = field ? `${message} (field: ${field})` : message;
			return false;
		} finally {
			saving.value = false;
		}
	}

	return { name, description, scopes, origins, originDraft, extend, saving, error, saved, errors, patch, dirty, valid, reset, addOrigin, removeOrigin, save };
}

export type TokenEditor = ReturnType<typeof useTokenEditor>;

const EDITOR: InjectionKey<TokenEditor> = Symbol('token-editor');

/** Hands the page's editor to its form component (which edits the editor's refs, not its props). */
export function provideTokenEditor(editor: TokenEditor): void {
	provide(EDITOR, editor);
}

export function injectTokenEditor(): TokenEditor {
	const editor = inject(EDITOR);
	if (!editor) throw new Error('token-edit-form needs provideTokenEditor() in its page');
	return editor;
}
