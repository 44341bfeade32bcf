/**
 * 1,000 random edits, deletions, insertions and reorders of a published log, each of which the audit
 * (`convene audit verify`'s checks, src/audit/audit.ts) must catch. Some edit served tiles or bundles
 * directly; others rewrite the stored rows and rebuild every tile and checkpoint consistently (with
 * the log's own key, as a dishonest operator could), which only an older checkpoint held by a witness
 * or an earlier audit can expose.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seeded } from '../../support/seeded.js';
import { auditLog, type AuditSource } from '../../../src/audit/audit.js';
import { partialPaths } from '../../../src/app/transparency/LogPublisher.js';
import { encodeLogEntry, logEntryOf } from '../../../src/app/transparency/logEntry.js';
import {
  TileAppender,
  decodeBundle,
  ed25519Signer,
  encodeBundle,
  formatCheckpoint,
  formatNote,
  formatVerifierKey,
  generateSignerKey,
  signNote,
  tilePath,
  verifierOf,
  type SignerKey,
} from '../../../src/ledger/index.js';

interface Row {
  at: Date;
  actor: string;
  action: string;
  caseRef: string | null;
  details: Record<string, unknown>;
  privateDigest: string | null;
}

function rows(n: number, rand: () => number): Row[] {
  const actions = ['case.recorded', 'case.decided', 'restriction.added', 'appeal.filed', 'gag.set'];
  return Array.from({ length: n }, (_, i) => ({
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    actor: rand() < 0.5 ? `operator:op${i % 7}` : 'system',
    action: actions[i % actions.length]!,
    caseRef: `CVN-2026-${String(1 + (i % 90)).padStart(4, '0')}`,
    details: { jurisdiction: ['CN', 'HK', 'RU', 'IR'][i % 4], meetings: Math.floor(rand() * 5) },
    privateDigest: null,
  }));
}

/** Publishes rows as a log: every tile and bundle by path, plus the signed checkpoint and key. */
function publish(entries: readonly Row[], key: SignerKey): Map<string, Uint8Array> {
  const appender = TileAppender.empty();
  const files = new Map<string, Uint8Array>();
  // Appended in uneven batches, as transactions would, so partial tiles are exercised.
  for (let i = 0; i < entries.length;) {
    const batch = entries.slice(i, i + 1 + (i % 37));
    const res = appender.append(batch.map((r, k) => encodeLogEntry(logEntryOf(r, i + k))));
    for (const t of res.tiles) files.set(tilePath(t.ref), t.data);
    i += batch.length;
  }
  // A server keeps only the partial tiles of the sizes it published (LogPublisher trims the rest).
  const keep = new Set(partialPaths(appender.size));
  for (const p of [...files.keys()]) if (p.includes('.p/') && !keep.has(p)) files.delete(p);
  const text = formatCheckpoint({
    origin: key.name,
    size: appender.size,
    root: appender.root(),
    extensions: [],
  });
  const enc = new TextEncoder();
  files.set('checkpoint', enc.encode(formatNote(signNote(text, [ed25519Signer(key)]))));
  files.set('key', enc.encode(formatVerifierKey(verifierOf(key))));
  return files;
}

const source = (files: Map<string, Uint8Array>): AuditSource => ({
  name: 'memory',
  get: async (p) => files.get(p),
});

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

test('1,000 random tamperings of a published log are each caught by the audit', async () => {
  const rand = seeded(20261201);
  const key = generateSignerKey('convene.test/log');
  const vkey = formatVerifierKey(verifierOf(key));
  const honestRows = rows(300, rand);
  const honest = publish(honestRows, key);
  const checkpoint = new TextDecoder().decode(honest.get('checkpoint')!);
  // The honest log passes, including against its own checkpoint as the "previous" one.
  const baseline = await auditLog(source(honest), { logKey: vkey, previous: checkpoint });
  assert.equal(baseline.ok, true, JSON.stringify(baseline.checks));

  const resources = [...honest.keys()].filter((p) => p.startsWith('tile/'));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const kinds = new Map<string, number>();
  let caught = 0;
  for (let i = 0; i < 1000; i++) {
    const files = new Map(honest);
    let kind: string;
    const k = i % 8;
    if (k === 0) {
      kind = 'flip a byte of a tile or bundle';
      const p = pick(resources);
      const data = files.get(p)!.slice();
      data[Math.floor(rand() * data.length)]! ^= 1 << Math.floor(rand() * 8);
      files.set(p, data);
    } else if (k === 1) {
      kind = 'delete a tile or bundle';
      files.delete(pick(resources));
    } else if (k === 2) {
      kind = 'insert an entry into a bundle';
      const p = pick(resources.filter((r) => r.startsWith('tile/entries/')));
      const entries = decodeBundle(files.get(p)!);
      entries.splice(Math.floor(rand() * (entries.length + 1)), 0, pick(entries));
      files.set(p, encodeBundle(entries));
    } else if (k === 3) {
      kind = 'reorder two entries of a bundle';
      const p = pick(resources.filter((r) => r.startsWith('tile/entries/')));
      const entries = decodeBundle(files.get(p)!);
      const a = Math.floor(rand() * entries.length);
      let b = Math.floor(rand() * entries.length);
      if (b === a) b = (a + 1) % entries.length;
      [entries[a], entries[b]] = [entries[b]!, entries[a]!];
      files.set(p, encodeBundle(entries));
    } else if (k === 4) {
      kind = 'swap two resources';
      const a = pick(resources);
      const b = pick(resources.filter((r) => r !== a && !equal(files.get(r)!, files.get(a)!)));
      const da = files.get(a)!;
      files.set(a, files.get(b)!);
      files.set(b, da);
    } else {
      // Rewrites of the stored rows, then every tile and the checkpoint rebuilt and re-signed.
      const edited = honestRows.map((r) => ({ ...r, details: { ...r.details } }));
      const at = Math.floor(rand() * edited.length);
      if (k === 5) {
        kind = 'edit a row and rebuild the log';
        edited[at]!.details.meetings = (edited[at]!.details.meetings as number) + 1;
      } else if (k === 6) {
        kind = 'delete a row and rebuild the log';
        edited.splice(at, 1);
      } else {
        kind = 'insert a row and rebuild the log';
        edited.splice(at, 0, { ...edited[at]!, action: 'restriction.lifted' });
      }
      for (const [p, d] of publish(edited, key)) files.set(p, d);
      for (const p of files.keys())
        if (p.startsWith('tile/') && !publish(edited, key).has(p)) files.delete(p);
    }
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const result = await auditLog(source(files), { logKey: vkey, previous: checkpoint });
    assert.equal(result.ok, false, `tampering ${i} (${kind}) was not caught`);
    caught++;
  }
  assert.equal(caught, 1000);
  assert.equal(kinds.size, 8);
});

test('a fork (two checkpoints of one size with different roots) is caught', async () => {
  const rand = seeded(7);
  const key = generateSignerKey('convene.test/log');
  const vkey = formatVerifierKey(verifierOf(key));
  const a = rows(40, rand);
  const b = a.map((r, i) => (i === 39 ? { ...r, action: 'case.expired' } : r));
  const shownToAuditor = new TextDecoder().decode(publish(a, key).get('checkpoint')!);
  const result = await auditLog(source(publish(b, key)), { logKey: vkey, previous: shownToAuditor });
  assert.equal(result.ok, false);
  assert.ok(result.checks.some((c) => c.name === 'consistency with the previous checkpoint' && !c.ok));
});
