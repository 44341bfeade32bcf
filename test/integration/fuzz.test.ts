/**
 * Fuzzing, the test-suite run (issue 9 fault suite): a few thousand generated signaling frames through
 * the parser and a few thousand generated JSON bodies through every HTTP body route, in process over a
 * real PGlite store. Every input gets a typed answer (never a 500, never a crash) and an invalid one
 * changes nothing stored. `npm run bench:fuzz` runs the same properties over a million inputs and
 * more (BENCHMARKS.md). Seeded: a failure prints the seed and the shrunk input to replay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { openApiApp, type ApiApp } from '../support/apiApp.js';
import { bodyNear, checkFrame, checkRequest, frames, type HttpFuzzCounts } from '../support/fuzz.js';
import { httpFuzzTargets } from '../support/fuzzTargets.js';

const FRAMES = 5000;
const BODIES_PER_ROUTE = 100;

describe('signaling parser', () => {
  test(`${FRAMES} generated frames: accepted ones match their schema, the rest are typed errors`, (t) => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(frames, (raw) => {
        const outcome = checkFrame(raw);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: FRAMES },
    );
    t.diagnostic(JSON.stringify(Object.fromEntries(outcomes)));
    // The generator reaches past the envelope: schema failures, not only JSON and version errors.
    assert.ok((outcomes.get('bad_message') ?? 0) > FRAMES / 10, 'mostly schema-level rejections');
    assert.ok((outcomes.get('accepted') ?? 0) > 0, 'some mutations stay valid');
  });
});

describe('HTTP JSON bodies', () => {
  let api: ApiApp;
  before(async () => {
    api = await openApiApp();
  });
  after(async () => {
    await api?.close();
  });

  test('every body route: below 500, typed 4xx errors, and a 4xx changes nothing stored', async (t) => {
    const { ctx, routes } = await httpFuzzTargets(api);
    // Found by bench:fuzz: PostgreSQL text cannot hold U+0000, and a meeting title, a passcode, an
    // email, an appeal or a case field with one was a 500. Every string of every seed, NUL-poisoned.
    const nulCounts: HttpFuzzCounts = { requests: 0, byStatus: {}, byCode: {} };
    for (const route of routes) {
      for (const field of Object.keys(route.seed)) {
        const value = route.seed[field];
        if (typeof value !== 'string') continue;
        const payload = JSON.stringify({ ...route.seed, [field]: `${value}\u0000` });
        await checkRequest(ctx, route, payload, nulCounts);
      }
    }
    const create = routes.find((r) => r.method === 'POST' && r.url === '/api/meetings');
    assert.ok(create);
    await checkRequest(
      ctx,
      create,
      JSON.stringify({ title: 'x', settings: { passcode: 'a\u0000b' } }),
      nulCounts,
    );
    assert.deepEqual(Object.keys(nulCounts.byStatus), ['400'], JSON.stringify(nulCounts));

    const counts: HttpFuzzCounts = { requests: 0, byStatus: {}, byCode: {} };
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(bodyNear(route.seed), (payload) => checkRequest(ctx, route, payload, counts)),
        { numRuns: BODIES_PER_ROUTE },
      );
    }
    t.diagnostic(JSON.stringify(counts));
    assert.equal(counts.requests, routes.length * BODIES_PER_ROUTE);
    assert.ok((counts.byCode['bad_request'] ?? 0) > counts.requests / 4, 'most bodies are refused by schema');
  });
});
