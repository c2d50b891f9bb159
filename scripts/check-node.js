import { assertNode22 } from './lib/node-version.js';

try {
	assertNode22();
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
}
