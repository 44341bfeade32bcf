/**
 * What a few clients can hold on the server, through the real signaling (docs/protocol.md,
 * "Connection limits"): a client that stops reading is shed while the others keep receiving; the
 * sockets and seats of one client key and the size of a lobby are capped with typed errors, and
 * everything a refused or dropped socket held is given back; moderators get the lobby as deltas.
 *
 * Each client comes from its own address (X-Forwarded-For through a trusted proxy), so each test
 * has its own client keys. Media is the typed in-memory engine: its participant count stands for
 * the Janus handles a seat holds.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { prepareJoin } from '../../src/e2ee/mls/index.js';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { MlsClient } from '../support/MlsClient.js';
import { RawSocket, type Reply } from '../support/RawSocket.js';
import { startTestServer, type TestServer } from '../support/server.js';

const RESUME_WINDOW_MS = 800;
const FLOOD_COOLDOWN_MS = 500;
let server: TestServer;
const engine = new MemoryEngine();
const sockets: RawSocket[] = [];

before(async () => {
  server = await startTestServer(
    {
      geo: { trustedProxies: ['127.0.0.1', '::1'] },
      resumeWindowMs: RESUME_WINDOW_MS,
      maxSocketsPerClient: 3,
      maxSeatsPerClient: 2,
      maxLobbySize: 20,
      maxBufferedBytes: 64 * 1024,
      floodCooldownMs: FLOOD_COOLDOWN_MS,
      // Long enough that no test here is about pings or the join deadline.
      pingIntervalMs: 60_000,
      joinTimeoutMs: 60_000,
    },
    { engine },
  );
});
after(async () => {
  for (const s of sockets) s.ws.terminate();
  await server?.close();
});

let nextAddress = 1;
/** A new client address (so a new client key) for each call. */
const address = () => `198.51.100.${nextAddress++}`;

async function open(from: string): Promise<RawSocket> {
  const s = await RawSocket.open(server.url, { 'x-forwarded-for': from });
  sockets.push(s);
  return s;
}

let rids = 0;
async function join(s: RawSocket, meetingId: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  return s.ask({ type: 'join', rid: `j${++rids}`, meetingId, displayName: 'someone', ...extra });
}

/** A seated raw socket that is also in the meeting's MLS group once a member commits its Add. */
async function member(meetingId: string): Promise<RawSocket> {
  const s = await seated(meetingId);
  const join = await prepareJoin({ participantId: selfId(s), displayName: 'someone' });
  s.ws.send(
    JSON.stringify({
      v: 1,
      type: 'mlsKeyPackage',
      keyPackage: Buffer.from(join.keyPackage).toString('base64'),
    }),
  );
  return s;
}

async function seated(meetingId: string, from = address()): Promise<RawSocket> {
  const s = await open(from);
  const reply = await join(s, meetingId);
  assert.equal(reply.type, 'joined', `joined, not ${reply.code ?? reply.type}`);
  return s;
}

const selfId = (s: RawSocket) =>
  (s.messages.find((m) => m.type === 'joined') as { self: { id: string } } | undefined)?.self.id ?? '';

