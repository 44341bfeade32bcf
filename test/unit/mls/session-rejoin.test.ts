/**
 * The client's MlsSession decides when to rejoin the group (docs/e2ee.md "Recovery"), fed server
 * messages directly: an `mlsStatus` that shows a missed commit, or a handshake from an epoch ahead,
 * makes it drop its state and send `mlsRejoin` with a fresh KeyPackage; `joining` and an in-step status
 * do nothing; a proposal the protocol forbids fails at once; past MAX_REJOINS it gives up.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_REJOINS, MlsSession } from '../../../src/client/e2ee/MlsSession.js';
import { ExternalSender, checkKeyPackage, prepareJoin } from '../../../src/e2ee/mls/index.js';
import { who } from './harness.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const groupId = new Uint8Array(16).fill(7);

interface Sent {
  type: string;
  keyPackage?: string;
}

async function createdSession() {
  const server = await ExternalSender.generate();
  const sent: Sent[] = [];
  const events: string[] = [];
  const session = new MlsSession(who('me'), [who('peer')], (type, payload) =>
    sent.push({ type, ...(payload as object) }),
  );
  session.on('epoch', (info) => events.push(`epoch ${info.epoch}`));
  session.on('rejoining', () => events.push('rejoining'));
  session.on('failed', ({ code }) => events.push(`failed ${code}`));
  await session.start();
  await session.handle({ v: 1, type: 'mlsExternalSender', publicKey: b64(server.publicKey) });
  await session.handle({ v: 1, type: 'mlsCreateGroup', groupId: b64(groupId) });
  assert.deepEqual(events, ['epoch 0']);
  return { server, session, sent, events };
}

const initKey = async (keyPackage: string | undefined) =>
  b64((await checkKeyPackage(new Uint8Array(Buffer.from(keyPackage ?? '', 'base64')))).keyPackage.initKey);

test('an in-step or joining status changes nothing; a missed commit makes the session rejoin with a fresh KeyPackage', async () => {
  const { session, sent, events } = await createdSession();
  await session.handle({ v: 1, type: 'mlsStatus', state: 'member', groupId: b64(groupId), epoch: 0 });
  await session.handle({ v: 1, type: 'mlsStatus', state: 'joining', groupId: b64(groupId), epoch: 0 });
  assert.deepEqual(
    sent.map((s) => s.type),
    ['mlsKeyPackage'],
  );
  await session.handle({ v: 1, type: 'mlsStatus', state: 'member', groupId: b64(groupId), epoch: 2 });
  assert.deepEqual(
    sent.map((s) => s.type),
    ['mlsKeyPackage', 'mlsRejoin'],
  );
  assert.deepEqual(events, ['epoch 0', 'rejoining']);
  assert.notEqual(
    await initKey(sent[1]?.keyPackage),
    await initKey(sent[0]?.keyPackage),
    'a fresh KeyPackage',
  );
  assert.equal(session.member, undefined, 'the old group state is dropped');
  session.close();
});

test('a handshake from an epoch ahead is a gap: rejoin; past MAX_REJOINS the session fails', async () => {
  const { server, session, sent, events } = await createdSession();
  const peer = await prepareJoin(who('peer'));
  await session.handle({
    v: 1,
    type: 'mlsHandshake',
    epoch: 5,
    message: b64(await server.proposeAdd(groupId, 5n, peer.keyPackage)),
  });
  assert.deepEqual(events, ['epoch 0', 'rejoining']);
  for (let i = 1; i < MAX_REJOINS; i++) await session.handle({ v: 1, type: 'mlsStatus', state: 'none' });
  assert.equal(sent.filter((s) => s.type === 'mlsRejoin').length, MAX_REJOINS);
  await session.handle({ v: 1, type: 'mlsStatus', state: 'none' });
  assert.equal(sent.filter((s) => s.type === 'mlsRejoin').length, MAX_REJOINS, 'no more rejoins');
  assert.equal(events.at(-1), 'failed keys_missing');
  session.close();
});

test('a server Add of a participant nobody announced fails at once, without a rejoin', async () => {
  const { server, session, sent, events } = await createdSession();
  const ghost = await prepareJoin(who('ghost'));
  await session.handle({
    v: 1,
    type: 'mlsHandshake',
    epoch: 0,
    message: b64(await server.proposeAdd(groupId, 0n, ghost.keyPackage)),
  });
  assert.deepEqual(events, ['epoch 0', 'failed keys_missing']);
  assert.ok(!sent.some((s) => s.type === 'mlsRejoin'));
});
