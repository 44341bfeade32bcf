/**
 * Issue 8, server side: the MLS delivery service wired into live meetings, over the real signaling
 * WebSocket with headless MLS members (test/support/MlsClient.ts; no media, so the in-memory engine).
 *
 * Host (US), Berlin and Munich (DE) and Beijing (CN) join a meeting hosted by an account. They
 * converge on one epoch and one safety code; a host removal and an operator's withholding in CN each
 * rotate the epoch through the server's external Remove, and the removed member cannot follow;
 * concurrent commits get exactly one acceptance; a member the server did not announce cannot be added.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { MlsGroupError, prepareJoin, type MlsMember } from '../../src/e2ee/mls/index.js';
import { MlsClient } from '../support/MlsClient.js';
import { newOperator } from '../support/operators.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

const ADDRESSES = { US: '8.8.8.8', DE: '194.25.0.68', CN: '114.114.114.114' } as const;

let server: TestServer;
let host: TestHost;
const clients: MlsClient[] = [];

before(async () => {
  server = await startTestServer(
    { geo: { trustedProxies: ['127.0.0.1', '::1'] }, caseClockMs: 200, resumeWindowMs: 1000 },
    { engine: new MemoryEngine(), mlsTimings: { batchMs: 50, commitDeadlineMs: 1500 } },
  );
  host = await server.signUp();
});
after(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

const join = async (meetingId: string, name: string, where: keyof typeof ADDRESSES, cookie?: string) => {
  const c = await MlsClient.join({
    url: server.url,
    meetingId,
    displayName: name,
    forwardedFor: ADDRESSES[where],
    ...(cookie ? { cookie } : {}),
  });
  clients.push(c);
  return c;
};

const member = (c: MlsClient): MlsMember => {
  assert.ok(c.member, `${c.opts.displayName} is a member`);
  return c.member;
};

/** Waits until every client is a member of the same epoch holding exactly these participants. */
async function converged(group: MlsClient[]): Promise<bigint> {
  await MlsClient.converged(group);
  const epoch = member(group[0]!).epoch;
  const codes = new Set(await Promise.all(group.map((c) => member(c).safetyCode())));
  assert.equal(codes.size, 1, 'one safety code');
  const keys = new Set(await Promise.all(group.map(async (c) => hex(await member(c).sframeBaseKey()))));
  assert.equal(keys.size, 1, 'one SFrame base key');
  return epoch;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * The removed member, given every handshake a survivor received for the epoch it was removed in (its
 * own socket is closed; this is what it could get by other means), learns it is out and has no key.
 */
async function assertLockedOut(removed: MlsClient, survivor: MlsClient, survivorsEpoch: bigint) {
  const m = member(removed);
  const oldKey = hex(await m.sframeBaseKey());
  assert.ok(m.epoch < survivorsEpoch, 'the removed member is left in an earlier epoch');
  const newKey = hex(await member(survivor).sframeBaseKey());
  assert.notEqual(oldKey, newKey);
  const handshakes = survivor.messages.filter(
    (x): x is Extract<typeof x, { type: 'mlsHandshake' }> =>
      x.type === 'mlsHandshake' && BigInt(x.epoch) >= m.epoch,
  );
  assert.ok(handshakes.length > 0, 'the survivor saw the removal');
  let outcome = 'none';
  for (const h of handshakes) {
    if (BigInt(h.epoch) !== m.epoch) break;
    try {
      const r = await m.processHandshake(new Uint8Array(Buffer.from(h.message, 'base64')));
      outcome = r.kind;
      if (r.kind === 'removed') break;
    } catch (err) {
      // A commit that also refills its leaf fails inside ts-mls instead of saying "removed" (docs/e2ee.md).
      assert.ok(err instanceof MlsGroupError, String(err));
      outcome = err.code;
      break;
    }
  }
  assert.ok(outcome === 'removed' || outcome === 'mls_rejected', `outcome ${outcome}`);
  assert.equal(m.active, false, 'no longer a member');
  await assert.rejects(m.sframeBaseKey(), 'no keys for later epochs');
}

describe('MLS over signaling in a live meeting', () => {
  let meetingId = '';
  let hostClient: MlsClient;
  let berlin: MlsClient;
  let munich: MlsClient;
  let beijing: MlsClient;
  let hamburg: MlsClient;
  let leipzig: MlsClient;

  test('three participants converge on one epoch and one safety code; chat is relayed as ciphertext', async () => {
    const created = await server.api<{ id: string }>('POST', '/api/meetings', host, { title: 'Keys' });
    assert.equal(created.status, 201);
    meetingId = created.body.id;
    hostClient = await join(meetingId, 'Host', 'US', host.cookie);
    berlin = await join(meetingId, 'Berlin', 'DE');
    munich = await join(meetingId, 'Munich', 'DE');
    const epoch = await converged([hostClient, berlin, munich]);
    assert.ok(epoch >= 1n);
    assert.equal(server.mls.forMeeting(meetingId)?.epoch, epoch, "the server's epoch is the members'");
    assert.equal(hex(hostClient.serverKey!), hex(server.mls.externalSender.publicKey));
    // Chat as an MLS application message: relayed, readable by members only.
    const ack = await berlin.sendChat('hello over MLS');
    assert.equal(ack.type, 'ack');
    await hostClient.waitFor(() => hostClient.chat.length === 1 && munich.chat.length === 1, 10_000, 'chat');
    assert.deepEqual([hostClient.chat, munich.chat], [['hello over MLS'], ['hello over MLS']]);
    const relayed = munich.messages.find((m) => m.type === 'mlsMessage');
    assert.ok(relayed && !JSON.stringify(relayed).includes('hello'), 'the wire holds ciphertext only');
  });

  test("a host's removal becomes the server's Remove: the epoch rotates and the removed member is locked out", async () => {
    beijing = await join(meetingId, 'Beijing', 'CN');
    const before = await converged([hostClient, berlin, munich, beijing]);
    const reply = await hostClient.request({ v: 1, type: 'remove', participantId: munich.id, ban: false });
    assert.equal(reply.type, 'ack');
    await munich.waitFor(() => munich.closed, 10_000, 'the socket to close');
    const after = await converged([hostClient, berlin, beijing]);
    assert.ok(after > before, 'a new epoch');
    await assertLockedOut(munich, berlin, after);
  });

  test('a withholding in CN removes Beijing through the same path: the epoch rotates again', async () => {
    const before = member(hostClient).epoch;
    const intake = await newOperator(server, 'intake');
    const reviewer = await newOperator(server, 'reviewer');
    const filed = await intake.api<{ ref: string }>('POST', '/api/operator/cases', {
      authority: 'Cyberspace Administration (example)',
      jurisdiction: 'CN',
      legalBasis: 'Article 12 (example)',
      receivedOn: '2026-06-03',
      demands: ['end_meeting'],
      demandText: 'End the meeting.',
      targets: [{ kind: 'meeting', link: `${server.url}/m/${meetingId}` }],
      evidenceNotes: 'Letter received by post.',
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const decision = await reviewer.api<{ decision: { outcome: string } }>(
      'POST',
      `/api/operator/cases/${filed.body.ref}/decision`,
      {
        outcome: 'withhold',
        targets: [0],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        reason: 'A valid order under local law; limited to CN.',
      },
    );
    assert.equal(decision.status, 200, JSON.stringify(decision.body));
    await beijing.waitFor(() => beijing.closed, 10_000, 'the socket to close');
    const ended = beijing.messages.find((m) => m.type === 'sessionEnded');
    assert.ok(ended?.type === 'sessionEnded' && ended.reason === 'withheld');
    const after = await converged([hostClient, berlin]);
    assert.ok(after > before, 'a new epoch');
    await assertLockedOut(beijing, berlin, after);
  });

  test('two concurrent commits for one epoch: exactly one is accepted, the other member recovers', async () => {
    hamburg = await join(meetingId, 'Hamburg', 'DE');
    const epoch = await converged([hostClient, berlin, hamburg]);
    // Both commit (an empty commit: a key refresh) for the same epoch and submit at once.
    const [a, b] = await Promise.all([hostClient.commitNow(), berlin.commitNow()]);
    const accepted = [a, b].filter((r) => r.accepted);
    const refused = [a, b].filter((r) => !r.accepted);
    assert.equal(accepted.length, 1, JSON.stringify([a, b]));
    assert.equal(refused.length, 1);
    assert.ok(!refused[0]!.accepted && refused[0]!.code === 'mls_epoch_taken');
    const after = await converged([hostClient, berlin, hamburg]);
    assert.equal(after, epoch + 1n, 'one commit, one epoch');
    // The one refused commits again, on the new epoch, and is accepted.
    const loser = a.accepted ? berlin : hostClient;
    const again = await loser.commitNow();
    assert.equal(again.accepted, true);
    assert.equal(await converged([hostClient, berlin, hamburg]), epoch + 2n);
  });

  test('a member the server did not announce cannot be added', async () => {
    const epoch = await converged([hostClient, berlin, hamburg]);
    const ghost = await prepareJoin({ participantId: 'ghost-participant', displayName: 'Ghost' });
    // An honest member's own validator refuses the Add: nobody announced the ghost.
    await assert.rejects(member(berlin).commit({ add: [ghost.keyPackage] }), MlsGroupError);
    // A client that announces the ghost to itself can build the commit, but the server only adds
    // participants it admitted: the commit is refused and nothing changes.
    berlin.validator!.announce(ghost.identity);
    const bad = await member(berlin).commit({ add: [ghost.keyPackage] });
    const result = await berlin.commitNow(bad);
    assert.ok(!result.accepted && result.code === 'mls_bad_handshake', JSON.stringify(result));
    // A KeyPackage naming someone else is refused at upload.
    const wrong = await hamburg.uploadKeyPackage(ghost.keyPackage);
    assert.ok(wrong.type === 'error' && wrong.code === 'mls_bad_key_package', JSON.stringify(wrong));
    // A commit frame over 64 KiB is still read (its Welcome may be large), and refused for what it is.
    const large = await berlin.request({
      v: 1,
      type: 'mlsCommit',
      commit: Buffer.from(bad.commit).toString('base64'),
      welcome: Buffer.alloc(100 * 1024, 1).toString('base64'),
      added: [{ participantId: ghost.identity.participantId, leafIndex: 3 }],
      removed: [],
    });
    assert.ok(large.type === 'mlsCommitResult' && !large.accepted, JSON.stringify(large).slice(0, 200));
    assert.equal(berlin.closed, false);
    await member(berlin).discardCommit(bad);
    berlin.validator!.withdraw(ghost.identity.participantId);
    assert.equal(await converged([hostClient, berlin, hamburg]), epoch);
    assert.equal(server.mls.forMeeting(meetingId)?.epoch, epoch);
  });

  test('a committer that stays silent is passed over and the next member commits', async () => {
    const epoch = await converged([hostClient, berlin, hamburg]);
    const committerNow = [hostClient, berlin, hamburg].sort(
      (x, y) => member(x).leafIndex - member(y).leafIndex,
    )[0]!;
    committerNow.answersCommitRequests = false;
    leipzig = await join(meetingId, 'Leipzig', 'DE');
    const after = await converged([hostClient, berlin, hamburg, leipzig]);
    assert.equal(after, epoch + 1n);
    const requests = (c: MlsClient) => c.messages.filter((m) => m.type === 'mlsCommitRequest').length;
    assert.ok(requests(committerNow) > 0, 'the designated committer was asked first');
    // It did not commit: it processed someone else's commit for its epoch.
    assert.equal(committerNow.results.at(-1)?.kind, 'commit');
    assert.equal(
      committerNow.messages.some(
        (m) => m.type === 'mlsCommitResult' && m.accepted && m.epoch === Number(after),
      ),
      false,
    );
    committerNow.answersCommitRequests = true;
  });

  test('leaving, and a dropped connection whose resume window ran out, each rotate the epoch', async () => {
    const start = await converged([hostClient, berlin, hamburg, leipzig]);
    const left = await leipzig.request({ v: 1, type: 'leave' });
    assert.equal(left.type, 'ack');
    const afterLeave = await converged([hostClient, berlin, hamburg]);
    assert.ok(afterLeave > start);
    await assertLockedOut(leipzig, berlin, afterLeave);
    // A dropped socket keeps its seat (and its leaf) for the resume window, then leaves like anyone.
    hamburg.ws.terminate();
    const afterDrop = await converged([hostClient, berlin]);
    assert.ok(afterDrop > afterLeave);
    const gone = berlin.messages.find(
      (m) => m.type === 'participantsLeft' && m.participantIds.includes(hamburg.id),
    );
    assert.ok(gone?.type === 'participantsLeft' && gone.reason === 'disconnected');
    await assertLockedOut(hamburg, berlin, afterDrop);
  });

  test('a member that hides an Add from the server is accepted by it, but refused by every honest member', async () => {
    // The server cannot read a commit (a PrivateMessage): it trusts the committer's claims for its
    // leaf map. The guarantee is at the members: each one's validator refuses an unannounced member.
    const created = await server.api<{ id: string }>('POST', '/api/meetings', host, { title: 'Ghost' });
    const a = await join(created.body.id, 'Host', 'US', host.cookie);
    const b = await join(created.body.id, 'Berlin', 'DE');
    const c = await join(created.body.id, 'Munich', 'DE');
    const epoch = await converged([a, b, c]);
    const ghost = await prepareJoin({ participantId: 'ghost-participant', displayName: 'Ghost' });
    b.validator!.announce(ghost.identity);
    const hidden = await member(b).commit({ add: [ghost.keyPackage] });
    const reply = await b.request(
      {
        v: 1,
        type: 'mlsCommit',
        commit: Buffer.from(hidden.commit).toString('base64'),
        added: [],
        removed: [],
      },
      hidden,
    );
    assert.ok(reply.type === 'mlsCommitResult' && reply.accepted, 'the server cannot tell');
    for (const honest of [a, c]) {
      await honest.waitFor(() => honest.failures.length > 0, 10_000, 'the refusal');
      assert.ok(
        honest.failures.every((e) => e instanceof MlsGroupError),
        String(honest.failures[0]),
      );
      assert.equal(member(honest).epoch, epoch, 'stays in its epoch');
      assert.equal(
        member(honest)
          .roster()
          .some((m) => m.participantId === ghost.identity.participantId),
        false,
        'the ghost never joins its group',
      );
    }
  });
});
