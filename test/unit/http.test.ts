/** The HTTP API in-process (Fastify inject): no port, no media. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { MeetingService } from '../../src/app/MeetingService.js';
import type { MediaEngine } from '../../src/media/types.js';
import { buildHttp, redactPath } from '../../src/server/http.js';

// Creating meetings never touches media; an engine that refuses everything proves it.
const noMedia = {
  closed: false,
  ready: false,
  createRoom: () => Promise.reject(new Error('no media in this test')),
} as unknown as MediaEngine;
const logger = pino({ level: 'silent' });
const service = new MeetingService({
  engine: noMedia,
  logger,
  resumeWindowMs: 1000,
  maxParticipantsPerMeeting: 10,
});
const webRoot = mkdtempSync(path.join(os.tmpdir(), 'convene-web-'));
writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Convene</title>');
let ready = false;
const app = buildHttp({ service, logger, webRoot, publicUrl: undefined, ready: () => ready });
after(() => app.close());

describe('HTTP API', () => {
  test('POST /api/meetings creates a meeting with a 128-bit URL-safe id', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      payload: { title: 'Vigil' },
      headers: { host: 'meet.test' },
    });
    assert.equal(res.statusCode, 201);
    const body = res.json<{ id: string; title: string; url: string }>();
    assert.match(body.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(body.id, 'base64url').length, 16);
    assert.equal(body.title, 'Vigil');
    assert.equal(body.url, `http://meet.test/m/${body.id}`);
    assert.ok(service.getMeeting(body.id));
  });

  test('ids do not repeat', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++)
      ids.add(
        (await app.inject({ method: 'POST', url: '/api/meetings', payload: {} })).json<{ id: string }>().id,
      );
    assert.equal(ids.size, 200);
  });

  test('bad bodies get bad_request and create nothing', async () => {
    const before = (await app.inject({ method: 'POST', url: '/api/meetings', payload: {} })).json<{
      id: string;
    }>().id;
    for (const payload of [{ title: 5 }, { title: 'x'.repeat(201) }, { extra: true }]) {
      const res = await app.inject({ method: 'POST', url: '/api/meetings', payload });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'bad_request');
    }
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/meetings',
      payload: '{"title":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json<{ error: { code: string } }>().error.code, 'bad_request');
    assert.ok(service.getMeeting(before));
  });

  test('unknown API paths are not_found', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'not_found');
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
