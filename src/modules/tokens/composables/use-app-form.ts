/**
 * State of the app form (register or edit one front-end app): the fields, hints while typing, the
 * body to send, and the server's refusal put next to the field it names.
 *
 * The rule: hints never block Save. The server holds the rules (its app scopes, its caps, unique
 * names) and answers with the field it blames, like Directus's own item forms; a hint only says
 * early what it will say. So Save always asks the server, and sends what the admin typed (an origin
 * still in the field too, as typed), and the answer is what the admin reads.
 */
import { computed, ref, type Ref } from 'vue';
import { normaliseOrigin } from '../../../shared/origin.js';
import type { AppInfo, AppRequest, TokenServerConfig } from '../types.js';
import { MIN_TTL_SECONDS, formatLifetime, lifetimeSeconds, splitLifetime, type Lifetime } from './app-lifetime.js';
import { useFieldRefusals, type FieldMessages } from './use-field-refusals.js';

/** The fields of an app, named as the API names them (`extensions.field`). */
export const APP_FIELDS = ['name', 'origins', 'scopes', 'ttl', 'max_active_per_user', 'enabled'] as const;
export type AppField = (typeof APP_FIELDS)[number];

export const APP_NAME_MAX = 100;
export const APP_ORIGINS_MAX = 50;
export const MAX_ACTIVE_LIMIT = 1000;
/** What a new app starts with (the server's own defaults: one day, five tokens per user). */
export const DEFAULT_TTL_SECONDS = 86_400;
export const DEFAULT_MAX_ACTIVE = 5;

export type AppFieldMessages = FieldMessages<AppField>;

/** Every field of the form, as it would be sent. */
export type AppFormValues = Required<AppRequest>;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((entry, i) => entry === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) => sameList([...a].sort(), [...b].sort());

/**
 * @example
 * ```ts
 * const form = useAppForm(config);
 * form.load(null); // a new app
 * form.name.value = 'globalping-web';
 * form.originDraft.value = 'https://WWW.Example.com/';
 * form.addOrigin(); // origins: ['https://www.example.com']
 * try { await apps.create(form.request.value); } catch (error) { form.showServerError(error); }
 * ```
 */
