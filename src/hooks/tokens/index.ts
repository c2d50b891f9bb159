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
import { registerMetaGuard } from './register-meta-guard.js';
import { registerFollowGuard } from './register-follow-guard.js';
import { registerWebSocketGuard } from './register-websocket-guard.js';
import { registerItemReferenceGuard } from './register-item-reference-guard.js';
import { registerRequestGuard } from './register-request-guard.js';
import type { RegisterAction, RegisterFilter } from './hook-types.js';

/**
 * Directus's GraphQL subscriptions send every subscriber the ids of items deleted through `/items`,
 * with no permission check a hook can reach: with them on, any user can learn ids of other users'
 * deleted tokens (never names, hashes or secrets). Said once at start, so operators can turn them off.
 */
function warnOnGraphqlSubscriptions(env: Record<string, unknown>, logger: { warn(message: string): void }): void {
	const on = (value: unknown, byDefault: boolean) => (value === undefined ? byDefault : value === true || value === 'true');
	if (on(env['WEBSOCKETS_ENABLED'], false) && on(env['WEBSOCKETS_GRAPHQL_ENABLED'], true)) {
		logger.warn('api-tokens: WEBSOCKETS_GRAPHQL_ENABLED is on: GraphQL subscribers learn the ids of deleted tokens of every user; set WEBSOCKETS_GRAPHQL_ENABLED=false');
	}
}

export default defineHook(({ action, filter, init, schedule }, context) => {
	const { logger } = context;
	// Built now so that a wrong API_TOKENS_* variable fails at load time, with one line.
	getRuntime(context);
	const runtime = () => getRuntime(context);
	// Directus's own signatures are generic over event names; ours name the payloads we read.
	const onFilter = filter as unknown as RegisterFilter;
	const onAction = action as unknown as RegisterAction;

	registerItemsGuard(onFilter);
	registerWebSocketGuard(onFilter);
	registerWriteGuard(onFilter, onAction, runtime);
	registerAppGuard(onFilter, onAction, runtime);
	registerAuthenticate(onFilter, runtime);
	registerUserLifecycle(onFilter, runtime);
	registerPurge(schedule, runtime, logger);
	registerAppCors(init as unknown as RegisterInit, runtime);
	registerLoopbackCsp(init);
	registerMetaGuard(init as unknown as RegisterInit);
	registerFollowGuard(init as unknown as RegisterInit);
	registerItemReferenceGuard(init as unknown as RegisterInit, context.database);
	warnOnGraphqlSubscriptions(context.env, logger);
	registerRequestGuard(init as unknown as RegisterInit);

	action('roles.create', async ({ key }) => {
		try {
			await attachOwnerPolicy(context, String(key));
		} catch (error) {
			logger.error(`api-tokens: could not attach the token policy to role ${String(key)}: ${String(error)}`);
		}
	});
});
