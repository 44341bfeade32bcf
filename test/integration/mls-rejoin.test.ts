/**
 * Recovery of a client that missed MLS handshake messages (docs/e2ee.md "Recovery"), through the real
 * signaling and the client library's MlsSession against a real Convene (in-memory media): a member
 * whose socket is down while the group changes resumes its seat, learns from `mlsStatus` that it
 * missed commits, rejoins with a fresh KeyPackage and is back at the others' epoch and safety code,
 * reading what is sent next; the others see one commit that removes and re-adds it, never a roster
 * without it. A removed seat cannot come back, and bad `mlsRejoin` messages get typed errors and
 * change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { errorCode } from '../../src/client/ClientError.js';
import { prepareJoin } from '../../src/e2ee/mls/index.js';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { MlsSessions, converged, eventually, latest, type SessionMember } from '../support/mlsSessions.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let sessions: MlsSessions;

before(async () => {
  server = await startTestServer(
    { resumeWindowMs: 60_000 },
    { engine: new MemoryEngine(), mlsTimings: { batchMs: 50 } },
  );
  sessions = new MlsSessions(server.url);
});
after(async () => {
  sessions?.close();
  await server?.close();
});

const text = (s: string) => new TextEncoder().encode(s);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** Every epoch `m` held from `from` on had `id` in its roster. */
const keptMember = (m: SessionMember, id: string, from: bigint) =>
  m.epochs.filter((e) => e.epoch >= from).every((e) => e.roster.some((r) => r.participantId === id));

test('a member that missed commits while its socket was down resumes and rejoins the group by itself', async () => {
  const { meetingId, hostKey } = await sessions.createMeeting();
  const a = await sessions.join(meetingId, 'Ada', hostKey);
  const b = await sessions.join(meetingId, 'Bo');
  const c = await sessions.join(meetingId, 'Cy');
  const start = await converged([a, b, c]);
  const bEpochsBefore = b.epochs.length;

  b.cut();
  await eventually('the server to see the drop', () => b.signaling.state === 'reconnecting');
  // While b is away the group changes twice: d joins, then c leaves.
  const d = await sessions.join(meetingId, 'Di');
  await converged([a, c, d], [a, b, c, d]);
  c.signaling.leave();
  const away = await converged([a, d], [a, b, d]);
  assert.ok(away.epoch >= start.epoch + 2n);
  assert.equal(b.epochs.length, bEpochsBefore, 'b missed every commit');

  b.reconnect();
  const back = await converged([a, b, d]);
  assert.deepEqual(b.failures, []);
  assert.equal(b.rejoins.length, 1, b.rejoins.join('; '));
  assert.match(b.rejoins[0] ?? '', /moved to epoch/);
  assert.equal(back.epoch, away.epoch + 1n, 'one commit brought b back');
  assert.notEqual(back.safetyCode, away.safetyCode, 'keys rotated');
  assert.equal(latest(b)?.safetyCode, latest(a)?.safetyCode);
  // The others never held an epoch without b: a rejoin, not a leave and a ghost.
  assert.ok(keptMember(a, b.id, start.epoch), 'b stayed in every roster a held');
  assert.ok(keptMember(d, b.id, 0n), 'b stayed in every roster d held');

  assert.equal(await d.session.sendApplication(text('after the rejoin')), true);
  await eventually('b reads the next message', () => b.received.includes('after the rejoin'));
  assert.equal(await b.session.sendApplication(text('b is back')), true);
  await eventually(
    'the others read b',
    () => a.received.includes('b is back') && d.received.includes('b is back'),
  );
  assert.deepEqual([a.failures, d.failures], [[], []]);
});

