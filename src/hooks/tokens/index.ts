import { defineHook } from '@directus/extensions-sdk';
import { loadTokenConfig } from '../../core/config.js';
import { attachOwnerPolicy } from './attach-owner-policy.js';

export default defineHook(({ action }, { database, env, logger }) => {
	// Fail at load time, with one line, when our configuration is wrong.
	loadTokenConfig(env as Record<string, string | undefined>);

	action('roles.create', async ({ key }) => {
		try {
			await attachOwnerPolicy(database, String(key));
		} catch (error) {
			logger.error(`api-tokens: could not attach the token policy to role ${String(key)}: ${String(error)}`);
		}
	});
});
