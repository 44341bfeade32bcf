/**
 * The client library's MLS path without a browser: the real SignalingClient (over `ws`) feeding the
 * client's MlsSession, against a real Convene (in-memory media). Three sessions converge on one epoch,
 * safety code and SFrame key; an application message (chat) reaches the others; the session the host
 * removes learns it is out (`mls_removed`) and gets no key for the epoch after its removal.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { MlsSession, type EpochInfo } from '../../src/client/e2ee/MlsSession.js';
import { SignalingClient } from '../../src/client/SignalingClient.js';
import type { SocketLike } from '../../src/client/socket.js';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
const opened: SignalingClient[] = [];

before(async () => {
  server = await startTestServer({}, { engine: new MemoryEngine(), mlsTimings: { batchMs: 50 } });
});
after(async () => {
  for (const s of opened) s.leave();
  await server?.close();
});

interface Member {
  id: string;
  signaling: SignalingClient;
  session: MlsSession;
  epochs: EpochInfo[];
  received: string[];
  failures: string[];
}

async function join(meetingId: string, name: string, hostKey?: string): Promise<Member> {
  const signaling = new SignalingClient({
    url: `${server.url.replace(/^http/, 'ws')}/ws`,
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  opened.push(signaling);
  const joined = await signaling.join(meetingId, name, hostKey ? { hostKey } : {});
  const session = new MlsSession(
    { participantId: joined.self.id, displayName: joined.self.displayName },
    joined.participants.map((p) => ({ participantId: p.id, displayName: p.displayName })),
    (type, payload) => signaling.send(type, payload),
  );
  const m: Member = { id: joined.self.id, signaling, session, epochs: [], received: [], failures: [] };
  signaling.on('mls', (message) => void session.handle(message));
  signaling.on('participantJoined', ({ participant }) =>
    session.announce({ participantId: participant.id, displayName: participant.displayName }),
  );
  signaling.on('participantsLeft', ({ participantIds }) =>
    participantIds.forEach((id) => session.withdraw(id)),
  );
  session.on('epoch', (info) => m.epochs.push(info));
  session.on('application', (data) => m.received.push(new TextDecoder().decode(data)));
  session.on('failed', ({ code }) => m.failures.push(code));
  await session.start();
  return m;
}

async function eventually(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const latest = (m: Member) => m.epochs.at(-1);

async function converged(group: Member[]): Promise<EpochInfo> {
  const ids = group.map((m) => m.id).sort();
  await eventually('one epoch', () => {
    const [first] = group.map(latest);
    return group.every((m) => {
      const e = latest(m);
      return (
        e !== undefined &&
        e.epoch === first?.epoch &&
        e.roster
          .map((r) => r.participantId)
          .sort()
          .join() === ids.join()
      );
    });
  });
  const infos = group.map((m) => latest(m) as EpochInfo);
  for (const info of infos) {
    assert.equal(info.safetyCode, infos[0]?.safetyCode);
    assert.deepEqual(info.secret, infos[0]?.secret);
  }
  return infos[0] as EpochInfo;
}

test('three client sessions share an epoch, chat over MLS, and a removed one is locked out', async () => {
  const created = await fetch(`${server.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { id: meetingId, hostKey } = (await created.json()) as { id: string; hostKey: string };
  const a = await join(meetingId, 'Ada', hostKey);
  const b = await join(meetingId, 'Bo');
  const c = await join(meetingId, 'Cy');
  const first = await converged([a, b, c]);
  assert.match(first.safetyCode, /^\d{5}( \d{5}){5}$/);
  assert.notEqual(latest(a)?.leafIndex, latest(b)?.leafIndex, 'each has its own leaf');

  assert.equal(await b.session.sendApplication(new TextEncoder().encode('hi from Bo')), true);
  await eventually('chat', () => a.received.length === 1 && c.received.length === 1);
  assert.deepEqual([a.received, b.received, c.received], [['hi from Bo'], [], ['hi from Bo']]);

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