export function useAppForm(config: Ref<TokenServerConfig | null>) {
	/** The app being edited, or `null` while registering a new one. */
	const original = ref<AppInfo | null>(null);
	const name = ref('');
	const origins = ref<string[]>([]);
	/** Text typed into the origins field and not yet added as a tag. */
	const originDraft = ref('');
	const scopes = ref<string[]>([]);
	const lifetime = ref<Lifetime>(splitLifetime(DEFAULT_TTL_SECONDS));
	const maxActive = ref(DEFAULT_MAX_ACTIVE);
	const enabled = ref(true);
	/** Fields the admin has left (or every field, after a Save): "missing" hints wait for this. */
	const touched = ref<Set<AppField>>(new Set());
	/** The server's refusal of the last Save: under its field while the field holds what was refused, else above the form. */
	const refusals = useFieldRefusals(APP_FIELDS, () => request.value);

	const cap = computed(() => config.value?.maxTtlSeconds.app ?? null);
	const ttl = computed(() => lifetimeSeconds(lifetime.value));
	/** The server's app scopes, plus any the app holds that the server no longer offers (so they show, ticked). */
	const availableScopes = computed(() => {
		const offered = config.value?.scopes ?? [];
		return [...offered, ...(original.value?.scopes ?? []).filter((scope) => !offered.includes(scope))];
	});

	const draftOrigin = computed(() => {
		const text = originDraft.value.trim();
		return text ? normaliseOrigin(text) : null;
	});

	/** What the server will refuse, said before sending (the same checks: `app-policy.ts`). */
	const hints = computed<AppFieldMessages>(() => {
		const result: AppFieldMessages = {};
		const trimmed = name.value.trim();
		if (!trimmed && touched.value.has('name')) result.name = 'Give the app a name: its pages ask for tokens under it.';
		if (trimmed.length > APP_NAME_MAX) result.name = `At most ${APP_NAME_MAX} characters.`;
		const draft = draftOrigin.value;
		if (draft && !draft.ok) result.origins = `"${originDraft.value.trim()}" ${draft.reason}.`;
		else if (origins.value.length + (draft ? 1 : 0) > APP_ORIGINS_MAX) result.origins = `At most ${APP_ORIGINS_MAX} origins.`;
		else if (origins.value.length === 0 && !draft && touched.value.has('origins')) result.origins = 'List at least one origin.';
		const offered = config.value?.scopes ?? [];
		const unknown = scopes.value.filter((scope) => !offered.includes(scope));
		if (config.value && unknown.length) result.scopes = `Not offered by this server any more: ${unknown.join(', ')}.`;
		if (!Number.isSafeInteger(ttl.value) || ttl.value < MIN_TTL_SECONDS) result.ttl = 'At least 1 minute.';
		if (!Number.isSafeInteger(maxActive.value) || maxActive.value < 1 || maxActive.value > MAX_ACTIVE_LIMIT) result.max_active_per_user = `A whole number from 1 to ${MAX_ACTIVE_LIMIT}.`;
		return result;
	});

	/** Said under the lifetime: the server shortens app tokens to its cap when they are issued. */
	const lifetimeNote = computed(() => {
		if (cap.value === null) return null;
		if (ttl.value > cap.value) return `This server caps app tokens at ${formatLifetime(cap.value)} (API_TOKENS_MAX_TTL_APP): they will last ${formatLifetime(cap.value)}.`;
		return `At most ${formatLifetime(cap.value)} on this server.`;
	});

	/** The origins to send: the tags, then the text still in the field (normalised, or as typed for the server to judge). */
	const originsToSend = computed(() => {
		const draft = draftOrigin.value;
		const pending = draft ? [draft.ok ? draft.origin : originDraft.value.trim()] : [];
		return [...new Set([...origins.value, ...pending])];
	});

	/** The body of a register (`POST`): every field. */
	const request = computed<AppFormValues>(() => ({
		name: name.value.trim(),
		origins: originsToSend.value,
		scopes: [...scopes.value],
		ttl: ttl.value,
		max_active_per_user: maxActive.value,
		enabled: enabled.value,
	}));

	/** The body of an edit (`PATCH`): only what differs from the app as loaded. */
	const changes = computed<AppRequest>(() => {
		const app = original.value;
		if (!app) return request.value;
		const next = request.value;
		const body: AppRequest = {};
		if (next.name !== app.name) body.name = next.name;
		if (!sameList(next.origins, app.origins)) body.origins = next.origins;
		if (!sameSet(next.scopes, app.scopes)) body.scopes = next.scopes;
		if (next.ttl !== app.ttl) body.ttl = next.ttl;
		if (next.max_active_per_user !== app.max_active_per_user) body.max_active_per_user = next.max_active_per_user;
		if (next.enabled !== app.enabled) body.enabled = next.enabled;
		return body;
	});

	/** Under each field: the server's refusal of it while the field is unchanged, else the hint. */
	const errors = computed<AppFieldMessages>(() => refusals.over(hints.value));

	const dirty = computed(() => Object.keys(changes.value).length > 0);
	/** Saving turns an enabled app off: its tokens are revoked, so the page asks first. */
	const disabling = computed(() => original.value?.enabled === true && !enabled.value);

	/** Adds the draft as a tag, normalised; answers whether it was added (false leaves it for correction). */
	function addOrigin(): boolean {
		const parsed = draftOrigin.value;
		if (!parsed || !parsed.ok) {
			if (!parsed) touch('origins');
			return false;
		}
		if (!origins.value.includes(parsed.origin)) origins.value = [...origins.value, parsed.origin];
		originDraft.value = '';
		return true;
	}

	function removeOrigin(origin: string): void {
		origins.value = origins.value.filter((entry) => entry !== origin);
	}

	function touch(field: AppField): void {
		if (!touched.value.has(field)) touched.value = new Set([...touched.value, field]);
	}

	/** Starts the form on `app`, or on a new app with the server's defaults. */
	function load(app: AppInfo | null): void {
		original.value = app;
		name.value = app?.name ?? '';
		origins.value = [...(app?.origins ?? [])];
		originDraft.value = '';
		scopes.value = [...(app?.scopes ?? [])];
		const defaultTtl = cap.value === null ? DEFAULT_TTL_SECONDS : Math.min(DEFAULT_TTL_SECONDS, cap.value);
		lifetime.value = splitLifetime(app?.ttl ?? defaultTtl);
		maxActive.value = app?.max_active_per_user ?? DEFAULT_MAX_ACTIVE;
		enabled.value = app?.enabled ?? true;
		touched.value = new Set();
		refusals.reset();
	}

	/** Before sending: every "missing" hint may show now, and the last refusal goes. */
	function submitting(): void {
		touched.value = new Set(APP_FIELDS);
		refusals.submitting();
	}

	/** Puts a refused Save under the field the server names, else above the form (see `useFieldRefusals`). */
	function showServerError(cause: unknown): void {
		refusals.show(cause);
	}

	return {
		original,
		name,
		origins,
		originDraft,
		scopes,
		lifetime,
		maxActive,
		enabled,
		availableScopes,
		hints,
		errors,
		serverErrors: refusals.refused,
		formError: refusals.formError,
		lifetimeNote,
		request,
		changes,
		dirty,
		disabling,
		addOrigin,
		removeOrigin,
		touch,
		load,
		submitting,
		showServerError,
	};
}

export type AppForm = ReturnType<typeof useAppForm>;
