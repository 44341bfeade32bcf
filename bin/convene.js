#!/usr/bin/env -S MALLOC_TRIM_THRESHOLD_=131072 node
// Executed as a program (`npm start` and the installed `convene` bin both do), the line above runs
// node with glibc's malloc trim threshold fixed at its default, 128 KiB. Left to itself, malloc raises
// that threshold (and the size above which it maps blocks separately) each time a large block is freed,
// as start-up does (PGlite's 10 MB WebAssembly file is read into one), and then keeps ~10 MiB of freed
// memory resident in an idle server (BENCHMARKS.md, bench:footprint). glibc reads it only when the
// process starts, hence the #! line; `node bin/convene.js` runs without it.
//
// Runs the compiled server (dist/server, made by `npm run build`, which `npm start` runs first) when it
// is there and no source file is newer than the build; otherwise the TypeScript sources through tsx's
// loader (a fresh clone, `npm run dev`, or sources edited since the last build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

// The embedded database (PGlite: PostgreSQL compiled to WebAssembly) runs on V8's baseline WebAssembly
// compiler only. The optimising tier kept ~80 MiB more resident in an idle server (264 -> 186 MiB) for
// no measurable change in query time (BENCHMARKS.md, bench:footprint). Nothing else here is WebAssembly.
v8.setFlagsFromString('--liftoff-only');

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/server/.built`;

function newerThan(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory() ? newerThan(p, time) : statSync(p).mtimeMs > time) return true;
  }
  return false;
}

const compiled =
  !process.env.CONVENE_FROM_SOURCE && existsSync(stamp) && !newerThan(`${root}src`, statSync(stamp).mtimeMs);
if (compiled) {
  await import('../dist/server/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
