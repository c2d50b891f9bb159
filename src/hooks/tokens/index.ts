import { defineHook } from '@directus/extensions-sdk';
import { getRuntime } from '../../directus/runtime.js';
import { registerSchema } from './register-schema.js';
import { registerReadOnlyTables } from './register-read-only-tables.js';
import { registerAuthenticate } from './register-authenticate.js';
import { registerUserLifecycle } from './register-user-lifecycle.js';
import { registerPurge } from './register-purge.js';
import { registerOwnerReconciler } from './register-owner-reconciler.js';
import { registerExpiryNotices } from './register-expiry-notices.js';
import { registerAccessInvalidation } from './register-access-invalidation.js';
import { registerAppCors } from './register-app-cors.js';
import { registerLoopbackCsp } from './register-loopback-csp.js';
import { registerRequestGuard } from './register-request-guard.js';
import { registerOAuthMetadata } from './register-oauth-metadata.js';
import type { RegisterAction, RegisterFilter, RegisterInit } from './hook-types.js';

/** Directus acting as an admin with no user: for our own calls of its services. */
const ADMIN = { admin: true, role: null, roles: [], user: null, app: false, ip: null } as never;

export default defineHook(({ action, filter, init, schedule }, context) => {
	const { logger, database, services, getSchema, env } = context;
	// Built now so that a wrong API_TOKENS_* variable fails at load time, with one line.
	getRuntime(context);
	const runtime = () => getRuntime(context);
	// Directus's own signatures are generic over event names; ours name the payloads we read.
	const onFilter = filter as unknown as RegisterFilter;
	const onInit = init as unknown as RegisterInit;

	registerSchema(onInit, {
		database,
		logger,
		async clearDirectusCaches() {
			const utils = new services.UtilsService({ schema: await getSchema(), accountability: ADMIN });
			await utils.clearCache({ system: true });
		},
	});
	registerReadOnlyTables(onFilter);
	registerAuthenticate(onFilter, runtime);
	registerUserLifecycle(onFilter, runtime);
	registerPurge(schedule, runtime, logger);
	registerOwnerReconciler(schedule, runtime, logger);
	registerExpiryNotices(schedule, {
		database,
		config: () => runtime().config,
		publicUrl: typeof env.PUBLIC_URL === 'string' ? env.PUBLIC_URL : '',
		logger,
		async notifier() {
			const schema = await getSchema();
			return async (trx, notification) => {
				await new services.NotificationsService({ knex: trx, schema, accountability: ADMIN }).createOne(notification);
			};
		},
	});
	registerAccessInvalidation(action as unknown as RegisterAction, runtime);
	registerAppCors(onInit, runtime);
	registerLoopbackCsp(init);
	registerRequestGuard(onInit);
	registerOAuthMetadata(onInit, runtime);
});
