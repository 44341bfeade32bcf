/**
 * Auditing a published Convene log from the outside (`convene audit verify`): everything is fetched
 * from a source (the server's `/log/` over HTTP, or a directory mirroring it) and checked with the
 * log's key and, when given, the witnesses' keys. Each check is reported; the audit passes only if
 * every check passed. Nothing here trusts the server's word: the report is recomputed from the
 * entries and compared with the one the server publishes.
 */
import {
  LogVerificationError,
  consistencyProof,
  cosignatureVerifier,
  ed25519Verifier,
  parseCheckpoint,
  parseVerifierKey,
  treeHash,
  TileHashReader,
  tileReaderFromFetch,
  verifyConsistency,
  verifyLog,
  verifyNote,
  type Checkpoint,
  type NoteVerifier,
  type VerifierKey,
  type VerifyProgress,
} from '../ledger/index.js';
import { decodeLogEntry, type LogEntry } from '../app/transparency/logEntry.js';

/** Where the log is read from. `get` resolves undefined for a resource that does not exist. */
export interface AuditSource {
  readonly name: string;
  /** A log resource by its path under the log prefix: `checkpoint`, `tile/0/000`, `key`, ... */
  get(path: string): Promise<Uint8Array | undefined>;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface AuditOptions {
  /** The log's verifier key; when absent it is read from the source (`key`), which proves less. */
  logKey?: string | undefined;
  /** Witness verifier keys: each must have cosigned the published cosigned checkpoint. */
  witnessKeys?: readonly string[];
  /** A checkpoint saved by an earlier audit: the log must have only grown since. */
  previous?: string | undefined;
  onProgress?: (p: VerifyProgress) => void;
  /** Extra checks over the verified entries (the transparency report comparison). */
  checkEntries?: (entries: readonly LogEntry[]) => Promise<Check[]>;
}

export interface AuditResult {
  readonly ok: boolean;
  readonly checks: readonly Check[];
  /** The verified checkpoint note, to save and pass as `previous` next time. */
  readonly checkpoint: string | undefined;
  readonly size: number;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function need(source: AuditSource, path: string): Promise<Uint8Array> {
  const data = await source.get(path);
  if (!data) throw new LogVerificationError('missing', path);
  return data;
}

/** Verifies a note with `keys` and parses it as a checkpoint; every key must have signed. */
function signedCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
  required: readonly NoteVerifier[],
): Checkpoint {
  const v = verifyNote(note, verifiers);
  for (const r of required) {
    if (!v.verified.some((s) => s.name === r.name && s.id === r.id))
      throw new Error(`not signed by ${r.name}`);
  }
  return parseCheckpoint(v.text);
}

export async function auditLog(source: AuditSource, options: AuditOptions = {}): Promise<AuditResult> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const done = (checkpoint?: string, size = 0): AuditResult => ({
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    checkpoint,
    size,
  });

  // 1. The log's key.
  let logKey: VerifierKey;
  try {
    const vkey = options.logKey ?? text(await need(source, 'key')).trim();
    logKey = parseVerifierKey(vkey);
    check(
      'log key',
      true,
      options.logKey ? `${vkey} (given)` : `${vkey} (read from ${source.name}: pin it with --key)`,
    );
  } catch (err) {
    check('log key', false, message(err));
    return done();
  }
  const logVerifier = ed25519Verifier(logKey);

  // 2. The latest checkpoint, signed by the log.
  let note: string;
  let checkpoint: Checkpoint;
  try {
    note = text(await need(source, 'checkpoint'));
    checkpoint = signedCheckpoint(note, [logVerifier], [logVerifier]);
    if (checkpoint.origin !== logKey.name)
      throw new Error(`origin ${checkpoint.origin} is not the key's ${logKey.name}`);
    check('checkpoint', true, `size ${checkpoint.size}, signed by ${logKey.name}`);
  } catch (err) {
    check('checkpoint', false, message(err));
    return done();
  }

  // 3. Older checkpoints that must be prefixes of this log: the witnesses' and the auditor's own.
  const older: { name: string; checkpoint: Checkpoint }[] = [];
  const witnessVerifiers = (options.witnessKeys ?? []).map((k) => cosignatureVerifier(parseVerifierKey(k)));
  const cosigned = await source.get('cosigned-checkpoint');
  if (cosigned) {
    try {
      const c = signedCheckpoint(
        text(cosigned),
        [logVerifier, ...witnessVerifiers],
        [logVerifier, ...witnessVerifiers],
      );
      older.push({ name: 'cosigned checkpoint', checkpoint: c });
      check(
        'cosigned checkpoint',
        true,
        witnessVerifiers.length > 0
          ? `size ${c.size}, cosigned by ${witnessVerifiers.map((w) => w.name).join(', ')}`
          : `size ${c.size}; witness signatures not checked (no --witness keys given)`,
      );
    } catch (err) {
      check('cosigned checkpoint', false, message(err));
    }
  } else {
    check('cosigned checkpoint', witnessVerifiers.length === 0, 'none published');
  }
  if (options.previous) {
    try {
      older.push({
        name: 'previous checkpoint',
        checkpoint: signedCheckpoint(options.previous, [logVerifier], [logVerifier]),
      });
    } catch (err) {
      check('previous checkpoint', false, message(err));
    }
  }

  // 4. Every tile and bundle against the checkpoint; every entry well-formed and in its place.
  const cache = new Map<string, Uint8Array>();
  const fetchTile = async (path: string) => {
    const hit = cache.get(path);
    if (hit) return hit;
    const data = await need(source, path);
    cache.set(path, data);
    return data;
  };
  const entries: LogEntry[] = [];
  const entryErrors: string[] = [];
  try {
    await verifyLog(checkpoint, {
      fetch: fetchTile,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onEntry: (index, bytes) => {
        try {
          entries.push(decodeLogEntry(bytes, index));
        } catch (err) {
          if (entryErrors.length < 5) entryErrors.push(message(err));
          else if (entryErrors.length === 5) entryErrors.push('…');
        }
      },
    });
    check('tiles', true, `${checkpoint.size} entries hash to the checkpoint root`);
  } catch (err) {
    check('tiles', false, message(err));
    return done(note, checkpoint.size);
  }
  check(
    'entries',
    entryErrors.length === 0,
    entryErrors.length === 0 ? `${entries.length} well-formed entries` : entryErrors.join('; '),
  );

  // 5. Consistency: each older checkpoint is a prefix of this tree (tiles already verified, cached).
  const reader = new TileHashReader(checkpoint.size, tileReaderFromFetch(fetchTile));
  for (const o of older) {
    const c = o.checkpoint;
    try {
      if (c.origin !== checkpoint.origin) throw new Error('is for another log');
      if (c.size > checkpoint.size)
        throw new Error(`is larger (${c.size}) than the latest (${checkpoint.size})`);
      const ok =
        c.size === 0
          ? Buffer.from(c.root).equals(Buffer.from(await treeHash(reader, 0)))
          : verifyConsistency(
              c.size,
              checkpoint.size,
              await consistencyProof(reader, c.size, checkpoint.size),
              c.root,
              checkpoint.root,
            );
      check(
        `consistency with the ${o.name}`,
        ok,
        ok
          ? `size ${c.size} is a prefix of size ${checkpoint.size}`
          : `size ${c.size} is NOT a prefix of this log: the log was rewritten or forked`,
      );
    } catch (err) {
      check(`consistency with the ${o.name}`, false, message(err));
    }
  }

  // 6. Whatever the caller checks over the entries (the published report).
  if (options.checkEntries) checks.push(...(await options.checkEntries(entries)));
  return done(note, checkpoint.size);
}
