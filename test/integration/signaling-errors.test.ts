/**
 * Bad input over the real WebSocket: each gets its documented error, changes nothing, and the server
 * keeps serving everyone else.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { after, before, test } from 'node:test';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { RawSocket } from '../support/RawSocket.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let meetingId: string;
let bystander: HeadlessClient;
let peer: HeadlessClient;

before(async () => {
  // Raw sockets here join without a KeyPackage, so the server announces them to the others only after
  // its wait for one (announceWithoutKeysMs, 5 s by default: docs/protocol.md, participantJoined). A short wait keeps that out
  // of this file's subject; a 5 s wait for the roster once raced the 5 s default and lost.
  server = await startTestServer({}, { mlsTimings: { announceWithoutKeysMs: 200 } });
  meetingId = await server.createMeeting();
  bystander = await HeadlessClient.join({ url: server.url, meetingId, displayName: 'bystander' });
  peer = await HeadlessClient.join({ url: server.url, meetingId, displayName: 'peer' });
});
after(async () => {
  await bystander?.close();
  await peer?.close();
  await server?.close();
});

const open = (headers: Record<string, string> = {}) => RawSocket.open(server.url, headers);

const stillServing = async () => {
  // Media keeps flowing between the two real clients, and the server still answers HTTP.
  await bystander.waitForMediaFrom([peer.id], { timeoutMs: 5000 });
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  await bystander.waitFor(() => bystander.participants().size === 1, 5000);
};

test('malformed JSON gets bad_json and the socket stays usable', async () => {
  const s = await open();
  const reply = await s.request('{"v":1,"type":"join",');
  assert.equal(reply.type, 'error');
  assert.equal(reply.code, 'bad_json');
  const again = await s.request(JSON.stringify({ v: 1, type: 'raiseHand', rid: 'c1', raised: true }));
  assert.equal(again.code, 'not_joined', 'still answering on the same socket');
  assert.equal(again.rid, 'c1');
  s.ws.close();
  await stillServing();
});

test('unknown message types get unknown_type with the request id echoed', async () => {
  const s = await open();
  const reply = await s.request(JSON.stringify({ v: 1, type: 'endMeetingForEveryone', rid: 'x9' }));
  assert.equal(reply.code, 'unknown_type');
  assert.equal(reply.rid, 'x9');
  // The plaintext `chat` message is retired (chat is an MLS application message): unknown too.
  const chat = await s.request(JSON.stringify({ v: 1, type: 'chat', rid: 'c1', text: 'hi' }));
  assert.deepEqual([chat.code, chat.rid], ['unknown_type', 'c1']);
  const bad = await s.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: 'x'.repeat(65) }),
  );
  assert.equal(bad.code, 'bad_message');
  s.ws.close();
  await stillServing();
});

test('a frame over 64 KiB closes the socket with 1009', async () => {
  const s = await open();
  s.ws.send(JSON.stringify({ v: 1, type: 'mlsMessage', message: 'A'.repeat(70 * 1024) }));
  const { code } = await s.closed;
  assert.equal(code, 1009);
  await stillServing();
});

test('a wrong Origin gets bad_origin and close code 4003; the right one is accepted', async () => {
  const s = await open({ Origin: 'https://evil.example' });
  const reply = await s.next();
  assert.equal(reply.code, 'bad_origin');
  assert.equal((await s.closed).code, 4003);
  const ok = await open({ Origin: server.url });
  const r = await ok.request(JSON.stringify({ v: 1, type: 'leave', rid: 'l' }));
  assert.equal(r.code, 'not_joined', 'same-origin socket is served');
  ok.ws.close();
  await stillServing();
});

test('an upgrade naming another Host is refused with 421 bad_host, even with a matching Origin', async () => {
  const port = new URL(server.url).port;
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`, {
      headers: { host: `rebind.attacker.example:${port}`, origin: `http://rebind.attacker.example:${port}` },
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      reject(new Error('the socket opened'));
    });
    ws.on('error', reject);
  });
  assert.equal(status, 421);
  await stillServing();
});

test('an unknown meeting gets meeting_not_found and nobody is seated', async () => {
  const s = await open();
  const reply = await s.request(
    JSON.stringify({
      v: 1,
      type: 'join',
      rid: 'j1',
      meetingId: 'ZZZZZZZZZZZZZZZZZZZZZZ',
      displayName: 'lost',
    }),
  );
  assert.equal(reply.code, 'meeting_not_found');
  assert.equal(reply.rid, 'j1');
  assert.equal(server.service.liveMeeting('ZZZZZZZZZZZZZZZZZZZZZZ'), undefined);
  s.ws.close();
  await stillServing();
});

test('a second join on one connection is already_joined; a bad resume token is resume_expired', async () => {
  const s = await open();
  const joined = await s.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'a', meetingId, displayName: 'raw' }),
  );
  assert.equal(joined.type, 'joined');
  await bystander.waitFor(() => bystander.participants().size === 2, 10_000);
  const twice = await s.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'b', meetingId, displayName: 'raw2' }),
  );
  assert.equal(twice.code, 'already_joined');
  const t = await open();
  const resume = await t.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'c', meetingId, displayName: 'x', resume: 'not-a-token' }),
  );
  assert.equal(resume.code, 'resume_expired');
  t.ws.close();
  const left = await s.request(JSON.stringify({ v: 1, type: 'leave', rid: 'd' }));
  assert.equal(left.type, 'ack');
  await bystander.waitFor(() => bystander.participants().size === 1, 5000);
  await stillServing();
});

test('a garbage SDP gets negotiation_failed and the connection can still leave cleanly', async () => {
  const s = await open();
  await s.request(JSON.stringify({ v: 1, type: 'join', rid: 'a', meetingId, displayName: 'sdp' }));
  const reply = await s.request(
    JSON.stringify({
      v: 1,
      type: 'publish',
      rid: 'p',
      jsep: { type: 'offer', sdp: 'this is not sdp' },
      tracks: [],
    }),
  );
  assert.equal(reply.code, 'negotiation_failed');
  assert.equal(reply.rid, 'p');
  assert.equal((await s.request(JSON.stringify({ v: 1, type: 'leave', rid: 'l' }))).type, 'ack');
  await stillServing();
});

test('a steady flood beyond the rate limit is throttled and then closed (1008), though some of it gets through', async () => {
  const s = await open();
  await s.request(JSON.stringify({ v: 1, type: 'join', rid: 'a', meetingId, displayName: 'flooder' }));
  // 200 messages a second for at most 5 s: one in ten fits the refilled bucket, and used to clear the
  // count of refusals, so the socket was never closed.
  const hand = JSON.stringify({ v: 1, type: 'raiseHand', rid: 'f', raised: true });
  const timer = setInterval(() => {
    if (s.ws.readyState === WebSocket.OPEN) for (let i = 0; i < 4; i++) s.ws.send(hand);
  }, 20);
  const closed = await Promise.race([
    s.closed,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000)),
  ]);
  clearInterval(timer);
  s.ws.terminate();
  assert.equal(closed?.code, 1008, 'closed for the flood');
  assert.ok(s.messages.some((m) => m.type === 'error' && m.code === 'rate_limited'));
  assert.ok(
    s.messages.some((m) => m.type === 'ack' && m.rid === 'f'),
    'throttled, not refused outright',
  );
  // The flooder's seat waits out its resume window like any dropped one; the others are served.
  await bystander.waitForMediaFrom([peer.id], { timeoutMs: 5000 });
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
});
