/**
 * The client library when a seat's socket closes with a session-end code but its `sessionEnded`
 * message never arrived: the code alone ends the session with its reason (one table of codes,
 * src/protocol/closeCodes.ts, shared with the server), offers no Rejoin, and never reconnects.
 * Before that table, only 4004 and 4005 were read; a lost `sessionEnded` before 4006 (denied) or
 * 4007 (withheld) was shown as a dropped connection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/client/reconnectPolicy.js';
import type { SessionEnd } from '../../src/client/types.js';
import { SESSION_END_CLOSE_CODES, sessionEndReasonOf } from '../../src/protocol/closeCodes.js';
import { clientOverBurstSockets, joinedFrame } from '../support/burstSocket.js';

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function joinedClient() {
  const { client, sockets } = clientOverBurstSockets({ backoffInitialMs: 5 });
  const joining = client.join('m', 'me');
  await tick();
  sockets[0]!.burst(joinedFrame((await sockets[0]!.sentJoin()).rid, false, []));
  await joining;
  return { client, sockets };
}

for (const [reason, code] of Object.entries(SESSION_END_CLOSE_CODES)) {
  test(`close ${code} without its sessionEnded ends the session as ${reason}, with no rejoin and no reconnect`, async () => {
    const { client, sockets } = await joinedClient();
    const ended: SessionEnd[] = [];
    client.on('sessionEnded', (end) => ended.push(end));
    sockets[0]!.drop(code, reason);
    await tick(100);
    assert.deepEqual(ended, [{ reason, banned: false, rejoin: false }]);
    assert.equal(client.state, 'closed');
    assert.equal(sockets.length, 1, 'no reconnect');
  });
}

test('a dropped connection (1006) is not a session end: the client reconnects', async () => {
  const { client, sockets } = await joinedClient();
  const ended: SessionEnd[] = [];
  client.on('sessionEnded', (end) => ended.push(end));
  sockets[0]!.drop();
  for (let i = 0; i < 50 && sockets.length < 2; i++) await tick();
  assert.equal(sockets.length, 2, 'reconnected');
  assert.deepEqual(ended, []);
  client.leave();
});

test('close 4001 (resumed elsewhere) ends the client without reconnecting or a session end', async () => {
  const { client, sockets } = await joinedClient();
  const ended: SessionEnd[] = [];
  client.on('sessionEnded', (end) => ended.push(end));
  sockets[0]!.drop(4001, 'session resumed on another connection');
  await tick(100);
  assert.equal(client.state, 'closed');
  assert.equal(sockets.length, 1);
  assert.deepEqual(ended, []);
});

test('the close-code table reads both ways and knows no other code', () => {
  for (const [reason, code] of Object.entries(SESSION_END_CLOSE_CODES))
    assert.equal(sessionEndReasonOf(code), reason);
  for (const code of [1000, 1006, 4001, 4003, 4008]) assert.equal(sessionEndReasonOf(code), undefined);
});

test('reconnect backoff doubles from the first wait to the cap, within ±25%', () => {
  const low = () => 0;
  const high = () => 0.999999;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 250, 5000, low)),
    [188, 375, 750, 1500, 3000, 3750, 3750],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 250, 5000, high)),
    [312, 625, 1250, 2500, 5000, 6250, 6250],
  );
});
