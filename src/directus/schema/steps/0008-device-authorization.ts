/**
 * Step 8: device authorization (RFC 8628): the device clients' and device codes' tables, the
 * `device_client` a token was approved for, and the `device` an audit row is about. Each part is
 * skipped when present, so a run that failed half-way on MySQL/MariaDB (where DDL commits at once)
 * completes on the next start.
 */
import { createDeviceTables } from '../../../core/token-tables.js';
import type { SchemaStep } from '../schema-step.js';
import { DEVICE_CLIENTS_TABLE, DEVICE_CODES_TABLE } from '../../../shared/constants.js';
import { describeColumns } from './0001-tables.js';

export const deviceAuthorizationStep: SchemaStep = {
	name: '0008-device-authorization',
	async up(db) {
		await createDeviceTables(db);
		await describeColumns(db, [DEVICE_CLIENTS_TABLE, DEVICE_CODES_TABLE]);
	},
};
