/**
 * The client library's SignalingClient over a socket that delivers several frames in one go, as `ws`
 * does in Node (every frame of one TCP read emitted synchronously). Found by bench:mls-storm: headless
 * members failed (`keys_missing`, `mls_join_failed`) because a `participantJoined` that came in the same
 * read as our `joined` was emitted before the code awaiting the join had started E2EE, which then never
 * knew that participant and refused their Add. Whatever follows `joined` must be emitted after the
 * joiner (the code after `await join()`, or the `resumed` listeners) has taken `joined` in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientOverBurstSockets, joinedFrame, person } from '../support/burstSocket.js';

const tick = () => new Promise((r) => setTimeout(r, 20));

test('what arrives with `joined` is emitted after the code awaiting the join has run', async () => {
  const { client, sockets } = clientOverBurstSockets();
  const order: string[] = [];
  const joining = client.join('m', 'me');
  await tick();
  const socket = sockets[0]!;
  const { rid } = await socket.sentJoin();
  socket.burst(joinedFrame(rid, false, ['a']), {
    type: 'participantJoined',
    participant: person('b'),
  });
  const joined = await joining;
  // Set up from `joined` only now, as MeetingSession does (E2EE starts here).
  order.push(`joined with ${joined.participants.map((p) => p.id).join()}`);
  client.on('participantJoined', ({ participant }) => order.push(`participantJoined ${participant.id}`));
  await tick();
  assert.deepEqual(order, ['joined with a', 'participantJoined b']);
  client.leave();
});

test('what arrives with a resumed `joined` is emitted after the `resumed` listeners', async () => {
  const { client, sockets } = clientOverBurstSockets({ backoffInitialMs: 10 });
  const order: string[] = [];
  client.on('resumed', (joined) => order.push(`resumed with ${joined.participants.map((p) => p.id).join()}`));
  client.on('participantJoined', ({ participant }) => order.push(`participantJoined ${participant.id}`));
  client.on('mls', (message) => order.push(message.type));
  const joining = client.join('m', 'me');
  await tick();
  sockets[0]!.burst(joinedFrame((await sockets[0]!.sentJoin()).rid, false, ['a']));
  await joining;
  sockets[0]!.drop();
  for (let i = 0; i < 100 && sockets.length < 2; i++) await tick();
  const again = sockets[1];
  assert.ok(again, 'the client reconnected');
  const join = await again.sentJoin();
  assert.equal(join.resume, 'token');
  again.burst(
    joinedFrame(join.rid, true, ['a']),
    { type: 'mlsStatus', state: 'none' },
    { type: 'participantJoined', participant: person('c') },
  );
  await tick();
  assert.deepEqual(order, ['resumed with a', 'mlsStatus', 'participantJoined c']);
  client.leave();
});