async function eventually(ok: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a client that stops reading is shed; the others keep receiving every message', async () => {
  const { row } = await server.service.records.create({ hostAccountId: undefined });
  // What fans out is the group's application messages (chat is one), so every socket is an MLS member:
  // a real member creates the group and commits the others' Adds; the raw sockets only upload a
  // KeyPackage, which is all the server needs to relay to them (it cannot read what it relays).
  const creator = await MlsClient.join({
    url: server.url,
    meetingId: row.id,
    displayName: 'creator',
    forwardedFor: address(),
  });
  await creator.uploadKeyPackage();
  const reader = await member(row.id);
  const stalled = await member(row.id);
  const senders = await Promise.all(Array.from({ length: 10 }, () => member(row.id)));
  await creator.waitFor(() => creator.member?.roster().length === 13, 15_000, 'everyone in the group');
  const stalledId = selfId(stalled);
  const live = () => server.service.liveMeeting(row.id)?.participants.get(stalledId);
  stalled.ws.pause(); // reads nothing more: what the server sends it piles up in its queue
  // About 16 kB per message (4,000 CJK characters, encrypted, in base64), sent in rounds until the
  // stalled socket is shed: the kernel's socket buffers take several MB on loopback (~4 MB measured)
  // before anything queues in the server. Each round is read by every reading client before the
  // next, so only the stalled socket falls behind (these clients share the server's event loop and
  // could not keep up with one burst of several MB). The server checks only the framing, so every
  // sender sends the same ciphertext.
  const sealed = await creator.member?.encryptApplication(new TextEncoder().encode('言'.repeat(4000)));
  assert.ok(sealed);
  const frame = JSON.stringify({ v: 1, type: 'mlsMessage', message: Buffer.from(sealed).toString('base64') });
  const MAX_ROUNDS = 40; // 24 MB at most
  const PER_ROUND = 5; // per sender: 11 rounds fit the per-connection burst of 60, then 20 a second
  const relayed = (s: RawSocket) => s.messages.filter((m) => m.type === 'mlsMessage').length;
  const sent = new Map<RawSocket, number>();
  // Relayed to every member but its sender.
  const expected = (s: RawSocket) => total - (sent.get(s) ?? 0);
  const readers = [reader, ...senders];
  let total = 0;
  for (let round = 1; round <= MAX_ROUNDS && live()?.connected !== false; round++) {
    if (round > 11) await new Promise((r) => setTimeout(r, 300)); // within the sustained rate
    for (let i = 0; i < PER_ROUND; i++) {
      for (const s of senders) s.ws.send(frame);
    }
    for (const s of senders) sent.set(s, (sent.get(s) ?? 0) + PER_ROUND);
    total += PER_ROUND * senders.length;
    await eventually(() => readers.every((r) => relayed(r) === expected(r)), `every reader has ${total}`);
  }
  await eventually(() => live()?.connected === false, 'the stalled socket is shed');
  assert.ok(live(), 'its seat is kept for a resume, like after any drop');
  assert.equal(reader.isClosed, false, 'the reader is still connected');
  for (const s of senders) assert.equal(s.isClosed, false);
  stalled.ws.resume();
  const { code } = await stalled.closed;
  assert.ok(code === 1013 || code === 1006, `closed with 1013 (or dropped: 1006), got ${code}`);
  // The others are still served after the shedding.
  senders[0]?.ws.send(frame);
  await eventually(() => relayed(reader) === total + 1, 'the reader gets the next message');
  creator.close();
});

test('the N+1th socket of one client key is refused with too_many_connections; others are unaffected', async () => {
  const from = address();
  const three = [await open(from), await open(from), await open(from)];
  const fourth = await open(from);
  const refusal = await fourth.next();
  assert.equal(refusal.type, 'error');
  assert.equal(refusal.code, 'too_many_connections');
  assert.equal((await fourth.closed).code, 4009);
  // The three still answer, and another client key is not affected.
  for (const s of three)
    assert.equal((await s.ask({ type: 'raiseHand', rid: 'c', raised: true })).code, 'not_joined');
  const elsewhere = await open(address());
  assert.equal((await elsewhere.ask({ type: 'raiseHand', rid: 'c', raised: true })).code, 'not_joined');
  // A closed socket gives its place back.
  three[0]?.ws.close();
  await three[0]?.closed;
  const again = await open(from);
  assert.equal((await again.ask({ type: 'raiseHand', rid: 'c', raised: true })).code, 'not_joined');
});

test('the N+1th seat of one client key is refused with too_many_seats, also while a dropped seat waits for resume', async () => {
  const { row } = await server.service.records.create({ hostAccountId: undefined });
  const from = address();
  const roomsBefore = new Set(engine.rooms.keys());
  const first = await seated(row.id, from);
  const second = await seated(row.id, from);
  // This meeting's media room: its participants are the media handles its seats hold.
  const room = [...engine.rooms.values()].find((r) => !roomsBefore.has(r.id));
  const mediaCount = () => room?.participants.size ?? -1;
  assert.equal(mediaCount(), 2);
  const media = 2;
  const third = await open(from);
  const refused = await join(third, row.id);
  assert.equal(refused.code, 'too_many_seats');
  assert.equal(mediaCount(), media, 'no media participant (Janus handle) for a refused seat');
  assert.equal(server.service.liveMeeting(row.id)?.participants.size, 2);
  assert.equal((await first.ask({ type: 'raiseHand', rid: 'c1', raised: true })).type, 'ack');

  // Join, then drop: the seat is held for the resume window and still counts against the key...
  second.ws.terminate();
  await second.closed;
  assert.equal((await join(third, row.id)).code, 'too_many_seats');
  // ...until the window runs out: then the seat, its media participant and its place in the quota go.
  await eventually(() => mediaCount() === media - 1, 'the dropped seat releases its media');
  const now = await join(third, row.id);
  assert.equal(now.type, 'joined');
  assert.equal(mediaCount(), media);
});

async function lobbyMeeting(): Promise<{ id: string; host: RawSocket }> {
  const { row, hostKey } = await server.service.records.create({
    hostAccountId: undefined,
    settings: { lobby: true },
  });
  const host = await open(address());
  const joined = await join(host, row.id, { hostKey });
  assert.equal(joined.type, 'joined');
  return { id: row.id, host };
}

