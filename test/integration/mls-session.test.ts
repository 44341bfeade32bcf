/**
 * The client library's MLS path without a browser: the real SignalingClient (over `ws`) feeding the
 * client's MlsSession, against a real Convene (in-memory media). Three sessions converge on one epoch,
 * safety code and SFrame key; an application message (chat) reaches the others; the session the host
 * removes learns it is out (`mls_removed`) and gets no key for the epoch after its removal.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { MlsSessions, converged, eventually, latest } from '../support/mlsSessions.js';

let server: TestServer;
let sessions: MlsSessions;

before(async () => {
  server = await startTestServer({}, { engine: new MemoryEngine(), mlsTimings: { batchMs: 50 } });
  sessions = new MlsSessions(server.url);
});
after(async () => {
  sessions?.close();
  await server?.close();
});

test('three client sessions share an epoch, chat over MLS, and a removed one is locked out', async () => {
  const { meetingId, hostKey } = await sessions.createMeeting();
  const a = await sessions.join(meetingId, 'Ada', hostKey);
  const b = await sessions.join(meetingId, 'Bo');
  const c = await sessions.join(meetingId, 'Cy');
  const first = await converged([a, b, c]);
  assert.match(first.safetyCode, /^\d{5}( \d{5}){5}$/);
  assert.notEqual(latest(a)?.leafIndex, latest(b)?.leafIndex, 'each has its own leaf');

  assert.equal(await b.session.sendApplication(new TextEncoder().encode('hi from Bo')), true);
  await eventually('chat', () => a.received.length === 1 && c.received.length === 1);
  assert.deepEqual([a.received, b.received, c.received], [['hi from Bo'], [], ['hi from Bo']]);
  // The sender each receiver learns is the one MLS authenticated, not one the payload claims.
  assert.deepEqual([a.senders, c.senders], [[b.id], [b.id]]);

  await a.signaling.request('remove', { participantId: c.id, ban: false });
  const next = await converged([a, b]);
  assert.ok(next.epoch > first.epoch);
  assert.notEqual(next.safetyCode, first.safetyCode);
  assert.ok(!next.roster.some((r) => r.participantId === c.id));
  assert.ok(
    c.epochs.every((e) => e.epoch <= first.epoch),
    'the removed session never held a later epoch',
  );
  assert.deepEqual([a.failures, b.failures], [[], []]);
  // The removed one's socket closes at once; if the removing commit reached it, it says so.
  assert.ok(
    c.failures.every((code) => code === 'mls_removed'),
    c.failures.join(),
  );
});
