/** Tile paths, incremental tile building, tile-backed proofs, and the tile verifier (including tampering). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  LogVerificationError,
  MemoryTree,
  TileAppender,
  TileHashReader,
  consistencyProof,
  decodeBundle,
  encodeBundle,
  inclusionProof,
  leafHash,
  parseTilePath,
  tilePath,
  treeHash,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
  type Checkpoint,
  type TileReader,
} from '../../../src/ledger/index.js';

const entry = (i: number) => new TextEncoder().encode(`operator action #${i} ${'x'.repeat(i % 7)}`);

/** A tile store as a server would keep it: upsert every returned tile by path. */
class Store implements TileReader {
  readonly files = new Map<string, Uint8Array>();
  async readTiles(refs: readonly Parameters<typeof tilePath>[0][]): Promise<Uint8Array[]> {
    return refs.map((r) => {
      const f = this.files.get(tilePath(r));
      if (!f) throw new Error(`missing ${tilePath(r)}`);
      return f;
    });
  }
  fetch = async (path: string): Promise<Uint8Array> => {
    const f = this.files.get(path);
    if (!f) throw new Error('404');
    return f;
  };
}

function build(
  size: number,
  batch: number,
): { store: Store; appender: TileAppender; mem: MemoryTree; roots: Map<number, Uint8Array> } {
  const store = new Store();
  const appender = TileAppender.empty();
  const mem = new MemoryTree();
  const roots = new Map<number, Uint8Array>();
  for (let i = 0; i < size; i += batch) {
    const entries = Array.from({ length: Math.min(batch, size - i) }, (_, k) => entry(i + k));
    const res = appender.append(entries);
    for (const t of res.tiles) store.files.set(tilePath(t.ref), t.data);
    for (const e of entries) mem.appendEntry(e);
    roots.set(res.size, appender.root());
  }
  return { store, appender, mem, roots };
}

describe('tile paths', () => {
  test('encoding per the spec examples', () => {
    assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
    assert.equal(tilePath({ level: 1, index: 5, width: 17 }), 'tile/1/005.p/17');
    assert.equal(tilePath({ level: 'entries', index: 1000, width: 1 }), 'tile/entries/x001/000.p/1');
    for (const p of ['tile/0/x001/x234/067', 'tile/1/005.p/17', 'tile/entries/x001/000.p/1', 'tile/63/000']) {
      assert.equal(tilePath(parseTilePath(p)!), p);
    }
    for (const bad of [
      'tile/0/1',
      'tile/0/001/002',
      'tile/0/x000/001',
      'tile/0/001.p/0',
      'tile/0/001.p/256',
      'tile/01/000',
      'tile/64/000',
    ]) {
      assert.equal(parseTilePath(bad), undefined, bad);
    }
  });

  test('entry bundles round trip and reject truncation', () => {
    const entries = [new Uint8Array(0), entry(1), new Uint8Array(300).fill(9)];
    const b = encodeBundle(entries);
    assert.deepEqual(decodeBundle(b), entries);
    assert.throws(() => decodeBundle(b.subarray(0, b.length - 1)));
    assert.throws(() => encodeBundle([new Uint8Array(0x10000)]));
  });
});

describe('TileAppender', () => {
  test('the tiles for 70000 entries are those the spec lists, and roots match an independent tree', async () => {
    const { store, appender, mem } = build(70_000, 997);
    const paths = [...store.files.keys()];
    const full0 = paths.filter((p) => /^tile\/0\/[x0-9/]+$/.test(p)).length;
    assert.equal(full0, 273);
    assert.ok(store.files.has('tile/0/273.p/112'));
    assert.ok(store.files.has('tile/1/000'));
    assert.ok(store.files.has('tile/1/001.p/17'));
    assert.ok(store.files.has('tile/2/000.p/1'));
    assert.ok(store.files.has('tile/entries/273.p/112'));
    assert.deepEqual(appender.root(), await treeHash(mem, 70_000));
    const reader = new TileHashReader(70_000, store);
    assert.deepEqual(await treeHash(reader, 70_000), appender.root());
    assert.deepEqual(await treeHash(reader, 65_536), await treeHash(mem, 65_536));
    assert.deepEqual(await treeHash(reader, 1234), await treeHash(mem, 1234));
  });

  test('proofs from tiles equal proofs from the full tree and verify', async () => {
    const { store, mem, roots } = build(3000, 101);
    for (const [size, root] of roots) {
      const reader = new TileHashReader(size, store);
      for (const i of [0, 1, 255, 256, size - 1].filter((i) => i < size)) {
        const p = await inclusionProof(reader, i, size);
        assert.deepEqual(p, await inclusionProof(mem, i, size));
        assert.ok(verifyInclusion(i, size, leafHash(entry(i)), p, root));
      }
      for (const [old, oldRoot] of roots) {
        if (old > size) continue;
        const p = await consistencyProof(reader, old, size);
        assert.ok(verifyConsistency(old, size, p, oldRoot, root), `${old}->${size}`);
      }
    }
  });

  test('a restored appender continues exactly where the stored tiles end', async () => {
    const a = build(1000, 300);
    const restored = await TileAppender.restore(1000, a.store);
    assert.deepEqual(restored.root(), a.appender.root());
    const more = Array.from({ length: 600 }, (_, k) => entry(1000 + k));
    const r1 = restored.append(more);
    const r2 = a.appender.append(more);
    assert.deepEqual(r1.tiles, r2.tiles);
    assert.deepEqual(restored.root(), a.appender.root());
    // A refused batch (an entry too long for a bundle) changes nothing.
    const before = restored.root();
    assert.throws(() => restored.append([entry(1), new Uint8Array(0x10000)]), RangeError);
    assert.equal(restored.size, 1600);
    assert.deepEqual(restored.root(), before);
    // Batching does not change the result.
    const b = build(1600, 1);
    assert.deepEqual(b.appender.root(), restored.root());
  });
});

