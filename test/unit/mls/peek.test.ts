/**
 * `peekServerProposal` (src/e2ee/mls/peek.ts): the participant an arriving server Add or Remove names,
 * read from the clear framing without processing it; nothing for anything else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CredentialValidator,
  ExternalSender,
  MlsMember,
  peekServerProposal,
  prepareJoin,
} from '../../../src/e2ee/mls/index.js';

test('the server Add and Remove are read with their subject; commits, Welcomes and junk are not', async () => {
  const server = await ExternalSender.generate();
  const a = await prepareJoin({ participantId: 'a', displayName: 'A' });
  const b = await prepareJoin({ participantId: 'participant-b', displayName: 'B' });
  const groupId = new Uint8Array(16).fill(7);
  const member = await MlsMember.create(
    groupId,
    a,
    new CredentialValidator(server.publicKey, [a.identity, b.identity]),
  );
  const add = await server.proposeAdd(groupId, 0n, b.keyPackage);
  assert.deepEqual(peekServerProposal(add), { type: 'add', participantId: 'participant-b' });
  await member.processHandshake(add);
  const commit = await member.commit();
  assert.equal(peekServerProposal(commit.commit), undefined);
  assert.ok(commit.welcome);
  assert.equal(peekServerProposal(commit.welcome), undefined);
  await member.confirmCommit(commit);
  const remove = await server.proposeRemove(groupId, 1n, 1, 'participant-b');
  assert.deepEqual(peekServerProposal(remove), { type: 'remove', participantId: 'participant-b' });
  const application = await member.encryptApplication(new TextEncoder().encode('hi'));
  assert.equal(peekServerProposal(application), undefined);
  // It reads only as far as the proposal type: a cut before that is nothing, never an exception.
  for (let n = 0; n < add.length; n += 7) {
    const peeked = peekServerProposal(add.subarray(0, n));
    if (peeked) assert.deepEqual(peeked, { type: 'add', participantId: 'participant-b' });
  }
  assert.equal(peekServerProposal(add.subarray(0, 20)), undefined);
  assert.equal(peekServerProposal(new Uint8Array([0, 1, 0, 1, 0xff])), undefined);
});
