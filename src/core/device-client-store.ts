/**
 * The admin-managed `api_token_device_clients` table: the CLIs and chat bots that may ask users for a
 * token through device authorization (RFC 8628), with the scopes they may ask for and the lifetimes
 * of the tokens they get. Public clients: a `client_id`, no secret. Admins change it through the
 * token API (`device-client-service.ts`, which checks every value first).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DEVICE_CLIENTS_TABLE } from '../shared/constants.js';
import { toDate, toStringArray } from './token-record.js';

export interface DeviceClientRecord {
	id: string;
	client_id: string;
	/** What users see on the approval page ("Globalping CLI"). */
	name: string;
	scopes: string[];
	/** Seconds: the token lifetime offered by default, and the longest a user may choose. */
	default_ttl: number;
	max_ttl: number;
	enabled: boolean;
	date_created: Date | null;
	date_updated: Date | null;
}

export type DeviceClientFields = Omit<DeviceClientRecord, 'id' | 'date_created' | 'date_updated'>;

function rowToClient(row: Record<string, unknown>): DeviceClientRecord {
	return {
		id: String(row.id),
		client_id: String(row.client_id),
		name: String(row.name),
		scopes: toStringArray(row.scopes),
		default_ttl: Number(row.default_ttl),
		max_ttl: Number(row.max_ttl),
		enabled: Boolean(row.enabled),
		date_created: toDate(row.date_created),
		date_updated: toDate(row.date_updated),
	};
}

/**
 * @example
 * ```ts
 * const clients = createDeviceClientStore(knex);
 * const cli = await clients.findByClientId('globalping-cli');
 * ```
 */
export function createDeviceClientStore(db: Knex, { now = () => new Date() }: { now?: () => Date } = {}) {
	const table = DEVICE_CLIENTS_TABLE;
	const columns = (fields: Partial<DeviceClientFields>) => ({ ...fields, ...(fields.scopes ? { scopes: JSON.stringify(fields.scopes) } : {}) });
	const findById = async (id: string): Promise<DeviceClientRecord | null> => {
		const row = await db(table).where({ id }).first();
		return row ? rowToClient(row) : null;
	};
	return {
		findById,

		async findByClientId(clientId: string): Promise<DeviceClientRecord | null> {
			const row = await db(table).where({ client_id: clientId }).first();
			return row ? rowToClient(row) : null;
		},

		/** Every client, by name. */
		async list(): Promise<DeviceClientRecord[]> {
			return (await db(table).orderBy('name').orderBy('client_id')).map(rowToClient);
		},

		async insert(fields: DeviceClientFields): Promise<DeviceClientRecord> {
			const id = randomUUID();
			const at = now();
			await db(table).insert({ id, ...columns(fields), date_created: at, date_updated: at });
			return (await findById(id))!;
		},

		async update(id: string, fields: Partial<DeviceClientFields>): Promise<DeviceClientRecord | null> {
			await db(table).where({ id }).update({ ...columns(fields), date_updated: now() });
			return findById(id);
		},

		/** Removes the client and (by the foreign key) its pending requests; tokens it got stay their users'. */
		async delete(id: string): Promise<boolean> {
			return (await db(table).where({ id }).delete()) > 0;
		},
	};
}

export type DeviceClientStore = ReturnType<typeof createDeviceClientStore>;
