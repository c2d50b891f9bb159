/**
 * Admins register the device clients (RFC 8628) that may ask users for tokens: list, register,
 * change, remove. Every value is checked as the flow will use it: scopes a personal token may hold,
 * lifetimes within the personal cap, so a typo is a 400 rather than a client that never works.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { TokenConfig } from './config.js';
import type { DeviceClientFields, DeviceClientRecord, DeviceClientStore } from './device-client-store.js';
import { checkScopes } from './policy.js';
import { isPlainText } from './plain-text.js';
import { firstIssue } from './token-requests.js';
import { fail, type Actor, type Result } from './token-service.js';
import { isUniqueViolation } from './unique-violation.js';
import { isUuid } from './uuid.js';

/** A device client as the API shows it (lifetimes in seconds, times as ISO text). */
export type DeviceClientInfo = Omit<DeviceClientRecord, 'date_created' | 'date_updated'> & { date_created: string | null; date_updated: string | null };

export function toDeviceClientInfo(client: DeviceClientRecord): DeviceClientInfo {
	return {
		...client,
		date_created: client.date_created?.toISOString() ?? null,
		date_updated: client.date_updated?.toISOString() ?? null,
	};
}

const seconds = z.number().int().positive().max(100 * 365 * 86_400);
const clientBody = z
	.object({
		client_id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'client_id is 1-100 letters, digits, dots, dashes or underscores'),
		name: z
			.string()
			.trim()
			.min(1, 'name must not be empty')
			.max(100, 'name is at most 100 characters')
			.refine((text) => isPlainText(text), 'name must not contain control characters'),
		scopes: z.array(z.string().max(300)).min(1, 'give the client at least one scope').max(100),
		default_ttl: seconds,
		max_ttl: seconds,
		enabled: z.boolean(),
	})
	.partial()
	.strict();

const NOT_FOUND = fail(404, 'not_found', 'No such device client.');
const ADMINS_ONLY = fail(403, 'forbidden', 'Only admins manage device clients.');
const taken = (clientId: string | undefined) => fail(409, 'conflict', `A device client "${clientId}" exists already.`, 'client_id');

/**
 * @example
 * ```ts
 * const clients = createDeviceClientService({ clients: createDeviceClientStore(knex), config });
 * await clients.create(admin, { name: 'Globalping CLI', client_id: 'globalping-cli', scopes: ['measure'] });
 * ```
 */
export function createDeviceClientService({ clients, config }: { clients: DeviceClientStore; config: TokenConfig }) {
	const personalCapSeconds = config.maxTtlMs.personal === null ? null : Math.floor(config.maxTtlMs.personal / 1000);

	/**
	 * The body checked against the server's policy, merged over `current` (the stored client, or the
	 * defaults of a new one) for the cross-field rules.
	 */
	function parse(body: unknown, current: DeviceClientFields, { creating }: { creating: boolean }): Result<Partial<DeviceClientFields>> {
		const shape = clientBody.safeParse(body ?? {});
		if (!shape.success) {
			const { field, message } = firstIssue(shape.error);
			return fail(400, 'invalid_request', message, field);
		}
		const value = shape.data;
		if (!creating && value.client_id !== undefined && value.client_id !== current.client_id) {
			return fail(400, 'invalid_request', 'client_id cannot change: clients in the field use it; register a new client instead.', 'client_id');
		}
		if (value.scopes) {
			const scopes = checkScopes('personal', value.scopes, config);
			if (!scopes.ok) return fail(400, 'invalid_scopes', scopes.message, 'scopes');
			value.scopes = scopes.scopes;
		}
		const merged = { ...current, ...value };
		if (personalCapSeconds !== null && merged.max_ttl !== undefined && merged.max_ttl > personalCapSeconds) {
			return fail(400, 'invalid_expiry', `max_ttl is at most ${personalCapSeconds} s, the longest a personal token may live here.`, 'max_ttl');
		}
		if (merged.default_ttl !== undefined && merged.max_ttl !== undefined && merged.default_ttl > merged.max_ttl) {
			return fail(400, 'invalid_expiry', 'default_ttl must not exceed max_ttl.', 'default_ttl');
		}
		return { ok: true, value };
	}

	return {
		async list(actor: Actor): Promise<Result<DeviceClientInfo[]>> {
			if (!actor.admin) return ADMINS_ONLY;
			return { ok: true, value: (await clients.list()).map(toDeviceClientInfo) };
		},

		async create(actor: Actor, body: unknown): Promise<Result<DeviceClientInfo>> {
			if (!actor.admin) return ADMINS_ONLY;
			const maxTtl = personalCapSeconds ?? 365 * 86_400;
			const defaults: DeviceClientFields = {
				client_id: randomBytes(12).toString('hex'),
				name: '',
				scopes: [],
				default_ttl: Math.min(Math.floor(config.defaultTtlMs / 1000), maxTtl),
				max_ttl: maxTtl,
				enabled: true,
			};
			const given = (body ?? {}) as Record<string, unknown>;
			if (typeof given !== 'object' || given.name === undefined) return fail(400, 'invalid_request', 'name is required.', 'name');
			if (given.scopes === undefined) return fail(400, 'invalid_request', 'scopes is required.', 'scopes');
			// A longest lifetime given alone also bounds the default offered.
			if (typeof given.max_ttl === 'number' && given.default_ttl === undefined) defaults.default_ttl = Math.min(defaults.default_ttl, given.max_ttl);
			const parsed = parse(body, defaults, { creating: true });
			if (!parsed.ok) return parsed;
			const fields = { ...defaults, ...parsed.value };
			if (await clients.findByClientId(fields.client_id)) return taken(fields.client_id);
			try {
				return { ok: true, value: toDeviceClientInfo(await clients.insert(fields)) };
			} catch (error) {
				if (isUniqueViolation(error)) return taken(fields.client_id);
				throw error;
			}
		},

		async update(actor: Actor, id: string, body: unknown): Promise<Result<DeviceClientInfo>> {
			if (!actor.admin) return ADMINS_ONLY;
			const current = isUuid(id) ? await clients.findById(id) : null;
			if (!current) return NOT_FOUND;
			const parsed = parse(body, current, { creating: false });
			if (!parsed.ok) return parsed;
			const updated = await clients.update(id, parsed.value);
			return updated ? { ok: true, value: toDeviceClientInfo(updated) } : NOT_FOUND;
		},

		async remove(actor: Actor, id: string): Promise<Result<null>> {
			if (!actor.admin) return ADMINS_ONLY;
			if (!isUuid(id) || !(await clients.delete(id))) return NOT_FOUND;
			return { ok: true, value: null };
		},
	};
}

export type DeviceClientService = ReturnType<typeof createDeviceClientService>;
