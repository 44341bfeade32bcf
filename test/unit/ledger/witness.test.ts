/** The witness state machine: honest growth is cosigned; rollback, forks, bad proofs and bad signatures are refused. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryTree,
  MemoryWitnessStore,
  SIG_TYPE_COSIGNATURE_V1,
  Witness,
  consistencyProof,
  cosignatureTimestamp,
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  formatAddCheckpoint,
  formatCheckpoint,
  formatNote,
  generateSignerKey,
  originHash,
  parseAddCheckpoint,
  parseNote,
  signNote,
  treeHash,
  verifierOf,
  verifyNote,
  type Hash,
} from '../../../src/ledger/index.js';

const ORIGIN = 'convene.example/ledger';
const logKey = generateSignerKey(ORIGIN);
const witnessKey = generateSignerKey('witness.example/w1', SIG_TYPE_COSIGNATURE_V1);

function signed(size: number, root: Hash, key = logKey, origin = ORIGIN): string {
  return formatNote(signNote(formatCheckpoint({ origin, size, root, extensions: [] }), [ed25519Signer(key)]));
}

async function setup() {
  const tree = new MemoryTree();
  const forked = new MemoryTree();
  for (let i = 0; i < 100; i++) {
    tree.appendEntry(Buffer.from(`e${i}`));
    forked.appendEntry(Buffer.from(i === 40 ? 'evil' : `e${i}`));
  }
  const store = new MemoryWitnessStore();
  const witness = new Witness({
    key: witnessKey,
    logs: [{ origin: ORIGIN, verifiers: [ed25519Verifier(verifierOf(logKey))] }],
    store,
    now: () => 1_800_000_000,
  });
  const submit = async (oldSize: number, size: number, t = tree, proofFrom = t) =>
    witness.addCheckpoint(
      formatAddCheckpoint({
        oldSize,
        proof: oldSize === 0 ? [] : await consistencyProof(proofFrom, oldSize, size),
        checkpoint: signed(size, await treeHash(t, size)),
      }),
    );
  return { tree, forked, store, witness, submit };
}

describe('Witness.addCheckpoint', () => {
  test('honest growth is cosigned, and the cosignature verifies with the witness key', async () => {
    const { tree, witness, submit, store } = await setup();
    const r1 = await submit(0, 10);
    assert.equal(r1.status, 200, r1.body);
    const note = signed(10, await treeHash(tree, 10)) + r1.body;
    const v = verifyNote(note, [cosignatureVerifier(verifierOf(witnessKey))]);
    assert.equal(cosignatureTimestamp(v.verified[0]!.signature), 1_800_000_000);
    assert.equal((await submit(10, 50)).status, 200);
    assert.equal((await submit(50, 50)).status, 200, 'the same checkpoint again is fine');
    assert.equal((await submit(50, 100)).status, 200);
    assert.equal(store.records.get(ORIGIN)?.size, 100);
    const latest = await witness.latest(originHash(ORIGIN));
    assert.ok(latest);
    assert.equal(verifyNote(latest, [ed25519Verifier(verifierOf(logKey))]).verified.length, 1);
    assert.equal(verifyNote(latest, [cosignatureVerifier(verifierOf(witnessKey))]).verified.length, 1);
  });

  test('a stale old size gets 409 with the stored size', async () => {
    const { submit } = await setup();
    await submit(0, 50);
    const r = await submit(10, 60);
    assert.equal(r.status, 409);
    assert.equal(r.body, '50\n');
    assert.equal(r.contentType, 'text/x.tlog.size');
    assert.equal((await submit(0, 60)).status, 409);
  });

  test('rollback is refused', async () => {
    const { tree, witness, submit, store } = await setup();
    await submit(0, 50);
    const smaller = signed(40, await treeHash(tree, 40));
    const r = await witness.addCheckpoint(
      formatAddCheckpoint({ oldSize: 50, proof: [], checkpoint: smaller }),
    );
    assert.equal(r.status, 400);
    const r2 = await witness.addCheckpoint(
      formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: smaller }),
    );
    assert.equal(r2.status, 409, 'starting over from zero is refused too');
    assert.equal(store.records.get(ORIGIN)?.size, 50);
  });

  test('a fork is refused: same size with another root, or growth from another history', async () => {
    const { forked, submit, store } = await setup();
    await submit(0, 50);
    assert.equal((await submit(50, 50, forked)).status, 422);
    assert.equal(
      (await submit(50, 80, forked)).status,
      422,
      'a proof of the forked tree does not match our root',
    );
    assert.equal(store.records.get(ORIGIN)?.size, 50);
  });

  test('bad proofs, bad signatures, unknown logs and malformed bodies', async () => {
    const { tree, witness, submit } = await setup();
    await submit(0, 20);
    const root = await treeHash(tree, 30);
    const proof = await consistencyProof(tree, 20, 30);
    const bad = proof.map((h, i) => (i === 0 ? h.map((b) => b ^ 1) : h));
    assert.equal(
      (
        await witness.addCheckpoint(
          formatAddCheckpoint({ oldSize: 20, proof: bad, checkpoint: signed(30, root) }),
        )
      ).status,
      422,
    );
    const other = generateSignerKey(ORIGIN);
    assert.equal(
      (
        await witness.addCheckpoint(
          formatAddCheckpoint({ oldSize: 20, proof, checkpoint: signed(30, root, other) }),
        )
      ).status,
      403,
      'signed only by an unknown key',
    );
    const forged = parseNote(signed(30, root));
    const forgedNote = formatNote({
      ...forged,
      signatures: forged.signatures.map((s) => ({ ...s, signature: s.signature.map((b) => b ^ 1) })),
    });
    assert.equal(
      (await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 20, proof, checkpoint: forgedNote })))
        .status,
      403,
    );
    assert.equal(
      (
        await witness.addCheckpoint(
          formatAddCheckpoint({
            oldSize: 0,
            proof: [],
            checkpoint: signed(1, root, logKey, 'other.example/log'),
          }),
        )
      ).status,
      404,
    );
    for (const body of [
      '',
      'old 1\n',
      'old 01\n\n' + signed(30, root),
      'new 20\n\n' + signed(30, root),
      'old 20\n!!!\n\n' + signed(30, root),
    ]) {
      assert.equal((await witness.addCheckpoint(body)).status, 400, JSON.stringify(body));
    }
    assert.equal(
      (
        await witness.addCheckpoint(
          formatAddCheckpoint({ oldSize: 0, proof: [root], checkpoint: signed(30, root) }),
        )
      ).status,
      409,
    );
  });

  test('an empty-tree checkpoint must carry the empty root', async () => {
    const { witness } = await setup();
    const r = await witness.addCheckpoint(
      formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: signed(0, new Uint8Array(32)) }),
    );
    assert.equal(r.status, 422);
  });

  test('concurrent requests from the same old size: exactly one wins, no rollback', async () => {
    const { submit, store } = await setup();
    await submit(0, 10);
    const rs = await Promise.all([submit(10, 60), submit(10, 30)]);
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409]);
    assert.equal(store.records.get(ORIGIN)?.size, rs[0]!.status === 200 ? 60 : 30);
  });

  test('request bodies round trip', () => {
    const req = {
      oldSize: 7,
      proof: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)],
      checkpoint: 'x\n\n— y AAAAAAA=\n',
    };
    assert.deepEqual(parseAddCheckpoint(formatAddCheckpoint(req)), req);
  });
});
