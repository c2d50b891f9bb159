import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.js';

/**
 * Directus signs sessions with `SECRET`. In production it must be given; on a developer machine we
 * make one and keep it in the data folder so sessions survive a restart.
 * @param {Record<string, string | undefined>} env
 * @param {string} dataDir
 */
export function resolveSecret(env, dataDir) {
	if (env.SECRET) return env.SECRET;
	if (env.NODE_ENV === 'production') {
		throw new StartupError('SECRET is required when NODE_ENV=production (a long random string).');
	}
	const file = join(dataDir, '.secret');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(dataDir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	writeFileSync(file, secret, { mode: 0o600 });
	return secret;
}

/** A random password for the first admin, printed once. */
export function generatePassword() {
	return randomBytes(15).toString('base64url');
}
