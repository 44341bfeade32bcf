/**
 * Rejoining the group (docs/e2ee.md "Recovery"): a member that missed a commit asks the delivery
 * service to rejoin with a fresh KeyPackage; the server's Remove of its old leaf and Add of the new
 * one are committed together, so every member keeps it in the roster and keys rotate. Refusals are
 * typed and change nothing; a KeyPackage is never used twice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConveneError } from '../../../src/errors.js';
import { prepareJoin } from '../../../src/e2ee/mls/index.js';
import { Meeting, assertAgree, withMembers } from './meeting.js';
import { who } from './harness.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const rejectsWith = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e) => e instanceof ConveneError && e.code === code, code);

test('a member that missed a commit rejoins: its Remove and Add land in one commit, everyone agrees', async () => {
  const m = await withMembers('b', 'c');
  m.away.add('c');
  await m.admit('d');
  await m.route(await m.ds.requestCommit());
  assert.equal(m.member('c').epoch, 1n, 'c missed the commit that added d');
  assert.equal(m.ds.epoch, 2n);
  assert.deepEqual(m.ds.status('c'), { state: 'member', groupId: m.ds.groupId, epoch: 2n });
  m.away.delete('c');

  const oldCode = await m.member('b').safetyCode();
  await m.rejoin('c');
  assert.deepEqual(m.ds.status('c'), { state: 'joining', groupId: m.ds.groupId, epoch: 2n });
  assert.equal(m.member('b').pendingProposalCount, 2, 'Remove of the old leaf and Add of the new one');
  assert.equal(m.ds.committer(), 'a', 'the rejoiner is not asked to commit');
  await m.route(await m.ds.requestCommit());
  assert.equal(m.ds.epoch, 3n, 'one commit');
  await assertAgree(m, ['a', 'b', 'c', 'd']);
  assert.notEqual(await m.member('b').safetyCode(), oldCode, 'keys rotated');
  const change = m.clients.get('b')!.results.at(-1);
  assert.ok(change?.kind === 'commit');
  assert.deepEqual(
    [change.change.removed.map((r) => r.participantId), change.change.added.map((r) => r.participantId)],
    [['c'], ['c']],
    'seen by the others as c leaving and coming back in the same commit',
  );
  assert.deepEqual(m.ds.status('c'), { state: 'member', groupId: m.ds.groupId, epoch: 3n });
  // And c reads what is sent in the new epoch.
  await m.route(m.ds.relayApplication('d', await m.member('d').encryptApplication(new Uint8Array([7]))));
  assert.deepEqual(m.clients.get('c')!.chat, ['\u0007']);
});

test('rejoin refusals are typed and change nothing; a KeyPackage is never used twice', async () => {
  const m = await withMembers('b', 'c');
  const snapshot = () => [m.ds.epoch, [...m.ds.members()], m.ds.hasPendingChanges];
  const before = snapshot();
  const own = m.clients.get('c')!.join.keyPackage;
  await rejectsWith(m.ds.rejoin('c', own), 'mls_bad_key_package');
  await rejectsWith(m.ds.rejoin('c', (await prepareJoin(who('b'))).keyPackage), 'mls_bad_key_package');
  await rejectsWith(m.ds.rejoin('c', new Uint8Array([0, 1, 0, 5])), 'mls_bad_key_package');
  assert.deepEqual(snapshot(), before);

  const fresh = await prepareJoin(who('c'));
  const proposals = await m.ds.rejoin('c', fresh.keyPackage);
  assert.equal(proposals.length, 2);
  const afterRejoin = snapshot();
  await rejectsWith(m.ds.rejoin('c', (await prepareJoin(who('c'))).keyPackage), 'mls_rejoin_refused');
  await rejectsWith(m.ds.rejoin('c', fresh.keyPackage), 'mls_bad_key_package');
  assert.deepEqual(snapshot(), afterRejoin);

  // Being removed: no rejoin, whatever the KeyPackage.
  await m.remove('b');
  await rejectsWith(m.ds.rejoin('b', (await prepareJoin(who('b'))).keyPackage), 'mls_rejoin_refused');
  // Removed and gone: its old KeyPackage can never add it again.
  await m.route(await m.ds.requestCommit());
  assert.ok(!m.ds.members().has('b'));
  await rejectsWith(m.ds.admit('b', m.clients.get('b')!.join.keyPackage), 'mls_bad_key_package');
});

test('a second KeyPackage while an Add is pending is refused (no participant is added twice)', async () => {
  const m = await withMembers('b');
  await m.admit('c');
  await rejectsWith(m.ds.admit('c', (await prepareJoin(who('c'))).keyPackage), 'mls_bad_key_package');
  assert.equal(m.member('a').pendingProposalCount, 1);
  await m.route(await m.ds.requestCommit());
  await assertAgree(m, ['a', 'b', 'c']);
});

test('a joiner who leaves before the commit that adds it: the commit stands, the next removes its leaf', async () => {
  const m = await withMembers('b');
  await m.admit('d');
  m.away.add('d');
  await m.remove('d');
  assert.equal(m.member('a').pendingProposalCount, 1, 'its Add is already at the members');
  await m.route(await m.ds.requestCommit());
  assert.equal(m.ds.epoch, 2n, 'the commit adding d was accepted');
  assert.ok(m.ds.members().has('d'));
  assert.deepEqual(m.ds.status('d'), { state: 'none' });
  await m.route(await m.ds.requestCommit());
  assert.equal(m.ds.epoch, 3n);
  await assertAgree(m, ['a', 'b']);
});

test('the only member rejoins: a new group starts with it', async () => {
  const m = await Meeting.open();
  await m.admit('a');
  const oldGroup = hex(m.ds.groupId!);
  await m.rejoin('a');
  assert.notEqual(hex(m.ds.groupId!), oldGroup);
  assert.equal(m.member('a').epoch, 0n);
  assert.deepEqual([...m.ds.members()], [['a', 0]]);
  assert.deepEqual(m.ds.status('a'), { state: 'member', groupId: m.ds.groupId, epoch: 0n });
  assert.deepEqual(m.ds.status('stranger'), { state: 'none' });
});
