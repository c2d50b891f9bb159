import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Our TypeScript imports use `.js` specifiers (NodeNext, so `tsc` can emit the validator library);
 * Rollup in the Directus SDK resolves files literally, so map `./x.js` to `./x.ts` when that exists.
 */
function resolveTsFromJs() {
	return {
		name: 'resolve-ts-from-js',
		resolveId(source, importer) {
			if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
			const candidate = resolve(dirname(importer), source.slice(0, -3) + '.ts');
			return existsSync(candidate) ? candidate : null;
		},
	};
}

export default {
	plugins: [resolveTsFromJs()],
};
