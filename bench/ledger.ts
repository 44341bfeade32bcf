/**
 * Ledger benchmark: the pure src/ledger code with an in-memory tile store (a Map, standing in for the
 * database), so it measures hashing, tiling, proofs and verification, not storage.
 *
 *   node --import tsx bench/ledger.ts [entries=1000000] [batch=100] [checkpointEvery=1000] [verifyEntries=100000]
 *
 * 1. Append `entries` operator-action-sized entries (~160 bytes of JSON) in batches, storing every
 *    returned tile and bundle, and signing a checkpoint (Ed25519) every `checkpointEvery` entries.
 * 2. Inclusion and consistency proofs at the final size from tiles, each with a fresh TileHashReader
 *    (no warm cache), as a server answering independent requests would.
 * 3. The full tile verifier (bundles → tiles → root, plus consistency with an older checkpoint) over
 *    a log of `verifyEntries` entries.
 * 4. Bytes per entry of tiles and bundles, counting only what the final checkpoint needs.
 */
import os from 'node:os';
import {
  TileAppender,
  TileHashReader,
  consistencyProof,
  ed25519Signer,
  formatCheckpoint,
  formatNote,
  generateSignerKey,
  inclusionProof,
  leafHash,
  partialTiles,
  signNote,
  tileLevels,
  tilePath,
  tilesAtLevel,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
  type Checkpoint,
  type TileReader,
} from '../src/ledger/index.js';

const ENTRIES = Number(process.argv[2] ?? 1_000_000);
const BATCH = Number(process.argv[3] ?? 100);
const CHECKPOINT_EVERY = Number(process.argv[4] ?? 1000);
const VERIFY_ENTRIES = Number(process.argv[5] ?? 100_000);
const ORIGIN = 'bench.convene.example/ledger';

const enc = new TextEncoder();
function entry(i: number): Uint8Array {
  return enc.encode(
    JSON.stringify({
      seq: i,
      at: 1_800_000_000_000 + i * 37,
      actor: `operator-${i % 17}`,
      action: 'meeting.end',
      target: `m-${(i * 7919) % 1_000_003}`,
      jurisdiction: 'DE',
      reason: 'scheduled end reached',
    }),
  );
}

class MapStore implements TileReader {
  readonly files = new Map<string, Uint8Array>();
  async readTiles(refs: Parameters<typeof tilePath>[0][]): Promise<Uint8Array[]> {
    return refs.map((r) => this.files.get(tilePath(r))!);
  }
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function build(size: number, signEvery: number) {
  const store = new MapStore();
  const appender = TileAppender.empty();
  const signer = ed25519Signer(generateSignerKey(ORIGIN));
  const checkpoints = new Map<number, Checkpoint>();
  let signed = 0;
  let tileWrites = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < size; i += BATCH) {
    const entries: Uint8Array[] = [];
    for (let k = i; k < Math.min(size, i + BATCH); k++) entries.push(entry(k));
    const res = appender.append(entries);
    for (const t of res.tiles) store.files.set(tilePath(t.ref), t.data);
    tileWrites += res.tiles.length;
    if (res.size % signEvery === 0 || res.size === size) {
      const cp: Checkpoint = { origin: ORIGIN, size: res.size, root: appender.root(), extensions: [] };
      formatNote(signNote(formatCheckpoint(cp), [signer]));
      checkpoints.set(res.size, cp);
      signed++;
    }
  }
  return { store, checkpoints, signed, tileWrites, elapsedMs: ms(t0) };
}

