/**
 * PostgreSQL restarted in the middle of a meeting (issue 9). The real `convene start` runs on a
 * PostgreSQL server of its own (stopping the shared test cluster would break other tests), which is
 * stopped as a crash would stop it and started again while a meeting runs.
 *
 * While it is down: the meeting keeps working (reactions between seated clients), every request that needs
 * the database answers at once with the typed `storage_unavailable` (503), never a 500 or a hang, and
 * the process does not crash; a browser-library client whose seat ran out meanwhile keeps retrying
 * instead of giving up. After it is back: writes succeed again, that client has rejoined by itself, and
 * every acknowledged write is there.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { freePort, hostWithMeeting, startConvene, type ConveneProcess } from '../support/conveneProcess.js';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { librarySignaling, until, type LibraryClient } from '../support/librarySignaling.js';
import { jsonCall } from '../support/operators.js';
import { privatePostgres, type PrivatePostgres } from '../support/postgres.js';

/** A JSON call that must be answered within 10 s (a hang fails the test instead of stalling it). */
async function bounded<T>(
  url: string,
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: T }> {
  return Promise.race([
    jsonCall<T>(url, method, route, body, headers),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${method} ${route}: no answer within 10 s`)), 10_000),
    ),
  ]);
}

/** One raw join; resolves with the reply's type and error code. */
function joinOnce(url: string, meetingId: string): Promise<{ type: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    const timer = setTimeout(() => reject(new Error('join: no answer within 10 s')), 10_000);
    ws.on('open', () =>
      ws.send(JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: 'Late' })),
    );
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; rid?: string; code?: string };
      if (msg.rid !== 'j') return;
      clearTimeout(timer);
      ws.close();
      resolve(msg);
    });
    ws.on('error', reject);
  });
}

test(
  'PostgreSQL restarted mid-meeting: the meeting goes on, requests get storage_unavailable, writes resume, nothing acknowledged is lost',
  {
    timeout: 180_000,
  },
  async () => {
    let pg: PrivatePostgres | undefined;
    let server: ConveneProcess | undefined;
    const clients: HeadlessClient[] = [];
    let lib: LibraryClient | undefined;
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-pgrestart-'));
    try {
      pg = await privatePostgres(await freePort());
      server = await startConvene(dataDir, {
        env: { DATABASE_URL: pg.url, CONVENE_RESUME_WINDOW_MS: '1500' },
      });
      const url = server.url;
      const { cookie, csrf, meetingId } = await hostWithMeeting(url, 'pg-host@example.org');
      const auth = { cookie, 'x-csrf-token': csrf };
      const acknowledged = [meetingId];
      for (let i = 0; i < 5; i++) {
        const r = await jsonCall<{ id: string }>(
          url,
          'POST',
          '/api/meetings',
          { title: `before ${i}` },
          auth,
        );
        assert.equal(r.status, 201);
        acknowledged.push(r.body.id);
      }

      const host = await HeadlessClient.join({ url, meetingId, displayName: 'Host', cookie, publish: false });
      clients.push(host);
      const guest = await HeadlessClient.join({ url, meetingId, displayName: 'Guest', publish: false });
      clients.push(guest);
      lib = librarySignaling(url);
      const libraryFirst = await lib.client.join(meetingId, 'Library');
      const left: string[] = [];
      host.events.on('participantLeft', (id) => left.push(id));
      // This library client sends no KeyPackage (it is not an MLS member), so the others are told
      // about it only after the server's 5 s wait for one (docs/protocol.md `participantJoined`).
      await until(() => host.participants().has(libraryFirst.self.id), 15_000, 'the host heard of Library');
      const heard: string[] = [];
      host.events.on(
        'message',
        (m) => m.type === 'reaction' && m.from === guest.id && heard.push(m.reaction),
      );

      await pg.stop();

      // The meeting goes on.
      await guest.request('react', { reaction: 'thumbsUp' });
      await until(() => heard.includes('thumbsUp'), 10_000, 'a reaction delivered during the outage');

      // Requests that need the database: typed, at once.
      const read = await bounded<{ error: { code: string } }>(
        url,
        'GET',
        `/api/meetings/${meetingId}`,
        undefined,
        { cookie },
      );
      assert.equal(read.status, 503);
      assert.equal(read.body.error.code, 'storage_unavailable');
      const write = await bounded<{ error: { code: string } }>(
        url,
        'POST',
        '/api/meetings',
        { title: 'during' },
        auth,
      );
      assert.equal(write.status, 503);
      assert.equal(write.body.error.code, 'storage_unavailable');
      assert.deepEqual(await joinOnce(url, meetingId), {
        v: 1,
        type: 'error',
        rid: 'j',
        code: 'storage_unavailable',
        message: 'The database is not available right now; try again shortly.',
      });

      // A library client loses its network for longer than the resume window: its seat ends, and
      // when it is back the server can only offer a fresh join, which needs the database.
      lib.setOffline(true);
      lib.dropSocket();
      await until(() => left.includes(libraryFirst.self.id), 15_000, 'the dropped seat ran out');
      lib.setOffline(false);
      await until(
        () => lib?.errorCodes.includes('storage_unavailable') === true,
        15_000,
        'the library was refused by the database outage',
      );
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(lib.client.state, 'reconnecting', 'still trying, not given up');
      assert.equal(server.child.exitCode, null, 'convene is still running');

      await pg.start();

      // Writes succeed again (the first one after the restart included), and the client is back.
      const after = await bounded<{ id: string }>(url, 'POST', '/api/meetings', { title: 'after' }, auth);
      assert.equal(after.status, 201);
      acknowledged.push(after.body.id);
      await until(() => lib?.lastReset() !== undefined, 30_000, 'the library rejoined by itself');
      assert.equal(lib.client.state, 'joined');
      await until(
        () => host.participants().has(lib?.lastReset()?.self.id ?? ''),
        10_000,
        'the host sees the rejoined client',
      );
      for (const id of acknowledged) {
        const r = await bounded(url, 'GET', `/api/meetings/${id}`, undefined, { cookie });
        assert.equal(r.status, 200, `meeting ${id} survived`);
      }
      await guest.request('react', { reaction: 'heart' });
      await until(() => heard.includes('heart'), 10_000, 'a reaction delivered after the outage');
      assert.equal(server.child.exitCode, null, 'convene is still running');
    } finally {
      lib?.client.leave();
      await Promise.all(clients.map((c) => c.close()));
      await server?.stop();
      await pg?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
