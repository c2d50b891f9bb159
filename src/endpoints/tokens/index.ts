import type { Router } from 'express';
import { defineEndpoint } from '@directus/extensions-sdk';
import { ENDPOINT_ID } from '../../shared/constants.js';
import { getRuntime } from '../../directus/runtime.js';
import { registerTokenRoutes } from './routes.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { registerAppTokenRoute } from './app-routes.js';

export default defineEndpoint({
	id: ENDPOINT_ID,
	handler: (router, context) => {
		// Directus types its router with its own copy of @types/express; the runtime object is the same.
		const runtime = () => getRuntime(context);
		// Before the token routes: `/revoke` and `/app` must not be taken for `/:id`.
		registerOAuthRoutes(router as unknown as Router, runtime);
		registerAppTokenRoute(router as unknown as Router, runtime);
		registerTokenRoutes(router as unknown as Router, runtime);
	},
});
