/**
 * `npm run bench:fuzz`: the fault suite's fuzzing at scale (issue 9). The same generators and
 * properties as test/integration/fuzz.test.ts (test/support/fuzz.ts):
 * - FUZZ_FRAMES (default 1,000,000) generated signaling frames through the parser: each is accepted
 *   and matches its schema, or is a typed error;
 * - FUZZ_BODIES (default 10,000) generated JSON bodies spread over every HTTP body route, in process
 *   (Fastify inject) over a real PGlite store: never a 500, every 4xx a typed error, and every 4xx
 *   leaves every table's digest unchanged (two digests per request make this the slow half).
 * Prints counts by outcome, status and code; exits non-zero on the first violation (with the seed and
 * the shrunk input). FUZZ_SEED fixes the seed.
 */
import fc from 'fast-check';
import { openApiApp } from '../test/support/apiApp.js';
import { bodyNear, checkFrame, checkRequest, frames, type HttpFuzzCounts } from '../test/support/fuzz.js';
import { httpFuzzTargets } from '../test/support/fuzzTargets.js';
import { machineSummary } from './lib.js';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 1_000_000);
const BODIES = Number(process.env.FUZZ_BODIES ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

console.log(`bench:fuzz  ${machineSummary()}  seed ${seed}`);

let started = performance.now();
const outcomes: Record<string, number> = {};
fc.assert(
  fc.property(frames, (raw) => {
    const outcome = checkFrame(raw);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }),
  { numRuns: FRAMES, seed },
);
const frameSeconds = (performance.now() - started) / 1000;
console.log(`signaling frames: ${FRAMES} in ${frameSeconds.toFixed(1)} s, 0 violations`);
console.log(`  outcomes ${JSON.stringify(outcomes)}`);

const api = await openApiApp();
try {
  const { ctx, routes } = await httpFuzzTargets(api);
  const perRoute = Math.max(1, Math.ceil(BODIES / routes.length));
  const counts: HttpFuzzCounts = { requests: 0, byStatus: {}, byCode: {} };
  started = performance.now();
  for (const [i, route] of routes.entries()) {
    await fc.assert(
      fc.asyncProperty(bodyNear(route.seed), (payload) => checkRequest(ctx, route, payload, counts)),
      { numRuns: perRoute, seed: seed + i },
    );
  }
  const httpSeconds = (performance.now() - started) / 1000;
  console.log(
    `HTTP bodies: ${counts.requests} over ${routes.length} routes in ${httpSeconds.toFixed(1)} s, 0 violations ` +
      '(no 5xx, every 4xx typed, no 4xx changed a table)',
  );
  console.log(`  by status ${JSON.stringify(counts.byStatus)}`);
  console.log(`  by code ${JSON.stringify(counts.byCode)}`);
  console.log(`total generated inputs: ${FRAMES + counts.requests}`);
} finally {
  await api.close();
}
