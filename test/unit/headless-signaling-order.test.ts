/**
 * The headless test client (test/support/HeadlessClient.ts) over a socket whose frames arrive in one TCP
 * read, as `ws` then emits them one after the other, synchronously. A `participantJoined` right behind
 * our `joined` must reach the client after it has set itself up from `joined` (its MLS session started
 * with the roster in `joined`); before, it was handled first and then forgotten when the session
 * started, so the client refused that participant's Add and never got keys (a CI run's "meeting of ten":
 * one client decrypted nothing from another). What the client's MLS session was told is read from its
 * E2EE state. The library's SignalingClient has the same rule
 * (test/unit/signaling-order.test.ts).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { participantInfo } from '../support/participants.js';

/** One unmasked server-to-client text frame (RFC 6455 §5.2), for payloads under 64 KiB. */
function textFrame(payload: object): Buffer {
  const body = Buffer.from(JSON.stringify({ v: 1, ...payload }));
  const head =
    body.length < 126
      ? Buffer.from([0x81, body.length])
      : Buffer.from([0x81, 126, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([head, body]);
}

const person = (id: string) => participantInfo(id);

test('a participantJoined in the same read as joined is handled after the client took joined in', async () => {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws, req) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; rid?: string };
      if (msg.type !== 'join') return;
      const joined = textFrame({
        type: 'joined',
        rid: msg.rid,
        meetingId: 'm',
        meeting: { id: 'm', title: 'm', locked: false, lobby: false, webinar: false, spotlight: null },
        lobby: [],
        self: person('me'),
        participants: [],
        resumeToken: 'token',
        resumeWindowMs: 60_000,
        resumed: false,
      });
      const announced = textFrame({ type: 'participantJoined', participant: person('bo') });
      // Both frames in one write: the client's `ws` reads them together.
      req.socket.write(Buffer.concat([joined, announced]));
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let client: HeadlessClient | undefined;
  try {
    client = await HeadlessClient.join({ url, meetingId: 'm', displayName: 'me', publish: false });
    assert.ok(client.participants().has('bo'), 'the client knows Bo');
    assert.deepEqual(client.e2ee?.announced, ['bo'], "Bo is announced to the client's MLS session");
  } finally {
    await client?.close();
    server.close();
  }
});
