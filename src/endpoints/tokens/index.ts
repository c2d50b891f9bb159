import { defineEndpoint } from '@directus/extensions-sdk';
import { ENDPOINT_ID } from '../../shared/constants.js';
import { loadTokenConfig } from '../../core/config.js';
import { publicConfig } from './public-config.js';

interface AccountableRequest {
	accountability?: { user?: string | null } | null;
}

export default defineEndpoint({
	id: ENDPOINT_ID,
	handler: (router, { env }) => {
		const config = loadTokenConfig(env as Record<string, string | undefined>);

		router.get('/config', (req, res) => {
			if (!(req as unknown as AccountableRequest).accountability?.user) {
				res.status(401).json({ errors: [{ message: 'Sign in to use API tokens.', extensions: { code: 'UNAUTHENTICATED' } }] });
				return;
			}
			res.json(publicConfig(config));
		});
	},
});
