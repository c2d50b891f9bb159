/**
 * State of the device-client form (add or edit one client that may ask for tokens with a code):
 * the fields, hints while typing, the body to send, and the server's refusal put next to the field
 * it names. As in the app form, hints never block Save: the server holds the rules (unique names
 * and client ids, its scopes, its caps) and its answer is what the admin reads.
 *
 * `client_id` is the client's public name in the device flow (the CLI sends it): optional when
 * adding (the server makes one), never changed afterwards, since every copy of the CLI has it.
 */
import { computed, ref, type Ref } from 'vue';
import type { DeviceClientInfo, DeviceClientRequest, TokenServerConfig } from '../types.js';
import { MIN_TTL_SECONDS, formatLifetime, lifetimeSeconds, splitLifetime, type Lifetime } from './app-lifetime.js';
import { useFieldRefusals, type FieldMessages } from './use-field-refusals.js';

/** The fields of a device client, named as the API names them (`extensions.field`). */
export const DEVICE_CLIENT_FIELDS = ['name', 'client_id', 'scopes', 'default_ttl', 'max_ttl', 'enabled'] as const;
export type DeviceClientField = (typeof DEVICE_CLIENT_FIELDS)[number];
export type DeviceClientFieldMessages = FieldMessages<DeviceClientField>;

export const DEVICE_CLIENT_NAME_MAX = 100;
/** What the server takes as a client id (`device-client-service.ts`). */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
/** Used when the server sets no cap on personal tokens: what the proposed lifetimes start from. */
const FALLBACK_DEFAULT_TTL = 90 * 86_400;
const FALLBACK_MAX_TTL = 365 * 86_400;

/** Every field of the form, as a create would send it (`client_id` empty: the server makes one). */
export type DeviceClientFormValues = Required<Omit<DeviceClientRequest, 'client_id'>> & { client_id: string };

function sameSet(a: readonly string[], b: readonly string[]): boolean {
	const [x, y] = [[...a].sort(), [...b].sort()];
	return x.length === y.length && x.every((entry, i) => entry === y[i]);
}

/**
 * @example
 * ```ts
 * const form = useDeviceClientForm(config);
 * form.load(null); // a new client, on the server's lifetimes
 * form.name.value = 'Globalping CLI';
 * form.scopes.value = ['measurements'];
 * try { await clients.create(form.request.value); } catch (error) { form.showServerError(error); }
 * ```
 */
