/**
 * The delivery service with real members: joins and removals as the server's external proposals, the
 * designated committer and its hand-over, first-commit-wins ordering with recovery, relaying, and the
 * typed refusals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConveneError } from '../../../src/errors.js';
import { commitSubmission, prepareJoin } from '../../../src/e2ee/mls/index.js';
import { Meeting, assertAgree, withMembers } from './meeting.js';
import { who } from './harness.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('first participant creates the group; later joins are external Adds committed in one batch', async () => {
  const m = await Meeting.open();
  await m.admit('a');
  assert.equal(m.member('a').epoch, 0n);
  await m.admit('b', 'c', 'd');
  assert.equal(m.member('a').pendingProposalCount, 3, 'three server proposals wait at the members');
  assert.equal(m.ds.committer(), 'a');
  await m.route(await m.ds.requestCommit());
  await assertAgree(m, ['a', 'b', 'c', 'd']);
  assert.equal(m.ds.epoch, 1n, 'one commit for the batch');
  assert.deepEqual(
    [...m.ds.members()],
    [
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ],
  );
  assert.equal(m.ds.hasPendingChanges, false);
  assert.deepEqual(await m.ds.requestCommit(), [], 'nothing to commit, nobody is asked');
});

test('a removal by the app becomes a server Remove that the committer commits; the removed member learns it', async () => {
  const m = await withMembers('b', 'c');
  await m.remove('c');
  await m.route(await m.ds.requestCommit());
  assert.deepEqual(m.clients.get('c')!.results.at(-1), { kind: 'removed', epoch: 2n });
  await assertAgree(m, ['a', 'b']);
  assert.deepEqual([...m.ds.members().keys()], ['a', 'b']);
});

test('committer hand-over: when the committer leaves, the next lowest leaf commits its removal', async () => {
  const m = await withMembers('b', 'c');
  assert.equal(m.clients.get('a')!.commitRequests, 1, 'a committed the joins');
  await m.remove('a');
  assert.equal(m.ds.committer(), 'b');
  await m.route(await m.ds.requestCommit());
  assert.equal(m.clients.get('a')!.commitRequests, 1, 'a is not asked to commit its own removal');
  assert.equal(m.clients.get('b')!.commitRequests, 1, 'b was asked once');
  assert.deepEqual(m.clients.get('a')!.results.at(-1), { kind: 'removed', epoch: 2n });
  await assertAgree(m, ['b', 'c']);
});

test('committer hand-over: a silent committer is passed over and the next one commits', async () => {
  const m = await withMembers('b', 'c');
  m.clients.get('a')!.answers = false;
  await m.admit('d');
  await m.route(await m.ds.requestCommit());
  assert.equal(m.clients.get('a')!.commitRequests, 2, 'a was asked and stayed silent');
  assert.equal(m.ds.epoch, 1n, 'nothing committed yet');
  await m.route(await m.ds.passOver('a'));
  assert.equal(m.clients.get('b')!.commitRequests, 1);
  await assertAgree(m, ['a', 'b', 'c', 'd']);
  assert.equal(m.ds.committer(), 'a', 'passing over lasts one epoch');
});

test('two concurrent commits for one epoch: the DS accepts exactly one; the other member recovers', async () => {
  const m = await withMembers('b', 'c');
  await m.admit('d');
  // a (the committer) and b both commit the pending Add of d at epoch 1.
  const fromA = await m.member('a').commit();
  const fromB = await m.member('b').commit();
  assert.equal(fromA.epoch, 1n);
  assert.equal(fromB.epoch, 1n);
  m.clients.get('a')!.pending = fromA;
  m.clients.get('b')!.pending = fromB;
  // Both reach the DS before it relays anything: the first is accepted, the second refused.
  const [first, second] = await Promise.all([
    m.ds.submitCommit('b', commitSubmission(fromB)),
    m.ds.submitCommit('a', commitSubmission(fromA)),
  ]);
  assert.equal(first.ok, true);
  assert.equal(second.ok, false);
  if (!second.ok) {
    assert.ok(second.error instanceof ConveneError);
    assert.equal(second.error.code, 'mls_epoch_taken');
  }
  await m.member('a').discardCommit(fromA);
  m.clients.get('a')!.pending = undefined;
  if (first.ok) await m.route(first.deliveries);
  assert.equal(m.member('a').hasPendingCommit, false);
  await assertAgree(m, ['a', 'b', 'c', 'd']);
  // a carries on: its next commit is accepted.
  const next = await m.commitFrom('a');
  assert.equal(next.ok, true);
  await assertAgree(m, ['a', 'b', 'c', 'd']);
});

test('the DS relays chat between members and refuses what is not a member application message', async () => {
  const m = await withMembers('b', 'c');
  const ct = await m.member('b').encryptApplication(new TextEncoder().encode('hello'));
  const deliveries = m.ds.relayApplication('b', ct);
  assert.deepEqual(deliveries[0]!.to, ['a', 'c']);
  await m.route(deliveries);
  assert.deepEqual(m.clients.get('a')!.chat, ['hello']);
  assert.deepEqual(m.clients.get('c')!.chat, ['hello']);
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof ConveneError ? e.code : 'other';
    }
    return 'none';
  };
  assert.equal(
    code(() => m.ds.relayApplication('stranger', ct)),
    'mls_bad_handshake',
  );
  assert.equal(
    code(() => m.ds.relayApplication('b', new Uint8Array([1, 2, 3]))),
    'mls_bad_handshake',
  );
});

test('typed refusals: bad KeyPackages, commits from non-members, garbage, stale and future epochs, false claims', async () => {
  const m = await withMembers('b');
  const rejectsWith = async (p: Promise<unknown>, code: string) =>
    assert.rejects(p, (e) => e instanceof ConveneError && e.code === code);
  const x = await prepareJoin(who('x'));
  await rejectsWith(m.ds.admit('y', x.keyPackage), 'mls_bad_key_package');
  await rejectsWith(m.ds.admit('x', new Uint8Array([0, 1, 0, 5])), 'mls_bad_key_package');
  await rejectsWith(m.ds.admit('b', m.clients.get('b')!.join.keyPackage), 'mls_bad_key_package');

  const epochBefore = m.ds.epoch;
  const pending = await m.member('a').commit();
  m.clients.get('a')!.pending = pending;
  const refused = async (from: string, submission: Parameters<typeof m.ds.submitCommit>[1], code: string) => {
    const outcome = await m.ds.submitCommit(from, submission);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.equal(outcome.error.code, code);
  };
  const sub = commitSubmission(pending);
  await refused('stranger', sub, 'mls_bad_handshake');
  await refused('a', { ...sub, commit: new Uint8Array([9, 9, 9]) }, 'mls_bad_handshake');
  await refused('a', { ...sub, added: [{ participantId: 'nobody', leafIndex: 5 }] }, 'mls_bad_handshake');
  await refused('a', { ...sub, removed: ['nobody'] }, 'mls_bad_handshake');
  const chat = await m.member('a').encryptApplication(new Uint8Array([1]));
  await refused('a', { ...sub, commit: chat }, 'mls_bad_handshake');
  assert.equal(m.ds.epoch, epochBefore, 'refusals change nothing');
  assert.equal((await m.submit('a', pending)).ok, true);
  // The same commit again is for an epoch that is taken now.
  await refused('a', sub, 'mls_epoch_taken');
  // A commit made in an epoch that another commit has closed since is refused the same way.
  const ahead = await m.member('b').commit();
  await m.member('b').discardCommit(ahead);
  const bumped = await m.commitFrom('a');
  assert.equal(bumped.ok, true);
  await refused('b', commitSubmission(ahead), 'mls_epoch_taken');
});

test('when the last member leaves, a waiting joiner starts a new group', async () => {
  const m = await Meeting.open();
  await m.admit('a');
  m.clients.get('a')!.answers = false;
  await m.admit('b');
  const oldGroup = hex(m.ds.groupId!);
  await m.remove('a');
  assert.notEqual(hex(m.ds.groupId!), oldGroup);
  assert.equal(m.member('b').epoch, 0n);
  assert.deepEqual([...m.ds.members()], [['b', 0]]);
});
