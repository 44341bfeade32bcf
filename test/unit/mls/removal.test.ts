/**
 * The trap of issue 8: a removed member must not be able to compute anything of the epochs after its
 * removal, whatever the commit's shape. ts-mls 2.0.0-rc.10 commits a single Remove (or Update), the
 * commit of a server's external Remove included, WITHOUT an update path; then commit_secret is all
 * zeros and the new epoch follows from the previous init_secret, which the removed member holds. So the
 * test plays the removed member: from what it knew (its last init_secret, and the new group context,
 * which is not secret), it computes the key schedule a path-less commit would give and the SFrame key
 * from it, and tries to decrypt a frame sent after its removal. On 1.6.4 every shape carries a path
 * and the attempt fails; on rc.10 the single-Remove shapes would succeed and these tests would fail.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mlsExporter } from 'ts-mls';
import { initializeEpoch } from 'ts-mls/keySchedule.js';
import { CipherSuite, MLS_EXPORTER_LABEL, SFrameKeyRing } from '../../../src/e2ee/sframe/index.js';
import {
  cipherSuite,
  MlsGroupError,
  type MlsMember,
  type PendingCommit,
} from '../../../src/e2ee/mls/index.js';
import { admit, announce, deliver, groupId, newMeeting, who, type Harness } from './harness.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The base key a removed member would get if the commit had no update path (commit_secret = 0). */
async function pathlessGuess(removedInitSecret: Uint8Array, survivor: MlsMember): Promise<Uint8Array> {
  const cs = await cipherSuite();
  const zeros = new Uint8Array(cs.kdf.size);
  const { groupContext } = survivor.auditSnapshot();
  const secrets = await initializeEpoch(removedInitSecret, zeros, groupContext, zeros, cs.kdf);
  return mlsExporter(secrets.keySchedule.exporterSecret, MLS_EXPORTER_LABEL, new Uint8Array(0), 16, cs);
}

/**
 * Removes `victim` with `removeBy`, then checks everything the victim could try: the path-less key
 * guess, the SFrame frame of a survivor, the survivor's chat, and the victim's own group state.
 */
async function assertLockedOut(
  h: Harness,
  victim: string,
  removeBy: () => Promise<{ committer: string; pending: PendingCommit }>,
): Promise<void> {
  const v = h.members.get(victim)!;
  const knownInit = v.auditSnapshot().initSecret;
  const oldKey = await v.sframeBaseKey();
  const oldEpoch = v.epoch;
  const { committer, pending } = await removeBy();
  await deliver(h, committer, pending, [victim]);
  h.members.delete(victim);
  // The victim gets the commit too. ts-mls 1.6.4 reports its removal, except when the same commit puts
  // a newcomer in its leaf: then it fails inside the library ("No overlap between provided private
  // keys and update path"). Either way it cannot follow: it stays behind, fail-closed.
  let outcome: string;
  try {
    outcome = (await v.processHandshake(pending.commit)).kind;
  } catch (err) {
    assert.ok(err instanceof MlsGroupError && err.code === 'mls_rejected', String(err));
    outcome = 'rejected';
  }
  assert.ok(outcome === 'removed' || outcome === 'rejected', outcome);

  const survivor = h.members.get(committer)!;
  assert.equal(survivor.epoch, oldEpoch + 1n);
  assert.ok(!survivor.roster().some((m) => m.participantId === victim), 'the victim left the roster');
  const realKey = await survivor.sframeBaseKey();
  const guess = await pathlessGuess(knownInit, survivor);
  assert.notEqual(hex(guess), hex(realKey), 'the new epoch does not follow from the old init_secret alone');
  assert.notEqual(hex(oldKey), hex(realKey));

  // A frame a survivor sends after the removal.
  const sender = new SFrameKeyRing({ suite: CipherSuite.AES_128_GCM_SHA256_128 });
  sender.setEpoch(survivor.epoch, realKey, survivor.leafIndex);
  const frame = await sender.encrypt(new TextEncoder().encode('after the removal'), new Uint8Array(0));
  // The victim's best tries: its old epoch key (noKey: wrong epoch) and the path-less guess (authFailed).
  const withOld = new SFrameKeyRing();
  withOld.setEpoch(oldEpoch, oldKey, v.leafIndex);
  const r1 = await withOld.decrypt(frame, new Uint8Array(0));
  assert.equal(r1.ok, false);
  const withGuess = new SFrameKeyRing();
  withGuess.setEpoch(survivor.epoch, guess, v.leafIndex);
  const r2 = await withGuess.decrypt(frame, new Uint8Array(0));
  assert.deepEqual([r2.ok, r2.ok ? undefined : r2.reason], [false, 'authFailed']);

  // The victim's client refuses to produce keys for the new epoch or to read its chat.
  const chat = await survivor.encryptApplication(new TextEncoder().encode('secret plans'));
  const isCode = (code: string) => (e: unknown) => e instanceof MlsGroupError && e.code === code;
  if (outcome === 'removed') {
    assert.equal(v.active, false);
    await assert.rejects(v.sframeBaseKey(), isCode('mls_removed'));
    await assert.rejects(v.decryptApplication(chat), isCode('mls_removed'));
  } else {
    assert.equal(v.epoch, oldEpoch, 'stuck in the epoch before its removal');
    assert.equal(hex(await v.sframeBaseKey()), hex(oldKey));
    await assert.rejects(v.decryptApplication(chat), isCode('mls_wrong_epoch'));
  }
  // The group goes on without it.
  for (const m of h.members.values()) assert.equal(hex(await m.sframeBaseKey()), hex(realKey));
}