export function useDeviceClientForm(config: Ref<TokenServerConfig | null>) {
	/** The client being edited, or `null` while adding one. */
	const original = ref<DeviceClientInfo | null>(null);
	const name = ref('');
	const clientId = ref('');
	const scopes = ref<string[]>([]);
	const defaultLifetime = ref<Lifetime>(splitLifetime(FALLBACK_DEFAULT_TTL));
	const maxLifetime = ref<Lifetime>(splitLifetime(FALLBACK_MAX_TTL));
	const enabled = ref(true);
	/** Fields the admin has left (or every field, after a Save): "missing" hints wait for this. */
	const touched = ref<Set<DeviceClientField>>(new Set());
	const refusals = useFieldRefusals(DEVICE_CLIENT_FIELDS, () => values.value);

	/** The server's longest lifetime of personal tokens (what an approval makes), `null` for none. */
	const cap = computed(() => config.value?.maxTtlSeconds.personal ?? null);
	const defaultTtl = computed(() => lifetimeSeconds(defaultLifetime.value));
	const maxTtl = computed(() => lifetimeSeconds(maxLifetime.value));
	/** The server's user scopes, plus any the client holds that the server no longer offers (so they show, ticked). */
	const availableScopes = computed(() => {
		const offered = config.value?.scopes ?? [];
		return [...offered, ...(original.value?.scopes ?? []).filter((scope) => !offered.includes(scope))];
	});

	const values = computed<DeviceClientFormValues>(() => ({
		name: name.value.trim(),
		client_id: clientId.value.trim(),
		scopes: [...scopes.value],
		default_ttl: defaultTtl.value,
		max_ttl: maxTtl.value,
		enabled: enabled.value,
	}));

	/** What the server will refuse, said before sending. */
	const hints = computed<DeviceClientFieldMessages>(() => {
		const result: DeviceClientFieldMessages = {};
		const trimmed = name.value.trim();
		if (!trimmed && touched.value.has('name')) result.name = 'Give the client a name: people see it when they approve a device.';
		if (trimmed.length > DEVICE_CLIENT_NAME_MAX) result.name = `At most ${DEVICE_CLIENT_NAME_MAX} characters.`;
		const id = clientId.value.trim();
		if (!original.value && id && !CLIENT_ID_PATTERN.test(id)) result.client_id = 'Only letters, digits, dots, dashes and underscores; at most 100.';
		const offered = config.value?.scopes ?? [];
		const unknown = scopes.value.filter((scope) => !offered.includes(scope));
		if (config.value && unknown.length) result.scopes = `Not offered by this server any more: ${unknown.join(', ')}.`;
		else if (scopes.value.length === 0 && touched.value.has('scopes')) result.scopes = 'Give it at least one scope: a device asks for some of these.';
		const validTtl = (seconds: number) => Number.isSafeInteger(seconds) && seconds >= MIN_TTL_SECONDS;
		if (!validTtl(defaultTtl.value)) result.default_ttl = 'At least 1 minute.';
		else if (validTtl(maxTtl.value) && defaultTtl.value > maxTtl.value) result.default_ttl = 'No longer than the longest lifetime.';
		if (!validTtl(maxTtl.value)) result.max_ttl = 'At least 1 minute.';
		else if (cap.value !== null && maxTtl.value > cap.value)
			result.max_ttl = `This server caps personal tokens at ${formatLifetime(cap.value)} (API_TOKENS_MAX_TTL_PERSONAL).`;
		return result;
	});

	/** The body of an add (`POST`): every field; no `client_id` when left empty. */
	const request = computed<DeviceClientRequest>(() => {
		const { client_id, ...rest } = values.value;
		return client_id ? { ...rest, client_id } : rest;
	});

	/** The body of an edit (`PATCH`): only what differs from the client as loaded; never `client_id`. */
	const changes = computed<DeviceClientRequest>(() => {
		const client = original.value;
		if (!client) return request.value;
		const next = values.value;
		const body: DeviceClientRequest = {};
		if (next.name !== client.name) body.name = next.name;
		if (!sameSet(next.scopes, client.scopes)) body.scopes = next.scopes;
		if (next.default_ttl !== client.default_ttl) body.default_ttl = next.default_ttl;
		if (next.max_ttl !== client.max_ttl) body.max_ttl = next.max_ttl;
		if (next.enabled !== client.enabled) body.enabled = next.enabled;
		return body;
	});

	/** Under each field: the server's refusal of it while the field is unchanged, else the hint. */
	const errors = computed<DeviceClientFieldMessages>(() => refusals.over(hints.value));
	const dirty = computed(() => Object.keys(changes.value).length > 0);

	function touch(field: DeviceClientField): void {
		if (!touched.value.has(field)) touched.value = new Set([...touched.value, field]);
	}

	/** Starts the form on `client`, or on a new client with the server's lifetimes for personal tokens. */
	function load(client: DeviceClientInfo | null): void {
		original.value = client;
		name.value = client?.name ?? '';
		clientId.value = client?.client_id ?? '';
		scopes.value = [...(client?.scopes ?? [])];
		const longest = cap.value ?? FALLBACK_MAX_TTL;
		const proposed = Math.min(config.value?.defaultTtlSeconds ?? FALLBACK_DEFAULT_TTL, longest);
		defaultLifetime.value = splitLifetime(client?.default_ttl ?? proposed);
		maxLifetime.value = splitLifetime(client?.max_ttl ?? longest);
		enabled.value = client?.enabled ?? true;
		touched.value = new Set();
		refusals.reset();
	}

	/** Before sending: every "missing" hint may show now, and the last refusal goes. */
	function submitting(): void {
		touched.value = new Set(DEVICE_CLIENT_FIELDS);
		refusals.submitting();
	}

	return {
		original,
		name,
		clientId,
		scopes,
		defaultLifetime,
		maxLifetime,
		enabled,
		availableScopes,
		hints,
		errors,
		formError: refusals.formError,
		request,
		changes,
		dirty,
		touch,
		load,
		submitting,
		showServerError: refusals.show,
	};
}

export type DeviceClientForm = ReturnType<typeof useDeviceClientForm>;
