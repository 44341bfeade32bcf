/**
 * Our authentication service: ts-mls 1.x accepts any credential by default; Convene accepts only a
 * well-formed participant credential that the server announced under the same display name, and only
 * the server's own key as the external sender, which may propose nothing but Adds and Removes that
 * name the participant they touch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CredentialValidator,
  ExternalSender,
  MlsGroupError,
  MlsMember,
  decodeIdentity,
  encodeIdentity,
  participantCredential,
  prepareJoin,
} from '../../../src/e2ee/mls/index.js';
import { admit, announce, deliver, groupId, newMeeting, validatorFor, who } from './harness.js';

const isCode = (code: string) => (e: unknown) => e instanceof MlsGroupError && e.code === code;

test('credential encoding is strict: one identity, one encoding', () => {
  const id = { participantId: 'p1', displayName: 'Ana María' };
  assert.deepEqual(decodeIdentity(participantCredential(id)), id);
  const loose = new TextEncoder().encode('{"v":1, "pid":"p1","name":"Ana María"}');
  assert.equal(decodeIdentity({ credentialType: 'basic', identity: loose }), undefined);
  const extra = new TextEncoder().encode('{"v":1,"pid":"p1","name":"x","admin":true}');
  assert.equal(decodeIdentity({ credentialType: 'basic', identity: extra }), undefined);
  assert.equal(decodeIdentity({ credentialType: 'x509', certificates: [] }), undefined);
  assert.throws(() => encodeIdentity({ participantId: '', displayName: 'x' }), isCode('mls_bad_credential'));
});

test('the validator: announced and same name passes; unannounced, renamed, malformed do not', async () => {
  const server = await ExternalSender.generate();
  const v = new CredentialValidator(server.publicKey, [who('a')]);
  const key = new Uint8Array(32);
  assert.deepEqual(v.check(participantCredential(who('a')), key), {
    ok: true,
    kind: 'participant',
    identity: who('a'),
  });
  assert.deepEqual(v.check(participantCredential(who('ghost')), key), { ok: false, reason: 'unannounced' });
  assert.deepEqual(v.check(participantCredential({ participantId: 'a', displayName: 'Mallory' }), key), {
    ok: false,
    reason: 'nameMismatch',
  });
  const junk = { credentialType: 'basic' as const, identity: new Uint8Array([1, 2, 3]) };
  assert.deepEqual(v.check(junk, key), { ok: false, reason: 'malformed' });
  v.withdraw('a');
  assert.deepEqual(v.check(participantCredential(who('a')), key), { ok: false, reason: 'unannounced' });
  const auth = v.authenticationService();
  assert.equal(await auth.validateCredential(participantCredential(who('ghost')), key), false);
});

test('an Add of a participant the server did not announce is rejected by every member', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b']);
  // The server proposes a ghost it never announced to the members.
  const ghost = await prepareJoin(who('ghost'));
  const proposal = await h.server.proposeAdd(groupId, h.members.get('a')!.epoch, ghost.keyPackage);
  for (const m of h.members.values())
    await assert.rejects(m.processHandshake(proposal), isCode('mls_bad_credential'));
  // A member cannot put it in by value either: its own validator refuses the KeyPackage.
  await assert.rejects(h.members.get('a')!.commit({ add: [ghost.keyPackage] }), isCode('mls_rejected'));
  assert.equal(h.members.get('a')!.hasPendingCommit, false);
});

test('a Welcome into a tree holding an unannounced member is refused by the joiner', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b']);
  // c was announced to a and b but not to the joiner d.
  const d = await prepareJoin(who('d'));
  const c = await prepareJoin(who('c'));
  announce(h, who('c'));
  announce(h, who('d'));
  const pending = await h.members.get('a')!.commit({ add: [c.keyPackage, d.keyPackage] });
  await deliver(h, 'a', pending);
  const dView = new CredentialValidator(h.server.publicKey, [who('a'), who('b'), who('d')]);
  await assert.rejects(MlsMember.join(pending.welcome!, d, dView, groupId), isCode('mls_rejected'));
  const fullView = validatorFor(h, 'd');
  const joined = await MlsMember.join(pending.welcome!, d, fullView, groupId);
  assert.equal(joined.roster().length, 4);
});

test('a Remove from the server that names someone else than the leaf holder is refused', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  const epoch = h.members.get('a')!.epoch;
  // Leaf 1 is b; the server claims to remove c.
  const lying = await h.server.proposeRemove(groupId, epoch, 1, 'c');
  for (const m of h.members.values())
    await assert.rejects(m.processHandshake(lying), isCode('mls_bad_external_proposal'));
  assert.equal(h.members.get('a')!.pendingProposalCount, 0);
});

test('an external proposal signed by another key is refused; a Welcome naming another server is refused', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b']);
  const impostor = await ExternalSender.generate();
  const forged = await impostor.proposeRemove(groupId, h.members.get('a')!.epoch, 1, 'b');
  await assert.rejects(h.members.get('a')!.processHandshake(forged), isCode('mls_rejected'));

  const c = await prepareJoin(who('c'));
  announce(h, who('c'));
  const pending = await h.members.get('a')!.commit({ add: [c.keyPackage] });
  const expectsOtherServer = new CredentialValidator(impostor.publicKey, [who('a'), who('b'), who('c')]);
  await assert.rejects(
    MlsMember.join(pending.welcome!, c, expectsOtherServer, groupId),
    isCode('mls_wrong_external_sender'),
  );
  await assert.rejects(
    MlsMember.join(pending.welcome!, c, validatorFor(h, 'c'), new TextEncoder().encode('other')),
    isCode('mls_bad_message'),
  );
});