function neededBytes(store: MapStore, size: number): { tiles: number; bundles: number } {
  let tiles = 0;
  let bundles = 0;
  for (let l = 0; l < tileLevels(size); l++) tiles += tilesAtLevel(l, size).full * 8192;
  for (const p of partialTiles(size)) tiles += store.files.get(tilePath(p))!.length;
  const { full, partialWidth } = tilesAtLevel('entries', size);
  for (let n = 0; n < full; n++)
    bundles += store.files.get(tilePath({ level: 'entries', index: n, width: 256 }))!.length;
  if (partialWidth > 0)
    bundles += store.files.get(tilePath({ level: 'entries', index: full, width: partialWidth }))!.length;
  return { tiles, bundles };
}

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs (${cpu}), load ${os.loadavg()[0]!.toFixed(2)}`,
  );

  // 1. Append.
  const big = await build(ENTRIES, CHECKPOINT_EVERY);
  console.log(
    `append: ${ENTRIES} entries in batches of ${BATCH}, checkpoint signed every ${CHECKPOINT_EVERY}: ` +
      `${(big.elapsedMs / 1000).toFixed(2)} s = ${Math.round(ENTRIES / (big.elapsedMs / 1000))} entries/s ` +
      `(${big.signed} checkpoints, ${big.tileWrites} tile/bundle writes = ${(big.tileWrites / (ENTRIES / BATCH)).toFixed(1)} per batch)`,
  );
  const final = big.checkpoints.get(ENTRIES)!;

  // 2. Proofs at the final size, fresh reader each (cold), verified so the timing includes nothing bogus.
  const N = 1000;
  let rnd = 12345;
  const next = (n: number) => {
    rnd = (rnd * 48271) % 2147483647;
    return rnd % n;
  };
  let t0 = process.hrtime.bigint();
  const incl: number[] = [];
  for (let k = 0; k < N; k++) {
    const i = next(ENTRIES);
    const t = process.hrtime.bigint();
    const proof = await inclusionProof(new TileHashReader(ENTRIES, big.store), i, ENTRIES);
    incl.push(ms(t));
    if (!verifyInclusion(i, ENTRIES, leafHash(entry(i)), proof, final.root))
      throw new Error('inclusion proof failed');
  }
  console.log(
    `inclusion proof at ${ENTRIES}: ${summary(incl)} (${N} proofs, ${(ms(t0) / 1000).toFixed(2)} s incl. verify)`,
  );
  const sizes = [...big.checkpoints.keys()];
  const cons: number[] = [];
  t0 = process.hrtime.bigint();
  for (let k = 0; k < N; k++) {
    const old = sizes[next(sizes.length - 1)]!;
    const t = process.hrtime.bigint();
    const proof = await consistencyProof(new TileHashReader(ENTRIES, big.store), old, ENTRIES);
    cons.push(ms(t));
    if (!verifyConsistency(old, ENTRIES, proof, big.checkpoints.get(old)!.root, final.root)) {
      throw new Error('consistency proof failed');
    }
  }
  console.log(`consistency proof to ${ENTRIES}: ${summary(cons)} (${N} proofs from random checkpoints)`);

  // 4. Storage.
  const bytes = neededBytes(big.store, ENTRIES);
  const entryBytes =
    Array.from({ length: 1000 }, (_, i) => entry(i * 997).length).reduce((a, b) => a + b, 0) / 1000;
  console.log(
    `storage at ${ENTRIES}: tiles ${(bytes.tiles / ENTRIES).toFixed(2)} B/entry, bundles ${(bytes.bundles / ENTRIES).toFixed(2)} B/entry ` +
      `(mean entry ${entryBytes.toFixed(1)} B + 2 B length); all stored partial tiles and bundles: ` +
      `${([...big.store.files.values()].reduce((a, f) => a + f.length, 0) / ENTRIES).toFixed(2)} B/entry`,
  );
  big.store.files.clear();

  // 3. Verifier.
  const small = await build(VERIFY_ENTRIES, CHECKPOINT_EVERY);
  const cp = small.checkpoints.get(VERIFY_ENTRIES)!;
  const prev = small.checkpoints.get(Math.floor(VERIFY_ENTRIES / 2 / CHECKPOINT_EVERY) * CHECKPOINT_EVERY)!;
  const fetch = async (p: string) => {
    const f = small.store.files.get(p);
    if (!f) throw new Error(`404 ${p}`);
    return f;
  };
  let last = 0;
  t0 = process.hrtime.bigint();
  await verifyLog(cp, { fetch, previous: prev, onProgress: (p) => (last = p.done) });
  const verifyMs = ms(t0);
  console.log(
    `verifyLog: ${VERIFY_ENTRIES} entries (+ consistency with ${prev.size}): ${(verifyMs / 1000).toFixed(2)} s ` +
      `= ${Math.round(VERIFY_ENTRIES / (verifyMs / 1000))} entries/s (last progress ${last})`,
  );
  console.log(`load after: ${os.loadavg()[0]!.toFixed(2)}`);
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms, max ${s[s.length - 1]!.toFixed(3)} ms`;
}

await main();
