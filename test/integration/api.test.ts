/** The HTTP API in-process (Fastify inject) over a real PGlite store: no port, no media. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { AccountService } from '../../src/app/AccountService.js';
import { CaseService } from '../../src/app/cases/CaseService.js';
import { OperatorService } from '../../src/app/cases/OperatorService.js';
import { InProcessBus } from '../../src/bus/InProcessBus.js';
import { MeetingService } from '../../src/app/MeetingService.js';
import type { MediaEngine } from '../../src/media/types.js';
import { buildHttp, redactPath } from '../../src/server/http.js';
import { Sessions } from '../../src/server/routes/session.js';
import { openStore } from '../../src/store/Store.js';
import type { Store } from '../../src/store/types.js';

// These routes never touch media; an engine that refuses everything proves it.
const noMedia = {
  closed: false,
  ready: false,
  createRoom: () => Promise.reject(new Error('no media in this test')),
} as unknown as MediaEngine;
const logger = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(os.tmpdir(), 'convene-api-'));
const webRoot = path.join(dir, 'web');
let store: Store;
let app: FastifyInstance;
let ready = false;

before(async () => {
  store = await openStore({ dataDir: dir, logger });
  const bus = new InProcessBus(logger);
  const service = new MeetingService({
    engine: noMedia,
    store,
    bus,
    logger,
    resumeWindowMs: 1000,
    maxParticipantsPerMeeting: 10,
  });
  const accounts = new AccountService(store);
  writeFileSync(path.join(dir, 'placeholder'), '');
  rmSync(webRoot, { recursive: true, force: true });
  (await import('node:fs')).mkdirSync(webRoot);
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Convene</title>');
  app = buildHttp({
    service,
    accounts,
    operators: new OperatorService(store, () => 'http://localhost'),
    cases: new CaseService(store, bus, service, 90),
    secureCookies: false,
    sessions: new Sessions(accounts, false),
    // Stands in for geo's per-client key, so a test can act as a separate client.
    clientKey: (req) => String(req.headers['x-test-client'] ?? 'test-client'),
    logger,
    webRoot,
    publicUrl: undefined,
    ready: () => ready,
  });
});
after(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = (res: LightMyRequestResponse) => res.json<{ error: { code: string } }>().error.code;
const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie']).split(';')[0] ?? '';

interface Host {
  cookie: string;
  csrf: string;
}
async function signUp(email: string, password = 'correct horse battery'): Promise<Host> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { email, password, displayName: 'Host' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
}
const as = (h: Host, csrf = true) => ({ cookie: h.cookie, ...(csrf ? { 'x-csrf-token': h.csrf } : {}) });

describe('accounts and sessions', () => {
  test('sign up sets an HttpOnly SameSite session cookie and returns the account', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: 'Ada@Example.org', password: 'correct horse battery', displayName: 'Ada' },
    });
    assert.equal(res.statusCode, 201);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^convene_session=[A-Za-z0-9_-]{40,};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.equal(res.json<{ account: { email: string } }>().account.email, 'ada@example.org');
    const again = await app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: 'ada@example.org', password: 'another password', displayName: 'Ada 2' },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(code(again), 'email_taken');
  });

  test('sign in: wrong password and unknown email give the same answer', async () => {
    await signUp('grace@example.org');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'grace@example.org', password: 'nope nope' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'who@example.org', password: 'nope nope' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    const ok = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'GRACE@example.org', password: 'correct horse battery' },
    });
    assert.equal(ok.statusCode, 200);
    const me = await app.inject({ url: '/api/session', headers: { cookie: cookieOf(ok) } });
    assert.equal(me.json<{ account: { email: string } }>().account.email, 'grace@example.org');
  });

  test('failed sign-ins are rate-limited, even with the right password afterwards', async () => {
    await signUp('linus@example.org');
    for (let i = 0; i < 10; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'x-test-client': 'linus' },
        payload: { email: 'linus@example.org', password: `wrong ${i}` },
      });
      assert.equal(r.statusCode, 401);
    }
    // Another client, right password: the account itself is protected, not only the client.
    const limited = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-test-client': 'elsewhere' },
      payload: { email: 'linus@example.org', password: 'correct horse battery' },
    });
    assert.equal(limited.statusCode, 429);
    assert.equal(code(limited), 'rate_limited');
  });

  test('sign out needs the CSRF token, then the session is gone', async () => {
    const h = await signUp('barbara@example.org');
    const noToken = await app.inject({ method: 'DELETE', url: '/api/session', headers: as(h, false) });
    assert.equal(noToken.statusCode, 403);
    assert.equal(code(noToken), 'csrf_failed');
    assert.equal((await app.inject({ url: '/api/session', headers: { cookie: h.cookie } })).statusCode, 200);
    assert.equal(
      (await app.inject({ method: 'DELETE', url: '/api/session', headers: as(h) })).statusCode,
      204,
    );
    const after = await app.inject({ url: '/api/session', headers: { cookie: h.cookie } });
    assert.equal(after.statusCode, 401);
    assert.equal(code(after), 'not_signed_in');
  });

  test('bad bodies are refused, never coerced', async () => {
    for (const payload of [
      { email: 'x@y', password: 'short', displayName: 'A' },
      { email: 5, password: 'long enough', displayName: 'A' },
      { email: 'a@b', password: 'long enough', displayName: 'A', admin: true },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/accounts', payload });
      assert.equal(res.statusCode, 400);
      assert.equal(code(res), 'bad_request');
    }
  });
});

describe('meetings', () => {
  test('anonymous creation returns a 128-bit id and a host key once', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      payload: { title: 'Vigil' },
      headers: { host: 'meet.test' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json<{ id: string; title: string; url: string; hostKey?: string }>();
    assert.match(body.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(body.id, 'base64url').length, 16);
    assert.equal(body.url, `http://meet.test/m/${body.id}`);
    assert.match(body.hostKey ?? '', /^[A-Za-z0-9_-]{32}$/);
    const row = await store.meetings.get(body.id);
    assert.ok(
      row && row.hostKeyHash && !row.hostKeyHash.includes(body.hostKey ?? '-'),
      'only a hash is stored',
    );
  });

  test('a host schedules, lists, reads, edits and ends a meeting; others see not_found', async () => {
    const host = await signUp('host1@example.org');
    const other = await signUp('host2@example.org');
    const created = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      headers: as(host),
      payload: {
        title: 'Board',
        scheduledFor: '2027-01-02T10:00:00Z',
        settings: {
          lobby: true,
          passcode: 'tiananmen89',
          maxParticipants: 250,
          regionPolicy: { mode: 'deny', jurisdictions: ['CN'] },
        },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const m = created.json<{
      id: string;
      url: string;
      hostKey?: string;
      settings: Record<string, unknown>;
    }>();
    assert.equal(m.hostKey, undefined, 'account-owned meetings need no host key');
    assert.match(m.url, /#pwd=tiananmen89$/);
    assert.equal(m.settings.hasPasscode, true);
    const list = await app.inject({ url: '/api/meetings', headers: { cookie: host.cookie } });
    assert.deepEqual(
      list.json<{ meetings: Array<{ id: string }> }>().meetings.map((x) => x.id),
      [m.id],
    );
    assert.equal(
      (await app.inject({ url: `/api/meetings/${m.id}`, headers: { cookie: other.cookie } })).statusCode,
      404,
    );
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/meetings/${m.id}`,
      headers: as(host),
      payload: { settings: { webinar: true, passcode: null } },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const s = patched.json<{ settings: Record<string, unknown> }>().settings;
    assert.equal(s.webinar, true);
    assert.equal(s.hasPasscode, false);
    assert.equal(s.lobby, true, 'settings merge key by key');
    const byOther = await app.inject({
      method: 'PATCH',
      url: `/api/meetings/${m.id}`,
      headers: as(other),
      payload: { title: 'mine now' },
    });
    assert.equal(byOther.statusCode, 404);
    assert.equal((await store.meetings.get(m.id))?.title, 'Board', 'nothing changed');
    const noCsrf = await app.inject({
      method: 'DELETE',
      url: `/api/meetings/${m.id}`,
      headers: as(host, false),
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(
      (await app.inject({ method: 'DELETE', url: `/api/meetings/${m.id}`, headers: as(host) })).statusCode,
      204,
    );
    assert.ok((await store.meetings.get(m.id))?.endedAt);
  });

  test('bad meeting bodies are refused and create nothing', async () => {
    const host = await signUp('host3@example.org');
    for (const payload of [
      { title: 5 },
      { title: 'x'.repeat(201) },
      { extra: true },
      { settings: { regionPolicy: { mode: 'deny', jurisdictions: ['china'] } } },
      { settings: { maxParticipants: 1 } },
      { scheduledFor: 'tomorrow' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/meetings', headers: as(host), payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(code(res), 'bad_request');
    }
    const list = await app.inject({ url: '/api/meetings', headers: { cookie: host.cookie } });
    assert.deepEqual(list.json<{ meetings: unknown[] }>().meetings, []);
  });
});

describe('serving', () => {
  test('unknown API paths are not_found', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(code(res), 'not_found');
  });

  test('health and readiness', async () => {
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
    ready = false;
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 503);
    ready = true;
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  });

  test('meeting links serve the web app, with no-referrer so links do not leak', async () => {
    const res = await app.inject({ url: '/m/AAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Convene/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });

  test('files added after start-up are served; missing files are 404, app routes fall back to the app', async () => {
    writeFileSync(path.join(webRoot, 'late.js'), 'export {}');
    const late = await app.inject({ url: '/late.js' });
    assert.equal(late.statusCode, 200);
    assert.match(String(late.headers['content-type']), /javascript/);
    assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404);
    const route = await app.inject({ url: '/some/app/route' });
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /Convene/);
  });

  test('log lines never carry meeting ids or query strings', () => {
    assert.equal(redactPath('/m/AAAAAAAAAAAAAAAAAAAAAA?name=x'), '/m/:id');
    assert.equal(redactPath('/api/meetings'), '/api/meetings');
  });
});
