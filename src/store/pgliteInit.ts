/**
 * Child-process entry: creates a PGlite cluster in the directory given as the first argument and
 * exits, so the memory initdb needed dies with this process (pglite.ts `openPGlite`).
 */
import { initialiseCluster } from './pglite.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: pgliteInit <data directory>\n');
  process.exit(2);
}
await initialiseCluster(dir);