describe('verifyLog', () => {
  test('an honest log verifies, with progress, and an older checkpoint is consistent', async () => {
    const { store, roots } = build(2000, 333);
    const cp: Checkpoint = { origin: 'o', size: 2000, root: roots.get(2000)!, extensions: [] };
    const old: Checkpoint = { origin: 'o', size: 999, root: roots.get(999)!, extensions: [] };
    const phases = new Set<string>();
    let seen = 0;
    await verifyLog(cp, {
      fetch: store.fetch,
      previous: old,
      onProgress: (p) => phases.add(p.phase),
      onEntry: () => seen++,
    });
    assert.deepEqual([...phases], ['entries', 'tiles', 'consistency']);
    assert.equal(seen, 2000);
    await assert.rejects(
      verifyLog(cp, { fetch: store.fetch, previous: { ...old, root: roots.get(666)! } }),
      LogVerificationError,
    );
    await assert.rejects(
      verifyLog({ ...cp, root: roots.get(1998)! }, { fetch: store.fetch }),
      LogVerificationError,
    );
  });

  test('1,000 random mutations of entries and tiles are all detected', async () => {
    const SIZE = 700;
    const { store, roots } = build(SIZE, 50);
    const cp: Checkpoint = { origin: 'o', size: SIZE, root: roots.get(SIZE)!, extensions: [] };
    await verifyLog(cp, { fetch: store.fetch });
    // The files the checkpoint needs (older partial tiles are stored too, but unused).
    const needed = [...store.files.keys()].filter((p) => !p.includes('.p/') || /\.p\/(188|2)$/.test(p));
    // mulberry32: a small seeded PRNG, so a failure reproduces.
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const kinds = [
      'edit-entry',
      'delete-entry',
      'insert-entry',
      'reorder-entries',
      'edit-tile',
      'truncate-tile',
      'swap-tiles',
      'drop-file',
    ] as const;
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const files = new Map(store.files);
      const kind = kinds[rand(kinds.length)]!;
      const bundles = needed.filter((p) => p.startsWith('tile/entries/'));
      const tiles = needed.filter((p) => !p.startsWith('tile/entries/'));
      if (
        kind === 'edit-entry' ||
        kind === 'delete-entry' ||
        kind === 'insert-entry' ||
        kind === 'reorder-entries'
      ) {
        const path = bundles[rand(bundles.length)]!;
        const entries = decodeBundle(files.get(path)!).map((e) => e.slice());
        const j = rand(entries.length);
        if (kind === 'edit-entry') {
          const e = entries[j]!;
          if (e.length === 0) entries[j] = Uint8Array.of(1);
          else e[rand(e.length)]! ^= 1 + rand(255);
        } else if (kind === 'delete-entry') entries.splice(j, 1);
        else if (kind === 'insert-entry') entries.splice(j, 0, entry(rand(10_000)));
        else {
          let k = rand(entries.length);
          if (k === j) k = (j + 1) % entries.length;
          [entries[j], entries[k]] = [entries[k]!, entries[j]!];
        }
        files.set(path, encodeBundle(entries));
      } else if (kind === 'edit-tile') {
        const path = tiles[rand(tiles.length)]!;
        const t = files.get(path)!.slice();
        t[rand(t.length)]! ^= 1 + rand(255);
        files.set(path, t);
      } else if (kind === 'truncate-tile') {
        const path = tiles[rand(tiles.length)]!;
        files.set(path, files.get(path)!.subarray(0, 32 * rand(files.get(path)!.length / 32)));
      } else if (kind === 'swap-tiles') {
        const a = tiles[rand(tiles.length)]!;
        const b = tiles.filter((p) => p !== a && files.get(p)!.length === files.get(a)!.length);
        const other = b.length > 0 ? b[rand(b.length)]! : a;
        const fa = files.get(a)!;
        files.set(a, files.get(other)!);
        files.set(other, fa);
        if (other === a)
          files.set(
            a,
            fa.map((x) => x ^ 0xff),
          );
      } else {
        files.delete(needed[rand(needed.length)]!);
      }
      const changed = needed.some((p) => {
        const a = files.get(p);
        const b = store.files.get(p)!;
        return !a || Buffer.compare(a, b) !== 0;
      });
      assert.ok(changed, `mutation ${i} (${kind}) changed something`);
      await assert.rejects(
        verifyLog(cp, { fetch: async (p) => files.get(p) ?? Promise.reject(new Error('404')) }),
        LogVerificationError,
        `mutation ${i} (${kind}) detected`,
      );
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    assert.equal(counts.size, kinds.length, 'every kind of mutation was tried');
  });
});