async function waitInLobby(meetingId: string): Promise<RawSocket> {
  const s = await open(address());
  const reply = await join(s, meetingId);
  assert.equal(reply.type, 'lobbyWait', `lobbyWait, not ${reply.code ?? reply.type}`);
  return s;
}

test('a full lobby refuses the next arrival with lobby_full; those waiting are unaffected', async () => {
  const { id, host } = await lobbyMeeting();
  const waiting: RawSocket[] = [];
  for (let i = 0; i < 20; i++) waiting.push(await waitInLobby(id));
  const late = await open(address());
  assert.equal((await join(late, id)).code, 'lobby_full');
  const meeting = server.service.liveMeeting(id);
  assert.equal(meeting?.lobby.size, 20);
  assert.equal(meeting?.participants.size, 1);
  // Admitting one makes room again.
  const first = meeting?.lobby.entries()[0]?.id ?? '';
  assert.equal((await host.ask({ type: 'admit', rid: 'a', participantIds: [first] })).type, 'ack');
  await eventually(() => waiting.some((w) => w.messages.some((m) => m.type === 'joined')), 'one is seated');
  assert.equal((await join(late, id)).type, 'lobbyWait');
});

test('moderators get lobby arrivals as deltas: K arrivals cost K frames of one entry each', async () => {
  const { id, host } = await lobbyMeeting();
  const before = host.messages.length;
  const K = 20; // the lobby cap here; the frame sizes must not grow with the lobby
  for (let i = 0; i < K; i++) {
    await waitInLobby(id);
    await host.until(() => host.messages.length >= before + i + 1, 5000, `lobby message ${i + 1}`);
  }
  const frames = host.messages.slice(before);
  const sizes = host.sizes.slice(before);
  assert.equal(frames.length, K, 'one frame per arrival');
  for (const f of frames) {
    assert.equal(f.type, 'lobbyAdded');
    assert.equal((f.entries as unknown[]).length, 1, 'each frame carries only the new arrival');
  }
  const first = sizes[0] ?? 0;
  for (const size of sizes) assert.ok(size <= first + 16, `frame of ${size} bytes, the first was ${first}`);
  // Letting everyone in is one removal delta naming all K.
  assert.equal((await host.ask({ type: 'admit', rid: 'all', all: true })).type, 'ack');
  const removed = host.messages.find((m) => m.type === 'lobbyRemoved') as
    { participantIds: string[] } | undefined;
  assert.equal(removed?.participantIds.length, K);
  assert.ok(!host.messages.some((m) => m.type === 'lobbyUpdated'), 'never the whole list');
});

test('someone made a co-host gets the whole lobby once, then deltas', async () => {
  const { id, host } = await lobbyMeeting();
  const guest = await waitInLobby(id);
  const guestId = server.service.liveMeeting(id)?.lobby.entries()[0]?.id ?? '';
  await host.ask({ type: 'admit', rid: 'a', participantIds: [guestId] });
  await guest.until(() => guest.messages.some((m) => m.type === 'joined'), 5000, 'the guest is seated');
  await waitInLobby(id);
  await waitInLobby(id);
  assert.equal(
    (await host.ask({ type: 'setRole', rid: 'r', participantId: guestId, role: 'cohost' })).type,
    'ack',
  );
  await guest.until(() => guest.messages.some((m) => m.type === 'lobbyUpdated'), 5000, 'the lobby');
  const snapshot = guest.messages.find((m) => m.type === 'lobbyUpdated') as { lobby: unknown[] } | undefined;
  assert.equal(snapshot?.lobby.length, 2, 'the two waiting now');
  await waitInLobby(id);
  await guest.until(() => guest.messages.some((m) => m.type === 'lobbyAdded'), 5000, 'the next arrival');
  assert.equal(guest.messages.filter((m) => m.type === 'lobbyUpdated').length, 1, 'the whole list once');
});

test('a socket closed for flooding keeps its client key out for the cool-down; other clients are not', async () => {
  const { row } = await server.service.records.create({ hostAccountId: undefined });
  const from = address();
  const flooder = await seated(row.id, from);
  const hand = JSON.stringify({ v: 1, type: 'raiseHand', raised: true });
  for (let i = 0; i < 200; i++) flooder.ws.send(hand);
  assert.equal((await flooder.closed).code, 1008);

  // Reconnecting at once gets no fresh burst and no seat: refused before any join.
  const again = await open(from);
  assert.equal((await again.closed).code, 1008);
  assert.equal(again.messages[0]?.code, 'rate_limited');
  await seated(row.id);

  await new Promise((r) => setTimeout(r, FLOOD_COOLDOWN_MS + 200));
  await seated(row.id, from);
});
