/**
 * Bad input over the real WebSocket: each gets its documented error, changes nothing, and the server
 * keeps serving everyone else.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let meetingId: string;
let bystander: HeadlessClient;
let peer: HeadlessClient;

before(async () => {
  server = await startTestServer();
  meetingId = await server.createMeeting();
  bystander = await HeadlessClient.join({ url: server.url, meetingId, displayName: 'bystander' });
  peer = await HeadlessClient.join({ url: server.url, meetingId, displayName: 'peer' });
});
after(async () => {
  await bystander?.close();
  await peer?.close();
  await server?.close();
});

interface Reply {
  type: string;
  code?: string;
  rid?: string;
  [k: string]: unknown;
}

class RawSocket {
  readonly messages: Reply[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.messages.push(JSON.parse(String(d)) as Reply);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }
  static open(headers: Record<string, string> = {}): Promise<RawSocket> {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers });
    const raw = new RawSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(raw));
      ws.once('error', reject);
    });
  }
  #read = 0;
  /** The next message not read yet (which may already have arrived). */
  async next(): Promise<Reply> {
    while (this.messages.length <= this.#read) await new Promise<void>((r) => this.#waiters.push(r));
    return this.messages[this.#read++]!;
  }
  /** Sends a frame and resolves with the reply carrying its rid (other traffic, e.g. offers, is skipped). */
  async request(frame: string): Promise<Reply> {
    let rid: string | undefined;
    try {
      rid = (JSON.parse(frame) as { rid?: string }).rid;
    } catch {
      rid = undefined; // deliberately malformed frames have no rid to match
    }
    this.ws.send(frame);
    for (;;) {
      const m = await this.next();
      if (rid === undefined ? m.type === 'error' : m.rid === rid) return m;
    }
  }
}

const stillServing = async () => {
  // Media keeps flowing between the two real clients, and the server still answers HTTP.
  await bystander.waitForMediaFrom([peer.id], { timeoutMs: 5000 });
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  await bystander.waitFor(() => bystander.participants().size === 1, 5000);
};

test('malformed JSON gets bad_json and the socket stays usable', async () => {
  const s = await RawSocket.open();
  const reply = await s.request('{"v":1,"type":"join",');
  assert.equal(reply.type, 'error');
  assert.equal(reply.code, 'bad_json');
  const again = await s.request(JSON.stringify({ v: 1, type: 'chat', rid: 'c1', text: 'hi' }));
  assert.equal(again.code, 'not_joined', 'still answering on the same socket');
  assert.equal(again.rid, 'c1');
  s.ws.close();
  await stillServing();
});

test('unknown message types get unknown_type with the request id echoed', async () => {
  const s = await RawSocket.open();
  const reply = await s.request(JSON.stringify({ v: 1, type: 'endMeetingForEveryone', rid: 'x9' }));
  assert.equal(reply.code, 'unknown_type');
  assert.equal(reply.rid, 'x9');
  const bad = await s.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: 'x'.repeat(65) }),
  );
  assert.equal(bad.code, 'bad_message');
  s.ws.close();
  await stillServing();
});

test('a frame over 64 KiB closes the socket with 1009', async () => {
  const s = await RawSocket.open();
  s.ws.send(JSON.stringify({ v: 1, type: 'chat', text: 'x'.repeat(70 * 1024) }));
  const { code } = await s.closed;
  assert.equal(code, 1009);
  await stillServing();
});

test('a wrong Origin gets bad_origin and close code 4003; the right one is accepted', async () => {
  const s = await RawSocket.open({ Origin: 'https://evil.example' });
  const reply = await s.next();
  assert.equal(reply.code, 'bad_origin');
  assert.equal((await s.closed).code, 4003);
  const ok = await RawSocket.open({ Origin: server.url });
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
  const s = await RawSocket.open();
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
  const s = await RawSocket.open();
  const joined = await s.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'a', meetingId, displayName: 'raw' }),
  );
  assert.equal(joined.type, 'joined');
  await bystander.waitFor(() => bystander.participants().size === 2, 5000);
  const twice = await s.request(
    JSON.stringify({ v: 1, type: 'join', rid: 'b', meetingId, displayName: 'raw2' }),
  );
  assert.equal(twice.code, 'already_joined');
  const t = await RawSocket.open();
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
  const s = await RawSocket.open();
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
