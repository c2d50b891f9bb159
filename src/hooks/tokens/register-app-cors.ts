import type { Runtime } from '../../directus/runtime.js';
import { ANONYMOUS_TOKEN_ROUTE, APP_TOKEN_ROUTE, tokenRouteCors } from '../../endpoints/tokens/app-cors.js';
import type { RegisterInit } from './hook-types.js';

/** Our CORS for the app-token and anonymous-token routes, before Directus's own middlewares (its `cors` included). */
export function registerAppCors(init: RegisterInit, runtime: () => Runtime): void {
	init('middlewares.before', ({ app }) => {
		app.use(APP_TOKEN_ROUTE, tokenRouteCors(runtime, { credentials: true }));
		app.use(ANONYMOUS_TOKEN_ROUTE, tokenRouteCors(runtime, { credentials: false }));
	});
}
