import type { Application } from 'express';
import type { Runtime } from '../../directus/runtime.js';
import { APP_TOKEN_ROUTE, appTokenCors } from '../../endpoints/tokens/app-cors.js';

export type RegisterInit = (event: string, handler: (meta: { app: Application }) => void) => void;

/** Our CORS for the app-token route, before Directus's own middlewares (its `cors` included). */
export function registerAppCors(init: RegisterInit, runtime: () => Runtime): void {
	init('middlewares.before', ({ app }) => {
		app.use(APP_TOKEN_ROUTE, appTokenCors(runtime));
	});
}
