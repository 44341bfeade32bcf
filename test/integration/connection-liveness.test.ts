/**
 * Sockets that hold a descriptor for nothing are closed (docs/protocol.md, "Connection limits"): one
 * that never joins, after the join timeout; one whose peer stopped answering WebSocket pings, after
 * the pong timeout (its seat then waits for a resume, like after any drop). Live ones are untouched.
 * Short timeouts are configured, so this file runs in a few seconds.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { RawSocket } from '../support/RawSocket.js';
import { startTestServer, type TestServer } from '../support/server.js';

const JOIN_TIMEOUT_MS = 400;
const PING_INTERVAL_MS = 150;
const PONG_TIMEOUT_MS = 150;
let server: TestServer;
let meetingId: string;
const sockets: RawSocket[] = [];

before(async () => {
  server = await startTestServer(
    {
      joinTimeoutMs: JOIN_TIMEOUT_MS,
      pingIntervalMs: PING_INTERVAL_MS,
      pongTimeoutMs: PONG_TIMEOUT_MS,
      resumeWindowMs: 60_000,
    },
    { engine: new MemoryEngine() },
  );
  meetingId = (await server.service.records.create({ hostAccountId: undefined })).row.id;
});
after(async () => {
  for (const s of sockets) s.ws.terminate();
  await server?.close();
});

async function open(options: { autoPong?: boolean } = {}): Promise<RawSocket> {
  const s = await RawSocket.open(server.url, {}, options);
  sockets.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function joined(s: RawSocket, name: string): Promise<string> {
  const reply = await s.ask({ type: 'join', rid: name, meetingId, displayName: name });
  assert.equal(reply.type, 'joined');
  return (reply as unknown as { self: { id: string } }).self.id;
}

test('a socket that never joins is told join_timeout and closed with 4008; a joined one stays', async () => {
  const idle = await open();
  const member = await open();
  await joined(member, 'member');
  const refusal = await idle.next(JOIN_TIMEOUT_MS * 10);
  assert.equal(refusal.type, 'error');
  assert.equal(refusal.code, 'join_timeout');
  assert.equal((await idle.closed).code, 4008);
  assert.equal(member.isClosed, false, 'the joined socket is not closed by the join deadline');
  assert.equal((await member.ask({ type: 'raiseHand', rid: 'c', raised: true })).type, 'ack');
});

test('a refused join does not count as joined: the socket still closes at the deadline', async () => {
  const s = await open();
  const reply = await s.ask({ type: 'join', rid: 'j', meetingId: 'A'.repeat(22), displayName: 'x' });
  assert.equal(reply.code, 'meeting_not_found');
  await s.until(() => s.isClosed, JOIN_TIMEOUT_MS * 10, 'the close');
  assert.equal((await s.closed).code, 4008);
});

test('a peer that stops answering pings is dropped; its seat waits for a resume; a live peer stays', async () => {
  const dead = await open({ autoPong: false });
  const alive = await open();
  const deadId = await joined(dead, 'dead');
  await joined(alive, 'alive');
  await dead.until(() => dead.isClosed, (PING_INTERVAL_MS + PONG_TIMEOUT_MS) * 10, 'the drop');
  const { code } = await dead.closed;
  assert.equal(code, 1006, 'dropped without a closing handshake (it would not answer that either)');
  const seat = () => server.service.liveMeeting(meetingId)?.participants.get(deadId);
  for (let i = 0; i < 100 && seat()?.connected; i++) await sleep(20);
  assert.ok(seat(), 'the seat is kept for the resume window');
  assert.equal(seat()?.connected, false, 'the server let go of the socket');
  // Several ping rounds later, the peer that answers is still connected and served.
  await sleep((PING_INTERVAL_MS + PONG_TIMEOUT_MS) * 4);
  assert.equal(alive.isClosed, false);
  assert.equal((await alive.ask({ type: 'raiseHand', rid: 'c', raised: true })).type, 'ack');
});
