/**
 * `prepack` builds from nothing: `tsc` never deletes what an earlier build emitted, so a module that
 * is gone from src/ would otherwise live on in lib/ and in the tarball.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const folder of ['dist', 'lib']) rmSync(join(root, folder), { recursive: true, force: true });
