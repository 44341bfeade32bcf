/**
 * Real meetings through Convene's signaling and a real Janus, with werift headless clients.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ resumeWindowMs: 15_000 });
});
after(async () => {
  await server?.close();
});

const idsExcept = (clients: HeadlessClient[], self: HeadlessClient) =>
  clients.filter((c) => c !== self).map((c) => c.id);

describe('a meeting of ten', () => {
  const clients: HeadlessClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  test("ten clients each receive every other publisher's audio and video", async () => {
    const meetingId = await server.createMeeting('ten');
    for (let i = 0; i < 10; i++) {
      clients.push(
        await HeadlessClient.join({ url: server.url, meetingId, displayName: `client ${i}`, videoPps: 60 }),
      );
    }
    for (const c of clients) await c.waitForMediaFrom(idsExcept(clients, c), { timeoutMs: 20_000 });
    for (const c of clients) {
      assert.equal(c.participants().size, 9, 'roster holds the nine others');
      for (const other of idsExcept(clients, c)) {
        assert.ok(c.received(other, 'audio').packets > 0, 'audio from every other');
        assert.ok(c.received(other, 'video').packets > 0, 'video from every other');
      }
    }
  });

  test('a client that leaves disappears from every roster and its media stops being offered', async () => {
    const leaver = clients.pop();
    assert.ok(leaver);
    await leaver.leave();
    for (const c of clients) {
      await c.waitFor(() => !c.participants().has(leaver.id), 5000);
      await c.waitFor(() => !c.streams().some((s) => s.participantId === leaver.id && s.active), 5000);
    }
    // The others keep receiving each other.
    for (const c of clients) await c.waitForMediaFrom(idsExcept(clients, c), { timeoutMs: 10_000 });
  });
});

describe('resilience', () => {
  const clients: HeadlessClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  test('a dropped WebSocket resumes the same seat; the others never see it leave; media keeps flowing', async () => {
    const meetingId = await server.createMeeting('resume');
    for (let i = 0; i < 3; i++)
      clients.push(await HeadlessClient.join({ url: server.url, meetingId, displayName: `r${i}` }));
    const [a, b, c] = clients as [HeadlessClient, HeadlessClient, HeadlessClient];
    for (const x of clients) await x.waitForMediaFrom(idsExcept(clients, x), { timeoutMs: 15_000 });
    const leftEvents: string[] = [];
    b.events.on('participantLeft', (id) => leftEvents.push(id));
    c.events.on('participantLeft', (id) => leftEvents.push(id));
    const idBefore = a.id;
    const resumed = new Promise<void>((resolve) => a.events.once('resumed', () => resolve()));
    a.dropSocket();
    await resumed;
    assert.equal(a.id, idBefore, 'same participant id after resume');
    assert.equal(a.stats().resumes, 1);
    assert.equal(a.stats().rejoins, 0);
    assert.equal(a.participants().size, 2, 'roster restored from the joined snapshot');
    await a.waitForMediaFrom([b.id, c.id], { timeoutMs: 10_000 });
    await b.waitForMediaFrom([a.id], { timeoutMs: 10_000 });
    assert.deepEqual(leftEvents, [], 'nobody saw the dropped client leave');
    // The resumed connection is a full signaling connection again: a reaction reaches the others.
    const heard = new Promise<string>((resolve) =>
      b.events.on('message', (m) => m.type === 'reaction' && m.from === a.id && resolve(m.reaction)),
    );
    await a.request('react', { reaction: 'clap' });
    assert.equal(await heard, 'clap');
  });

  test('Janus killed with SIGKILL is restarted and every client receives media again within 10 s', async () => {
    const pid = server.janusPid();
    assert.ok(pid, 'Convene supervises a local Janus');
    const restarts = clients.map(
      (c) => new Promise<void>((resolve) => c.events.once('mediaRestart', () => resolve())),
    );
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await Promise.all(restarts);
    const deadline = killedAt + 10_000;
    for (const c of clients) {
      await c.waitForMediaFrom(idsExcept(clients, c), { timeoutMs: Math.max(1, deadline - Date.now()) });
    }
    assert.notEqual(server.janusPid(), pid, 'a new Janus process runs');
    for (const c of clients) {
      assert.equal(c.stats().rejoins, 0, 'nobody rejoined by hand');
      assert.equal(c.participants().size, 2);
    }
  });
});
