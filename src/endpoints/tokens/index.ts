import type { Router } from 'express';
import { defineEndpoint } from '@directus/extensions-sdk';
import { ENDPOINT_ID } from '../../shared/constants.js';
import { getRuntime } from '../../directus/runtime.js';
import { registerTokenRoutes } from './routes.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { registerAppTokenRoute } from './app-routes.js';
import { registerAnonymousTokenRoutes } from './anonymous-routes.js';
import { registerAppAdminRoutes } from './app-admin-routes.js';
import { registerDeviceRoutes } from './device-routes.js';
import { schemaGuard } from './schema-guard.js';

export default defineEndpoint({
	id: ENDPOINT_ID,
	handler: (router, context) => {
		// Directus types its router with its own copy of @types/express; the runtime object is the same.
		const routes = router as unknown as Router;
		const runtime = () => getRuntime(context);
		routes.use(schemaGuard);
		// Before the token routes: `/revoke`, `/app`, `/apps`, `/anonymous`, `/oauth`, `/device` and `/device-clients` must not be taken for `/:id`.
		registerOAuthRoutes(routes, runtime);
		registerAppTokenRoute(routes, runtime);
		registerAnonymousTokenRoutes(routes, runtime);
		registerAppAdminRoutes(routes, runtime);
		registerDeviceRoutes(routes, runtime);
		registerTokenRoutes(routes, runtime);
	},
});