test('a member whose Welcome was lost while away rejoins too', async () => {
  const { meetingId, hostKey } = await sessions.createMeeting();
  const a = await sessions.join(meetingId, 'Ada', hostKey);
  await converged([a]);
  // Cut when the server has e's KeyPackage (its answer is the external-sender key) and before the
  // batch closes: the commit adding e and its Welcome go to a dead socket.
  const e = await sessions.join(meetingId, 'Eve', undefined, (m) =>
    m.signaling.once('mls', (message) => {
      assert.equal(message.type, 'mlsExternalSender');
      m.cut();
    }),
  );
  await converged([a], [a, e]);
  assert.equal(e.epochs.length, 0, 'e never got its Welcome');
  e.reconnect();
  await converged([a, e]);
  assert.deepEqual(e.failures, []);
  assert.equal(e.rejoins.length, 1);
});

test('a removed seat cannot resume or rejoin the group', async () => {
  const { meetingId, hostKey } = await sessions.createMeeting();
  const a = await sessions.join(meetingId, 'Ada', hostKey);
  const b = await sessions.join(meetingId, 'Bo');
  const x = await sessions.join(meetingId, 'Xi');
  await converged([a, b, x]);
  await a.signaling.request('remove', { participantId: x.id, ban: true });
  const after = await converged([a, b]);
  await eventually('x is closed', () => x.signaling.state === 'closed');
  assert.deepEqual(x.rejoins, [], 'a removed session does not try to rejoin');
  assert.ok(x.epochs.every((ep) => ep.epoch < after.epoch));

  // Its resume token is dead, and a socket without a seat may not send MLS messages.
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`);
  const replies: ServerMessage[] = [];
  ws.on('message', (data) => replies.push(JSON.parse(String(data)) as ServerMessage));
  await new Promise((resolve) => ws.once('open', resolve));
  const keyPackage = b64((await prepareJoin({ participantId: x.id, displayName: 'Xi' })).keyPackage);
  ws.send(JSON.stringify({ v: 1, type: 'mlsRejoin', rid: 'r1', keyPackage }));
  ws.send(
    JSON.stringify({
      v: 1,
      type: 'join',
      rid: 'r2',
      meetingId,
      displayName: 'Xi',
      resume: x.joined.resumeToken,
    }),
  );
  await eventually('two answers', () => replies.length >= 2);
  const codes = replies.map((r) => (r.type === 'error' ? `${r.rid}:${r.code}` : r.type));
  assert.deepEqual(codes, ['r1:not_joined', 'r2:resume_expired']);
  ws.close();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(latest(a)?.epoch, after.epoch, 'the group did not change');
  assert.ok(!latest(a)?.roster.some((r) => r.participantId === x.id));
});

test('bad mlsRejoin messages get typed errors and change nothing; rejoins are rate-limited', async () => {
  const { meetingId, hostKey } = await sessions.createMeeting();
  const a = await sessions.join(meetingId, 'Ada', hostKey);
  const b = await sessions.join(meetingId, 'Bo');
  const settled = await converged([a, b]);
  const mls = server.mls.forMeeting(meetingId);
  const handshakes = () => a.epochs.length;
  const before = [mls?.epoch, handshakes()];

  const refused = async (keyPackage: string) => {
    try {
      await b.signaling.request('mlsRejoin', { keyPackage });
    } catch (err) {
      return errorCode(err);
    }
    return 'accepted';
  };
  assert.equal(await refused('not base64!'), 'bad_message');
  assert.equal(await refused('AAEC'), 'mls_bad_key_package');
  const other = await prepareJoin({ participantId: a.id, displayName: 'Ada' });
  assert.equal(await refused(b64(other.keyPackage)), 'mls_bad_key_package', 'names another participant');
  assert.equal(await refused('AAECAwQFBgc='), 'mls_bad_key_package');
  // Three refused rejoins spent the burst: a valid one now is rate-limited.
  const fresh = await prepareJoin({ participantId: b.id, displayName: 'Bo' });
  assert.equal(await refused(b64(fresh.keyPackage)), 'rate_limited');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual([mls?.epoch, handshakes()], before, 'nothing changed');
  assert.equal(latest(b)?.epoch, settled.epoch);
  assert.deepEqual([a.failures, b.failures, a.rejoins, b.rejoins], [[], [], [], []]);
});
