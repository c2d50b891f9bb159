import { defineHook } from '@directus/extensions-sdk';
import { loadTokenConfig } from '../../core/config.js';
import { attachOwnerPolicy } from './attach-owner-policy.js';
import { registerItemsGuard } from './register-items-guard.js';

export default defineHook(({ action, filter }, context) => {
	const { env, logger } = context;
	// Fail at load time, with one line, when our configuration is wrong.
	loadTokenConfig(env as Record<string, string | undefined>);

	registerItemsGuard(filter as Parameters<typeof registerItemsGuard>[0]);

	action('roles.create', async ({ key }) => {
		try {
			await attachOwnerPolicy(context, String(key));
		} catch (error) {
			logger.error(`api-tokens: could not attach the token policy to role ${String(key)}: ${String(error)}`);
		}
	});
});
