/** The HTTP API in-process (Fastify inject) over a real PGlite store: no port, no media. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { redactPath } from '../../src/server/http.js';
import type { Store } from '../../src/store/types.js';
import { openApiApp, type ApiApp } from '../support/apiApp.js';

let api: ApiApp;
let app: FastifyInstance;
let store: Store;

before(async () => {
  api = await openApiApp();
  app = api.app;
  store = api.store;
});
after(async () => {
  await api?.close();
});

const code = (res: LightMyRequestResponse) => res.json<{ error: { code: string } }>().error.code;
const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie']).split(';')[0] ?? '';

interface Host {
  cookie: string;
  csrf: string;
}
/** Signs up (each from its own client, so the per-client sign-up limit stays out of the way), then in. */
async function signUp(email: string, password = 'correct horse battery'): Promise<Host> {
  const headers = { 'x-test-client': `signup:${email}` };
  const res = await app.inject({
    method: 'POST',
    url: '/api/accounts',
    headers,
    payload: { email, password, displayName: 'Host' },
  });
  assert.equal(res.statusCode, 202, res.body);
  const session = await app.inject({
    method: 'POST',
    url: '/api/session',
    headers,
    payload: { email, password },
  });
  assert.equal(session.statusCode, 200, session.body);
  return { cookie: cookieOf(session), csrf: session.json<{ csrfToken: string }>().csrfToken };
}
const as = (h: Host, csrf = true) => ({ cookie: h.cookie, ...(csrf ? { 'x-csrf-token': h.csrf } : {}) });

describe('accounts and sessions', () => {
  test('sign up answers alike for a free and a taken address; the owner is told through the outbox', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { 'x-test-client': 'ada' },
      payload: { email: 'Ada@Example.org', password: 'correct horse battery', displayName: 'Ada' },
    });
    const again = await app.inject({
      method: 'POST',
      url: '/api/accounts',
      headers: { 'x-test-client': 'stranger' },
      payload: { email: 'ada@example.org', password: 'another password', displayName: 'Ada 2' },
    });
    for (const res of [first, again]) {
      assert.equal(res.statusCode, 202);
      assert.deepEqual(res.json(), { status: 'accepted' });
      assert.equal(res.headers['set-cookie'], undefined);
    }
    assert.deepEqual(
      (await store.outbox.listFor('ada@example.org')).map((r) => r.kind),
      ['welcome', 'signup_attempt'],
    );
    // Signing in sets the session cookie; the taken address kept its first password.
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'ada@example.org', password: 'correct horse battery' },
    });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^convene_session=[A-Za-z0-9_-]{40,};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.equal(res.json<{ account: { displayName: string } }>().account.displayName, 'Ada');
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
      headers: { host: 'localhost:8080' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json<{ id: string; title: string; url: string; hostKey?: string }>();
    assert.match(body.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(body.id, 'base64url').length, 16);
    assert.equal(body.url, `http://localhost:8080/m/${body.id}`);
    assert.match(body.hostKey ?? '', /^[A-Za-z0-9_-]{32}$/);
    // Browsers get the host key as an HttpOnly cookie for the signaling path only, named by meeting.
    const setCookie = String(res.headers['set-cookie']);
    assert.ok(setCookie.startsWith(`convene_host_${body.id}=${body.hostKey};`), setCookie);
    assert.match(setCookie, /Path=\/;/);
    assert.match(setCookie, /HttpOnly/);
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
    const history = await app.inject({ url: '/api/meetings', headers: { cookie: host.cookie } });
    const listed = history.json<{ meetings: Array<{ id: string; endedAt: string | null }> }>().meetings;
    assert.deepEqual(
      listed.map((x) => x.id),
      [m.id],
      'an ended meeting stays in the list, as history',
    );
    assert.match(listed[0]?.endedAt ?? '', /^\d{4}-\d\d-\d\dT/);
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

describe('pre-join preview', () => {
  test('an open meeting shows its title; a passcode meeting and a made-up id answer alike; no caching', async () => {
    const create = async (payload: object) =>
      (await app.inject({ method: 'POST', url: '/api/meetings', payload })).json<{ id: string }>().id;
    const open = await create({ title: 'Open house' });
    const closed = await create({ title: 'Secret', settings: { passcode: 'june4th' } });
    const preview = (id: string) => app.inject({ url: `/api/meetings/${id}/preview` });
    const seen = await preview(open);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.headers['cache-control'], 'no-store');
    assert.deepEqual(seen.json(), {
      passcodeRequired: false,
      title: 'Open house',
      entry: 'open',
      webinar: false,
      participants: { count: 0, names: [] },
    });
    const hidden = await preview(closed);
    const missing = await preview('AAAAAAAAAAAAAAAAAAAAAA');
    assert.deepEqual([hidden.statusCode, hidden.json()], [200, { passcodeRequired: true }]);
    assert.deepEqual([missing.statusCode, missing.json()], [200, { passcodeRequired: true }]);
    assert.doesNotMatch(hidden.body, /Secret/);
    assert.equal((await preview('not-an-id')).statusCode, 400);
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
    api.ready = false;
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 503);
    api.ready = true;
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  });

  test('meeting links serve the web app, with no-referrer so links do not leak', async () => {
    const res = await app.inject({ url: '/m/AAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Convene/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });

  test('files added after start-up are served; missing files are 404, app routes fall back to the app', async () => {
    writeFileSync(path.join(api.webRoot, 'late.js'), 'export {}');
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