test('a single Remove by value, committed alone', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  await assertLockedOut(h, 'c', async () => ({
    committer: 'a',
    pending: await h.members.get('a')!.commit({ remove: ['c'] }),
  }));
});

test("the server's external Remove, committed alone by a member", async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  await assertLockedOut(h, 'b', async () => {
    const a = h.members.get('a')!;
    const proposal = await h.server.proposeRemove(groupId, a.epoch, 1, 'b');
    for (const m of h.members.values())
      assert.deepEqual(await m.processHandshake(proposal), {
        kind: 'proposal',
        external: { type: 'remove', participantId: 'b' },
      });
    assert.equal(h.members.get('c')!.pendingProposalCount, 1);
    // The lowest remaining leaf commits it (committer rule); here that is a, at leaf 0.
    return { committer: 'a', pending: await a.commit() };
  });
});

test('the external Remove of the committer-to-be: the next member commits it', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  await assertLockedOut(h, 'a', async () => {
    const proposal = await h.server.proposeRemove(groupId, h.members.get('b')!.epoch, 0, 'a');
    for (const m of h.members.values()) await m.processHandshake(proposal);
    return { committer: 'b', pending: await h.members.get('b')!.commit() };
  });
});

test('a Remove batched with an Add in one commit', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  const { prepareJoin } = await import('../../../src/e2ee/mls/index.js');
  const d = await prepareJoin(who('d'));
  announce(h, who('d'));
  await assertLockedOut(h, 'b', async () => ({
    committer: 'c',
    pending: await h.members.get('c')!.commit({ remove: ['b'], add: [d.keyPackage] }),
  }));
});

test('an empty commit (a member refreshing its path, the Update shape) after a removal', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  const pending = await h.members.get('a')!.commit({ remove: ['c'] });
  const c = h.members.get('c')!;
  await deliver(h, 'a', pending);
  h.members.delete('c');
  assert.equal(c.active, false);
  // An empty commit removes nobody, but it must still carry an update path (RFC 9420 §12.4): the
  // epoch after it must not follow from the previous init_secret, or anyone who held that epoch could
  // follow. b plays that role here.
  const b = h.members.get('b')!;
  const before = b.auditSnapshot().initSecret;
  const refresh = await h.members.get('a')!.commit();
  await deliver(h, 'a', refresh);
  const guess = await pathlessGuess(before, b);
  assert.notEqual(hex(guess), hex(await b.sframeBaseKey()), 'an empty commit carries an update path');
});

test('the removed member cannot process the commits that follow its removal', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  const c = h.members.get('c')!;
  const first = await h.members.get('a')!.commit({ remove: ['c'] });
  await deliver(h, 'a', first);
  h.members.delete('c');
  const next = await h.members.get('a')!.commit();
  await deliver(h, 'a', next);
  await assert.rejects(
    c.processHandshake(next.commit),
    (e) => e instanceof MlsGroupError && e.code === 'mls_removed',
  );
});

test('control: the attack works where RFC 9420 allows no path (an Add-only commit), so the checks above can fail', async () => {
  // RFC 9420 §12.4 lets a commit of only Adds omit the update path; then commit_secret is zero and
  // anyone holding the previous epoch can compute the next, which is fine because nobody left. It is
  // exactly what rc.10 does for a single Remove, and here the guess must match.
  const h = await newMeeting('a');
  await admit(h, 'a', ['b']);
  const b = h.members.get('b')!;
  const known = b.auditSnapshot().initSecret;
  await admit(h, 'a', ['c']);
  assert.equal(hex(await pathlessGuess(known, b)), hex(await b.sframeBaseKey()));
});
