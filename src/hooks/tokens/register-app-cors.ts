import type { Runtime } from '../../directus/runtime.js';
import { APP_TOKEN_ROUTE, appTokenCors } from '../../endpoints/tokens/app-cors.js';
import type { RegisterInit } from './hook-types.js';

/** Our CORS for the app-token route, before Directus's own middlewares (its `cors` included). */
export function registerAppCors(init: RegisterInit, runtime: () => Runtime): void {
	init('middlewares.before', ({ app }) => {
		app.use(APP_TOKEN_ROUTE, appTokenCors(runtime));
	});
}
