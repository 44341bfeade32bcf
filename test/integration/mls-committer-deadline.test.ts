/**
 * Issue 8, found by bench:mls-storm: the designated committer's deadline runs from the first commit
 * request of an epoch. The server asks the committer again each time more proposals gather within the
 * epoch (every join of a storm does); asking again used to restart the deadline, so a committer that
 * stayed silent was never passed over while joins kept coming, and nobody joined until they stopped.
 *
 * Headless MLS members over the real signaling (test/support/MlsClient.ts), in-memory media engine.
 * Joins come every 400 ms, more often than the 1 s deadline; the test checks the order of events (the
 * next member was asked before the last join went out), not how long anything took.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { MlsClient } from '../support/MlsClient.js';
import { startTestServer, type TestServer } from '../support/server.js';

const JOINERS = 6;
const JOIN_EVERY_MS = 400;

let server: TestServer;
const clients: MlsClient[] = [];

before(async () => {
  server = await startTestServer(
    { geo: { trustedProxies: ['127.0.0.1', '::1'] } },
    { engine: new MemoryEngine(), mlsTimings: { batchMs: 50, commitDeadlineMs: 1000 } },
  );
});
after(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

const join = async (meetingId: string, name: string, n: number) => {
  const c = await MlsClient.join({
    url: server.url,
    meetingId,
    displayName: name,
    forwardedFor: `10.7.0.${n}`,
  });
  clients.push(c);
  return c;
};

const inGroup = (c: MlsClient, ids: string[]) => {
  const roster = new Set(c.member?.roster().map((m) => m.participantId));
  return ids.every((id) => roster.has(id));
};

test('a silent committer is passed over while joins keep coming', async () => {
  const meetingId = await server.createMeeting('Deadline');
  const first = await join(meetingId, 'First', 1);
  const second = await join(meetingId, 'Second', 2);
  await second.waitFor(() => inGroup(second, [first.id, second.id]), 15_000, 'the first commit');
  await first.waitFor(() => inGroup(first, [first.id, second.id]), 15_000, 'the first commit');
  assert.equal(first.member?.leafIndex, 0, 'the first member is the designated committer');
  first.answersCommitRequests = false;
  const silentFrom = Number(first.member?.epoch);

  const asked = () => second.messages.filter((m) => m.type === 'mlsCommitRequest').length;
  let askedBeforeLastJoin = 0;
  const joining: Promise<MlsClient>[] = [];
  for (let i = 0; i < JOINERS; i++) {
    if (i === JOINERS - 1) askedBeforeLastJoin = asked();
    joining.push(join(meetingId, `Joiner ${i}`, 10 + i));
    await new Promise((r) => setTimeout(r, JOIN_EVERY_MS));
  }
  const joiners = await Promise.all(joining);
  assert.ok(
    askedBeforeLastJoin > 0,
    'the next member was asked to commit while joins were still coming (the deadline was not restarted)',
  );

  const everyone = [first, second, ...joiners];
  const ids = everyone.map((c) => c.id);
  for (const c of everyone) await c.waitFor(() => inGroup(c, ids), 20_000, 'everyone in the group');
  const epochs = new Set(everyone.map((c) => c.member?.epoch));
  assert.equal(epochs.size, 1, 'one epoch');
  for (const c of everyone) assert.deepEqual(c.failures, [], `${c.opts.displayName} processed everything`);
  assert.equal(
    first.messages.some((m) => m.type === 'mlsCommitResult' && m.accepted && m.epoch > silentFrom),
    false,
    'the silent committer committed nothing',
  );
});
