import { join, resolve } from 'node:path';
import { databaseEnv } from './database-env.js';
import { resolveSecret } from './secret.js';

/** Defaults of the local Directus that `npm start` and the tests run. Anything in `env` wins. */
export const LOCAL_DEFAULTS = {
	HOST: '127.0.0.1',
	PORT: '8055',
	ADMIN_EMAIL: 'admin@example.com',
	TELEMETRY: 'false',
	EXTENSIONS_AUTO_RELOAD: 'false',
	LOG_LEVEL: 'info',
	STORAGE_LOCATIONS: 'local',
};

/**
 * The full environment of the Directus child process: the caller's environment (so every Directus
 * variable such as `REDIS`, `CORS_*` or `SESSION_COOKIE_DOMAIN` passes through), our defaults for what
 * is unset, the database variables completed, and the path to our bundle.
 * @param {{ root: string, dataDir: string, env: Record<string, string | undefined> }} options
 * @returns {Record<string, string>}
 */
export function directusEnv({ root, dataDir, env }) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
	for (const [key, value] of Object.entries(LOCAL_DEFAULTS)) out[key] ??= value;
	Object.assign(out, databaseEnv(env, dataDir));
	out.PUBLIC_URL ??= `http://${out.HOST}:${out.PORT}`;
	out.SECRET = resolveSecret(env, dataDir);
	out.EXTENSIONS_PATH = resolve(env.EXTENSIONS_PATH ?? join(root, 'extensions'));
	out.STORAGE_LOCAL_ROOT ??= join(dataDir, 'uploads');
	// The owner dialog is skipped when the owner is known at bootstrap.
	out.PROJECT_OWNER ??= out.ADMIN_EMAIL ?? LOCAL_DEFAULTS.ADMIN_EMAIL;
	return out;
}
