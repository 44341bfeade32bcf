/**
 * The witness of c2sp.org/tlog-witness as a pure state machine: it knows some logs (origin + the
 * log's verifier keys), remembers the latest checkpoint it cosigned for each, and answers
 * `add-checkpoint` requests with an HTTP-shaped response. Storage and the clock are injected, so the
 * HTTP server (src/witness) and tests drive the same logic.
 */
import { createHash } from 'node:crypto';
import { EMPTY_ROOT, HASH_SIZE, hashEqual, type Hash } from './hash.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { cosign } from './cosignature.js';
import { SIG_TYPE_COSIGNATURE_V1, type SignerKey } from './keys.js';
import {
  NoteError,
  formatNote,
  formatSignatureLine,
  parseNote,
  verifyNote,
  type NoteVerifier,
  type VerifiedNote,
} from './note.js';
import { verifyConsistency } from './verify.js';

/** The spec allows at most 63 proof lines; a longer body is refused before any work. */
export const MAX_PROOF_LINES = 63;
/** Bounds the body a witness reads: 63 proof lines and a checkpoint with many signatures. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Hash[];
  /** The signed checkpoint note, as sent. */
  readonly checkpoint: string;
}

export function formatAddCheckpoint(r: AddCheckpointRequest): string {
  const lines = [`old ${r.oldSize}`, ...r.proof.map((h) => Buffer.from(h).toString('base64'))];
  return `${lines.join('\n')}\n\n${r.checkpoint}`;
}

export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw new Error('request has no blank line before the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const m = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
  if (!m) throw new Error('request does not start with an old size line');
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw new Error('old size is too large');
  const proofLines = head.slice(1);
  if (proofLines.length > MAX_PROOF_LINES) throw new Error('too many consistency proof lines');
  const proof = proofLines.map((line) => {
    const h = Buffer.from(line, 'base64');
    if (h.length !== HASH_SIZE || h.toString('base64') !== line)
      throw new Error('malformed consistency proof line');
    return new Uint8Array(h);
  });
  return { oldSize, proof, checkpoint: body.slice(blank + 2) };
}

export interface WitnessedLog {
  readonly origin: string;
  /** The log's key(s); a checkpoint needs a valid signature from one of them. */
  readonly verifiers: readonly NoteVerifier[];
}

/** The latest checkpoint the witness cosigned for one log. */
export interface WitnessRecord {
  readonly size: number;
  readonly root: Hash;
  /** The checkpoint note with the log's signatures and our cosignature, for monitors. */
  readonly note: string;
}

/** Persistence. `write` must be durable when it resolves: the cosignature is only returned after. */
export interface WitnessStore {
  read(origin: string): Promise<WitnessRecord | undefined>;
  write(origin: string, record: WitnessRecord): Promise<void>;
}

export interface WitnessResponse {
  readonly status: 200 | 400 | 403 | 404 | 409 | 422;
  readonly contentType: string;
  readonly body: string;
}

export interface WitnessOptions {
  /** A cosignature/v1 (type 0x04) key. */
  readonly key: SignerKey;
  readonly logs: readonly WitnessedLog[];
  readonly store: WitnessStore;
  /** POSIX seconds; injected for tests. */
  readonly now?: () => number;
}

const TEXT = 'text/plain; charset=utf-8';
const reply = (status: WitnessResponse['status'], body: string, contentType = TEXT): WitnessResponse => ({
  status,
  contentType,
  body,
});

/** The path segment monitors use: lowercase hex SHA-256 of the origin. */
export function originHash(origin: string): string {
  return createHash('sha256').update(origin).digest('hex');
}

export class Witness {
  private readonly logs = new Map<string, WitnessedLog>();
  private readonly now: () => number;
  /** Check-then-write runs one request at a time, or two requests could roll the state back (spec race). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WitnessOptions) {
    if (options.key.type !== SIG_TYPE_COSIGNATURE_V1)
      throw new Error('a witness key must be a cosignature/v1 key');
    for (const log of options.logs) this.logs.set(log.origin, log);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  addCheckpoint(body: string): Promise<WitnessResponse> {
    const run = this.queue.then(() => this.handle(body));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The latest cosigned checkpoint for a log, by origin hash (GET <prefix>/<hash>/checkpoint). */
  async latest(hash: string): Promise<string | undefined> {
    for (const origin of this.logs.keys()) {
      if (originHash(origin) === hash) return (await this.options.store.read(origin))?.note;
    }
    return undefined;
  }

  private async handle(body: string): Promise<WitnessResponse> {
    let req: AddCheckpointRequest;
    let origin: string;
    try {
      req = parseAddCheckpoint(body);
      origin = parseNote(req.checkpoint).text.split('\n')[0]!;
    } catch (err) {
      return reply(400, `${err instanceof Error ? err.message : 'malformed request'}\n`);
    }
    const log = this.logs.get(origin);
    if (!log) return reply(404, 'unknown log\n');
    let cp: Checkpoint;
    let note: VerifiedNote;
    try {
      note = verifyNote(req.checkpoint, log.verifiers);
      cp = parseCheckpoint(note.text);
    } catch (err) {
      if (err instanceof NoteError && err.kind !== 'malformed') return reply(403, `${err.message}\n`);
      return reply(400, `${err instanceof Error ? err.message : 'malformed checkpoint'}\n`);
    }
    if (req.oldSize > cp.size) return reply(400, 'old size is larger than the checkpoint size\n');
    const stored = await this.options.store.read(origin);
    const storedSize = stored?.size ?? 0;
    if (req.oldSize !== storedSize) return reply(409, `${storedSize}\n`, 'text/x.tlog.size');
    if (cp.size === 0 && !hashEqual(cp.root, EMPTY_ROOT))
      return reply(422, 'empty tree with a non-empty root\n');
    if (req.oldSize === 0) {
      if (req.proof.length > 0) return reply(422, 'a proof from the empty tree must be empty\n');
    } else if (req.oldSize === cp.size) {
      if (req.proof.length > 0 || !hashEqual(stored!.root, cp.root)) {
        return reply(422, 'same size as the cosigned checkpoint but a different root (fork)\n');
      }
    } else if (!verifyConsistency(req.oldSize, cp.size, req.proof, stored!.root, cp.root)) {
      return reply(422, 'consistency proof does not verify\n');
    }
    const sig = cosign(this.options.key, note.text, this.now());
    // Monitors get the log signatures we verified and ours, not whatever else the request carried.
    const record: WitnessRecord = {
      size: cp.size,
      root: cp.root,
      note: formatNote({ text: note.text, signatures: [...note.verified, sig] }),
    };
    await this.options.store.write(origin, record);
    return reply(200, formatSignatureLine(sig));
  }
}

/** An in-memory WitnessStore for tests and tools. */
export class MemoryWitnessStore implements WitnessStore {
  readonly records = new Map<string, WitnessRecord>();
  async read(origin: string): Promise<WitnessRecord | undefined> {
    return this.records.get(origin);
  }
  async write(origin: string, record: WitnessRecord): Promise<void> {
    this.records.set(origin, record);
  }
}
