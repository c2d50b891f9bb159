import { defineHook } from '@directus/extensions-sdk';
import { getRuntime } from '../../directus/runtime.js';
import { attachOwnerPolicy } from './attach-owner-policy.js';
import { registerItemsGuard } from './register-items-guard.js';
import { registerWriteGuard } from './register-write-guard.js';
import { registerAuthenticate } from './register-authenticate.js';
import { registerUserLifecycle } from './register-user-lifecycle.js';
import { registerPurge } from './register-purge.js';
import { registerAppCors, type RegisterInit } from './register-app-cors.js';
import { registerAppGuard } from './register-app-guard.js';
import { registerLoopbackCsp } from './register-loopback-csp.js';
import { registerRequestGuard } from './register-request-guard.js';
import type { RegisterAction, RegisterFilter } from './hook-types.js';

export default defineHook(({ action, filter, init, schedule }, context) => {
	const { logger } = context;
	// Built now so that a wrong API_TOKENS_* variable fails at load time, with one line.
	getRuntime(context);
	const runtime = () => getRuntime(context);
	// Directus's own signatures are generic over event names; ours name the payloads we read.
	const onFilter = filter as unknown as RegisterFilter;
	const onAction = action as unknown as RegisterAction;

	registerItemsGuard(onFilter);
	registerWriteGuard(onFilter, onAction, runtime);
	registerAppGuard(onFilter, onAction, runtime);
	registerAuthenticate(onFilter, runtime);
	registerUserLifecycle(onFilter, runtime);
	registerPurge(schedule, runtime, logger);
	registerAppCors(init as unknown as RegisterInit, runtime);
	registerLoopbackCsp(init);
	registerRequestGuard(init as unknown as RegisterInit);

	action('roles.create', async ({ key }) => {
		try {
			await attachOwnerPolicy(context, String(key));
		} catch (error) {
			logger.error(`api-tokens: could not attach the token policy to role ${String(key)}: ${String(error)}`);
		}
	});
});
