/**
 * Abuse limits and browser protections of the HTTP API, in-process over a real PGlite store: sign-in
 * attempts counted before the slow check, per-client sign-up and meeting-creation limits, the CSP and
 * frame headers, and the Host allowlist.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { errorCode as code, openApiApp, type ApiApp } from '../support/apiApp.js';

let api: ApiApp;
let app: FastifyInstance;

before(async () => {
  api = await openApiApp();
  app = api.app;
});
after(async () => {
  await api?.close();
});

describe('abuse limits', () => {
  test('sign-ups are limited per client', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        headers: { 'x-test-client': 'signup-flood' },
        payload: { email: `flood${i}@example.org`, password: 'correct horse battery', displayName: 'F' },
      });
      codes.push(res.statusCode);
    }
    assert.deepEqual(codes, [202, 202, 202, 202, 202, 429, 429]);
  });

  test('meeting creation is limited per client', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/meetings',
        headers: { 'x-test-client': 'meeting-flood' },
        payload: {},
      });
      last = res.statusCode;
      if (i < 30) assert.equal(res.statusCode, 201);
    }
    assert.equal(last, 429);
    const other = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      headers: { 'x-test-client': 'someone-else' },
      payload: {},
    });
    assert.equal(other.statusCode, 201);
  });

  test('parallel wrong passwords are counted before the slow check; a stranger cannot lock the owner out', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { 'x-test-client': 'linus-signup' },
      payload: { email: 'linus@example.org', password: 'correct horse battery', displayName: 'Linus' },
    });
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/session',
          headers: { 'x-test-client': 'guesser' },
          payload: { email: 'linus@example.org', password: `wrong ${i}` },
        }),
      ),
    );
    const statuses = attempts.map((r) => r.statusCode);
    assert.ok(statuses.filter((s) => s === 401).length <= 2, statuses.join(','));
    assert.ok(statuses.filter((s) => s === 429).length >= 38, statuses.join(','));
    // A few more guesses in a row, and the guesser must wait, even with the right password.
    let refused = 0;
    for (let i = 0; i < 6 && refused === 0; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'x-test-client': 'guesser' },
        payload: { email: 'linus@example.org', password: `again ${i}` },
      });
      if (r.statusCode === 429) refused = i + 1;
    }
    assert.ok(refused > 0 && refused <= 4, `refused after ${refused}`);
    const guesser = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-test-client': 'guesser' },
      payload: { email: 'linus@example.org', password: 'correct horse battery' },
    });
    assert.equal(code(guesser), 'rate_limited');
    // The owner, from another client, signs in.
    const owner = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-test-client': 'owner' },
      payload: { email: 'linus@example.org', password: 'correct horse battery' },
    });
    assert.equal(owner.statusCode, 200, owner.body);
  });
});

describe('browser protections', () => {
  test('every answer carries a strict CSP with frame-ancestors none, and X-Frame-Options DENY', async () => {
    for (const url of ['/', '/m/AAAAAAAAAAAAAAAAAAAAAA', '/healthz', '/api/session']) {
      const res = await app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      // WebAssembly compilation (background blur) is the one exception; JavaScript eval stays off.
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, url);
      assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
    }
  });
});

describe('Host allowlist', () => {
  test('a request naming another host gets bad_host (421), before any route runs', async () => {
    for (const url of ['/healthz', '/api/session', '/']) {
      const res = await app.inject({ url, headers: { host: 'rebind.attacker.example:8080' } });
      assert.equal(res.statusCode, 421, url);
      assert.equal(code(res), 'bad_host');
    }
    const ok = await app.inject({ url: '/healthz', headers: { host: '127.0.0.1:8080' } });
    assert.equal(ok.statusCode, 200);
  });
});
