/**
 * RFC 9420 secret-tree and tree-validation test vectors (mlswg/mls-implementations, see
 * test/fixtures/mls/README.md) through the ts-mls functions our patch changes (patches/ts-mls+1.6.4.patch):
 * the lazily derived secret tree, the memoised tree hash and the parent-hash coverage check that no
 * longer computes hashes nobody compares. Each check also runs a second time, so answers served from
 * the tree-hash cache are held to the same vectors, and a changed tree must never get a cached answer.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultKeyRetentionConfig } from 'ts-mls/keyRetentionConfig.js';
import type { ReuseGuard } from 'ts-mls/sender.js';
import { verifyParentHashes } from 'ts-mls/parentHash.js';
import { decodeRatchetTree, resolution, type RatchetTree } from 'ts-mls/ratchetTree.js';
import {
  allSecretTreeValues,
  createSecretTree,
  decodeSecretTree,
  ratchetToGeneration,
  secretTreeEncoder,
  type SecretTree,
} from 'ts-mls/secretTree.js';
import { encode } from 'ts-mls/codec/tlsEncoder.js';
import { treeHash, treeHashRoot } from 'ts-mls/treeHash.js';
import { toNodeIndex } from 'ts-mls/treemath.js';
import { cipherSuite } from '../../../src/e2ee/mls/index.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/mls/${name}`, import.meta.url), 'utf8'));
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface LeafGeneration {
  readonly generation: number;
  readonly application_key: string;
  readonly application_nonce: string;
  readonly handshake_key: string;
  readonly handshake_nonce: string;
}
interface SecretTreeVector {
  readonly cipher_suite: number;
  readonly encryption_secret: string;
  readonly leaves: readonly (readonly LeafGeneration[])[];
}
interface TreeValidationVector {
  readonly cipher_suite: number;
  readonly tree: string;
  readonly tree_hashes: readonly string[];
  readonly resolutions: readonly (readonly number[])[];
}

const zeros = new Uint8Array(4) as ReuseGuard;

test('RFC 9420 secret-tree vectors, cipher suite 1: every leaf and generation from a lazily derived tree', async () => {
  const vectors = (fixture('secret-tree.json') as SecretTreeVector[]).filter((v) => v.cipher_suite === 1);
  assert.ok(vectors.length >= 3, 'the fixture has cipher suite 1 entries');
  const cs = await cipherSuite();
  const config = { ...defaultKeyRetentionConfig, maximumForwardRatchetSteps: 1 << 20 };
  let checked = 0;
  for (const v of vectors) {
    let tree: SecretTree = await createSecretTree(v.leaves.length, bytes(v.encryption_secret), cs.kdf);
    // Nothing but the root is derived until a leaf is used.
    assert.equal(tree.filter((n) => n !== undefined).length, 1);
    // Derive from the last leaf first, and round-trip the partly derived tree through its codec midway.
    for (let leaf = v.leaves.length - 1; leaf >= 0; leaf--) {
      for (const g of v.leaves[leaf]!) {
        for (const kind of ['application', 'commit'] as const) {
          const senderData = { leafIndex: leaf, generation: g.generation, reuseGuard: zeros };
          const result = await ratchetToGeneration(tree, senderData, kind, config, cs);
          const [key, nonce] =
            kind === 'application'
              ? [g.application_key, g.application_nonce]
              : [g.handshake_key, g.handshake_nonce];
          assert.equal(hex(result.key), key, `leaf ${leaf} generation ${g.generation} ${kind} key`);
          assert.equal(hex(result.nonce), nonce, `leaf ${leaf} generation ${g.generation} ${kind} nonce`);
          tree = result.newTree;
          checked++;
        }
      }
      if (leaf === Math.floor(v.leaves.length / 2)) {
        const decoded = decodeSecretTree(encode(secretTreeEncoder)(tree), 0);
        assert.ok(decoded, 'a partly derived secret tree decodes');
        assert.deepEqual(decoded[0], tree);
        tree = decoded[0];
      }
    }
    assert.ok(allSecretTreeValues(tree).length > 0);
  }
  assert.ok(checked > 100, `${checked} keys and nonces checked`);
});

test('the secret tree refuses a leaf outside it and derives nothing twice', async () => {
  const cs = await cipherSuite();
  const tree = await createSecretTree(4, new Uint8Array(32).fill(7), cs.kdf);
  const config = defaultKeyRetentionConfig;
  await assert.rejects(
    ratchetToGeneration(tree, { leafIndex: 4, generation: 0, reuseGuard: zeros }, 'application', config, cs),
    /Bad node index/,
  );
  const first = await ratchetToGeneration(
    tree,
    { leafIndex: 2, generation: 0, reuseGuard: zeros },
    'application',
    config,
    cs,
  );
  // The input tree is unchanged; the result holds leaf 2's ratchets and the siblings' unexpanded secrets,
  // and the secrets on the way down (root, leaf 2's parent) are deleted once their children exist.
  assert.equal(tree.filter((n) => n !== undefined).length, 1);
  const derived = first.newTree.map((n, i) =>
    n === undefined ? '-' : 'treeSecret' in n ? `s${i}` : `L${i}`,
  );
  assert.deepEqual(derived, ['-', 's1', '-', '-', 'L4', '-', 's6']);
  // Leaf 3 (node 6) comes from the stored sibling secret and matches a fresh derivation.
  const viaSibling = await ratchetToGeneration(
    first.newTree,
    { leafIndex: 3, generation: 0, reuseGuard: zeros },
    'commit',
    config,
    cs,
  );
  const fresh = await ratchetToGeneration(
    tree,
    { leafIndex: 3, generation: 0, reuseGuard: zeros },
    'commit',
    config,
    cs,
  );
  assert.equal(hex(viaSibling.key), hex(fresh.key));
});

function decodeTree(v: TreeValidationVector): RatchetTree {
  const decoded = decodeRatchetTree(bytes(v.tree), 0);
  assert.ok(decoded, 'the vector tree decodes');
  return decoded[0];
}

test('RFC 9420 tree-validation vectors, cipher suite 1: every node hash (twice), resolutions, parent hashes', async () => {
  const vectors = fixture('tree-validation-suite1.json') as TreeValidationVector[];
  assert.ok(vectors.length >= 10);
  const cs = await cipherSuite();
  for (const [n, v] of vectors.entries()) {
    const tree = decodeTree(v);
    for (const pass of [1, 2]) {
      for (let i = 0; i < v.tree_hashes.length; i++) {
        assert.equal(
          hex(await treeHash(tree, toNodeIndex(i), cs.hash)),
          v.tree_hashes[i],
          `vector ${n} node ${i} pass ${pass}`,
        );
      }
    }
    for (let i = 0; i < v.resolutions.length; i++) {
      assert.deepEqual(resolution(tree, toNodeIndex(i)), v.resolutions[i], `vector ${n} resolution ${i}`);
    }
    assert.equal(await verifyParentHashes(tree, cs.hash), true, `vector ${n} parent hashes`);
  }
});

test('a changed tree never gets a cached hash, and a wrong parent hash is still caught', async () => {
  const vectors = fixture('tree-validation-suite1.json') as TreeValidationVector[];
  const cs = await cipherSuite();
  // The largest tree with a parent node that has a parent hash.
  const v = [...vectors].sort((a, b) => b.tree_hashes.length - a.tree_hashes.length)[0]!;
  const tree = decodeTree(v);
  const rootHash = hex(await treeHashRoot(tree, cs.hash));
  assert.equal(rootHash, v.tree_hashes[(v.tree_hashes.length - 1) / 2]);

  // Replace one leaf with an equal-looking copy that differs in one byte of its signature.
  const leafAt = tree.findIndex((node, i) => i % 2 === 0 && node?.nodeType === 'leaf');
  const leaf = tree[leafAt];
  assert.ok(leaf?.nodeType === 'leaf');
  const signature = Uint8Array.from(leaf.leaf.signature);
  signature[0] = signature[0]! ^ 1;
  const changed = tree.slice();
  changed[leafAt] = { nodeType: 'leaf', leaf: { ...leaf.leaf, signature } };
  assert.notEqual(
    hex(await treeHashRoot(changed, cs.hash)),
    rootHash,
    'a changed leaf changes the root hash',
  );
  assert.equal(hex(await treeHashRoot(tree, cs.hash)), rootHash, 'the original tree still hashes as before');

  // Corrupt the parent hash of a parent node: coverage must fail.
  const parentAt = tree.findIndex((node) => node?.nodeType === 'parent' && node.parent.parentHash.length > 0);
  const parentNode = tree[parentAt];
  assert.ok(parentNode?.nodeType === 'parent', 'the vector has a parent with a parent hash');
  const wrong = Uint8Array.from(parentNode.parent.parentHash);
  wrong[0] = wrong[0]! ^ 1;
  const corrupted = tree.slice();
  corrupted[parentAt] = { nodeType: 'parent', parent: { ...parentNode.parent, parentHash: wrong } };
  assert.equal(await verifyParentHashes(corrupted, cs.hash), false);
  assert.equal(await verifyParentHashes(tree, cs.hash), true);
});
