import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.js';

/**
 * Lays out `extensionsPath` (Directus's `EXTENSIONS_PATH`) with our built bundle: a folder holding
 * the manifest and `dist/`. Generated content: it is wiped and rewritten on every start, so it can
 * never drift from the last build.
 * @param {string} root the package root
 * @param {string} extensionsPath
 */
export function prepareExtensions(root, extensionsPath) {
	const dist = join(root, 'dist');
	if (!existsSync(join(dist, 'api.js')) || !existsSync(join(dist, 'app.js'))) {
		throw new StartupError('The bundle is not built: run `npm run build` first.');
	}
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const target = join(extensionsPath, manifest.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const { name, version, type } = manifest;
	writeFileSync(
		join(target, 'package.json'),
		JSON.stringify({ name, version, type, 'directus:extension': manifest['directus:extension'] }, null, '\t'),
	);
	cpSync(dist, join(target, 'dist'), { recursive: true });
	return target;
}
