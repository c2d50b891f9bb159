/**
 * State and validation of the new-token form. Knows nothing of the page: it takes the server's
 * config and a clock, gives field errors, whether Create may be pressed and the request body.
 */
import { computed, inject, provide, ref, watch, type InjectionKey, type Ref } from 'vue';
import { normaliseOrigin } from '../../../shared/origin.js';
import type { CreateTokenRequest, TokenServerConfig } from '../types.js';
import { defaultExpiry, expiryOptions, expiryProblem, expiryRequest, type ExpiryChoice } from './expiry.js';
import type { Prefill } from './parse-prefill.js';

export type FormKind = 'personal' | 'service';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 500;
export const ORIGINS_MAX = 50;

export interface FormErrors {
	name?: string;
	description?: string;
	scopes?: string;
	expiry?: string;
	origins?: string;
}

/**
 * @example
 * ```ts
 * const form = useTokenForm(config, () => new Date());
 * form.name.value = 'Globalping CLI';
 * if (form.valid.value) await api.create(form.request.value);
 * ```
 */
export function useTokenForm(config: Ref<TokenServerConfig | null>, now: () => Date = () => new Date()) {
	const name = ref('');
	const description = ref('');
	const kind = ref<FormKind>('personal');
	const scopes = ref<string[]>([]);
	const expiry = ref<ExpiryChoice>({ type: 'days', days: 90 });
	const origins = ref<string[]>([]);
	/** Text typed into the origins field and not yet added as a tag. */
	const originDraft = ref('');
	const refreshable = ref(false);
	/** Whether the user has touched the name (so an empty name is flagged only after that). */
	const nameTouched = ref(false);

	const availableScopes = computed(() => (config.value ? (kind.value === 'service' ? config.value.systemScopes : config.value.scopes) : []));
	const options = computed(() => (config.value ? expiryOptions(kind.value, config.value, expiry.value) : []));

	watch(kind, (value) => {
		scopes.value = scopes.value.filter((scope) => availableScopes.value.includes(scope));
		if (config.value && expiryProblem(expiry.value, value, config.value, now())) expiry.value = defaultExpiry(value, config.value);
		if (value === 'service') refreshable.value = false;
	});

	const draftOrigin = computed(() => {
		const text = originDraft.value.trim();
		return text ? normaliseOrigin(text) : null;
	});

	const errors = computed<FormErrors>(() => {
		const result: FormErrors = {};
		const trimmed = name.value.trim();
		if (!trimmed && nameTouched.value) result.name = 'Give the token a name, e.g. the tool and computer it is for.';
		if (trimmed.length > NAME_MAX) result.name = `At most ${NAME_MAX} characters.`;
		if (description.value.length > DESCRIPTION_MAX) result.description = `At most ${DESCRIPTION_MAX} characters.`;
		const unknown = scopes.value.filter((scope) => !availableScopes.value.includes(scope));
		if (unknown.length) result.scopes = `Not offered for this kind of token: ${unknown.join(', ')}.`;
		if (config.value) {
			const problem = expiryProblem(expiry.value, kind.value, config.value, now());
			if (problem) result.expiry = problem;
			else if (expiry.value.type === 'never' && scopes.value.some((scope) => !config.value!.systemScopes.includes(scope))) {
				result.expiry = 'A token that never expires may only hold system scopes.';
			}
		}
		if (draftOrigin.value && !draftOrigin.value.ok) result.origins = `"${originDraft.value.trim()}" ${draftOrigin.value.reason}.`;
		else if (origins.value.length + (draftOrigin.value ? 1 : 0) > ORIGINS_MAX) result.origins = `At most ${ORIGINS_MAX} origins.`;
		return result;
	});

	const valid = computed(() => config.value !== null && name.value.trim().length > 0 && Object.keys(errors.value).length === 0);

	/** Adds the draft as a tag; answers whether it was added (false leaves the draft for correction). */
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

	const request = computed<CreateTokenRequest>(() => {
		const pending = draftOrigin.value?.ok ? [draftOrigin.value.origin] : [];
		return {
			name: name.value.trim(),
			...(description.value.trim() ? { description: description.value } : {}),
			scopes: [...scopes.value],
			origins: [...new Set([...origins.value, ...pending])],
			...expiryRequest(expiry.value),
			...(refreshable.value ? { refreshable: true } : {}),
			...(kind.value === 'service' ? { kind: 'service' as const } : {}),
		};
	});

	/** Starts the form: the server's default expiry, then a link's parameters (see `parsePrefill`). */
	function apply(prefill: Prefill): void {
		if (config.value) expiry.value = defaultExpiry(kind.value, config.value);
		if (prefill.name !== undefined) name.value = prefill.name;
		if (prefill.description !== undefined) description.value = prefill.description;
		if (prefill.scopes !== undefined) scopes.value = prefill.scopes;
		if (prefill.expiry !== undefined) expiry.value = prefill.expiry;
		if (prefill.origins !== undefined) origins.value = prefill.origins;
	}

	return {
		name,
		description,
		kind,
		scopes,
		expiry,
		origins,
		originDraft,
		refreshable,
		nameTouched,
		availableScopes,
		expiryOptions: options,
		errors,
		valid,
		request,
		addOrigin,
		removeOrigin,
		apply,
	};
}

export type TokenForm = ReturnType<typeof useTokenForm>;

const TOKEN_FORM: InjectionKey<TokenForm> = Symbol('token-form');

/** Makes a page's form available to its field components (see {@link injectTokenForm}). */
export function provideTokenForm(form: TokenForm): void {
	provide(TOKEN_FORM, form);
}

/** The form of the enclosing page. */
export function injectTokenForm(): TokenForm {
	const form = inject(TOKEN_FORM);
	if (!form) throw new Error('injectTokenForm: no token form provided by the page');
	return form;
}
