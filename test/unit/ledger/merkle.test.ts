/** Merkle hashing, tree heads and proofs against the RFC 6962 reference tree and transparency-dev vectors. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { leafHash, merkleRootOf } from '../../../src/ledger/hash.js';
import { MemoryTree } from '../../../src/ledger/memory.js';
import { consistencyProof, inclusionProof, treeHash } from '../../../src/ledger/proof.js';
import { verifyConsistency, verifyInclusion } from '../../../src/ledger/verify.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

interface Reference {
  leafInputsHex: string[];
  rootsHexBySize: string[];
  leafHashesHex: string[];
}
const ref = JSON.parse(readFileSync(join(FIXTURES, 'rfc6962-reference/reference.json'), 'utf8')) as Reference;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

describe('RFC 6962 reference tree', () => {
  test('leaf hashes and roots for sizes 0..8', async () => {
    const tree = new MemoryTree();
    assert.deepEqual(await treeHash(tree, 0), hex(ref.rootsHexBySize[0]!));
    for (const [i, input] of ref.leafInputsHex.entries()) {
      assert.deepEqual(leafHash(hex(input)), hex(ref.leafHashesHex[i]!));
      tree.appendEntry(hex(input));
      assert.deepEqual(await treeHash(tree, i + 1), hex(ref.rootsHexBySize[i + 1]!), `root of size ${i + 1}`);
    }
  });

  test('every inclusion and consistency proof of the reference tree verifies, and fails when altered', async () => {
    const tree = new MemoryTree();
    for (const input of ref.leafInputsHex) tree.appendEntry(hex(input));
    for (let size = 1; size <= 8; size++) {
      const root = hex(ref.rootsHexBySize[size]!);
      for (let i = 0; i < size; i++) {
        const proof = await inclusionProof(tree, i, size);
        assert.ok(
          verifyInclusion(i, size, hex(ref.leafHashesHex[i]!), proof, root),
          `inclusion ${i}/${size}`,
        );
        if (size > 1)
          assert.ok(!verifyInclusion(i, size, hex(ref.leafHashesHex[(i + 1) % size]!), proof, root));
      }
      for (let m = 1; m <= size; m++) {
        const proof = await consistencyProof(tree, m, size);
        const r1 = hex(ref.rootsHexBySize[m]!);
        assert.ok(verifyConsistency(m, size, proof, r1, root), `consistency ${m}->${size}`);
        if (m < size) assert.ok(!verifyConsistency(m, size, proof, root, r1));
      }
    }
  });
});

describe('transparency-dev/merkle testdata', () => {
  interface InclusionProbe {
    leafIdx: number;
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }
  interface ConsistencyProbe {
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }

  test('inclusion probes', () => {
    const files = jsonFiles(join(FIXTURES, 'merkle-testdata/testdata/inclusion'));
    assert.ok(files.length > 50);
    for (const f of files) {
      const p = JSON.parse(readFileSync(f, 'utf8')) as InclusionProbe;
      const ok = verifyInclusion(
        p.leafIdx,
        p.treeSize,
        b64(p.leafHash),
        (p.proof ?? []).map(b64),
        b64(p.root),
      );
      assert.equal(ok, !p.wantErr, `${f}: ${p.desc}`);
    }
  });

  test('consistency probes', () => {
    const files = jsonFiles(join(FIXTURES, 'merkle-testdata/testdata/consistency'));
    assert.ok(files.length > 80);
    for (const f of files) {
      const p = JSON.parse(readFileSync(f, 'utf8')) as ConsistencyProbe;
      const ok = verifyConsistency(p.size1, p.size2, (p.proof ?? []).map(b64), b64(p.root1), b64(p.root2));
      assert.equal(ok, !p.wantErr, `${f}: ${p.desc}`);
    }
  });

  test('our proofs equal the happy-path vectors for the reference tree', async () => {
    const tree = new MemoryTree();
    for (const input of ref.leafInputsHex) tree.appendEntry(hex(input));
    for (const f of jsonFiles(join(FIXTURES, 'merkle-testdata/testdata/inclusion'))) {
      if (!f.endsWith('happy-path.json')) continue;
      const p = JSON.parse(readFileSync(f, 'utf8')) as InclusionProbe;
      const proof = await inclusionProof(tree, p.leafIdx, p.treeSize);
      assert.deepEqual(proof, (p.proof ?? []).map(b64), f);
    }
    for (const f of jsonFiles(join(FIXTURES, 'merkle-testdata/testdata/consistency'))) {
      if (!f.endsWith('happy-path.json')) continue;
      const p = JSON.parse(readFileSync(f, 'utf8')) as ConsistencyProbe;
      const proof = await consistencyProof(tree, p.size1, p.size2);
      assert.deepEqual(proof, (p.proof ?? []).map(b64), f);
    }
  });
});

describe('larger trees', () => {
  test('proofs for all index pairs of trees up to 70 entries verify against an independent root', async () => {
    const tree = new MemoryTree();
    const leaves = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    // merkleRootOf builds the tree bottom-up from all leaves: independent of the stored-hash reader.
    const roots = Array.from({ length: 71 }, (_, n) => merkleRootOf(leaves.slice(0, n)));
    for (const l of leaves) tree.appendLeafHash(l);
    for (let n = 0; n <= 70; n++) assert.deepEqual(await treeHash(tree, n), roots[n]);
    for (let size = 1; size <= 70; size += 3) {
      for (let i = 0; i < size; i += 5) {
        const proof = await inclusionProof(tree, i, size);
        assert.ok(verifyInclusion(i, size, leafHash(Buffer.from(`entry ${i}`)), proof, roots[size]!));
      }
      for (let m = 1; m <= size; m += 2) {
        const proof = await consistencyProof(tree, m, size);
        assert.ok(verifyConsistency(m, size, proof, roots[m]!, roots[size]!), `${m}->${size}`);
        if (proof.length > 0) {
          const bad = proof.map((h) => h.slice());
          bad[0]![0]! ^= 1;
          assert.ok(!verifyConsistency(m, size, bad, roots[m]!, roots[size]!));
        }
      }
    }
  });
});
