/**
 * Publishes the tamper-evident log: signs a checkpoint whenever the log grew (on a schedule, and on
 * demand through `checkpointNow`), asks every configured witness to cosign it, keeps the cosigned
 * checkpoint once all of them have, and trims partial tiles no published checkpoint needs. Records
 * written before the log existed are appended first, in their original order (`backfill`).
 *
 * One publisher per node; all steps run one at a time.
 */
import type { Logger } from 'pino';
import {
  TileAppender,
  TileHashReader,
  consistencyProof,
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  formatCheckpoint,
  formatNote,
  formatVerifierKey,
  parseNote,
  parseVerifierKey,
  partialTiles,
  signNote,
  tilePath,
  tilesAtLevel,
  verifierOf,
  verifyNote,
  type NoteSignature,
  type SignerKey,
  type VerifierKey,
} from '../../ledger/index.js';
import type { StoredCheckpoint, WitnessState } from '../../store/ledgerTypes.js';
import type { Store } from '../../store/types.js';
import { WitnessRequestError, requestCosignature } from '../../witness/client.js';
import { appendToLog, storeTileReader } from './log.js';
import { encodeLogEntry, logEntryOf } from './logEntry.js';

export interface WitnessEndpoint {
  readonly url: string;
  readonly key: string;
}

interface Witness {
  readonly url: string;
  readonly key: VerifierKey;
}

/** Paths of the partial tiles and bundle a tree of `size` is served with. */
export function partialPaths(size: number): string[] {
  const out = partialTiles(size).map(tilePath);
  const { full, partialWidth } = tilesAtLevel('entries', size);
  if (partialWidth > 0) out.push(tilePath({ level: 'entries', index: full, width: partialWidth }));
  return out;
}

export class LogPublisher {
  readonly #witnesses: Witness[];
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly store: Store,
    private readonly key: SignerKey,
    witnesses: readonly WitnessEndpoint[],
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly requestTimeoutMs = 10_000,
  ) {
    this.#witnesses = witnesses.map((w) => ({ url: w.url, key: parseVerifierKey(w.key) }));
  }

  get origin(): string {
    return this.key.name;
  }

  /** The log's public key, `<origin>+<id>+<base64>` (served at /log/key). */
  get verifierKey(): string {
    return formatVerifierKey(verifierOf(this.key));
  }

  async start(): Promise<void> {
    await this.#serial(() => this.#backfill());
    await this.checkpointNow();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.checkpointNow()
        .catch((err: unknown) => this.logger.error({ err }, 'signing a log checkpoint failed'))
        .finally(() => this.#schedule());
    }, this.intervalMs);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#queue.catch(() => undefined);
  }

  /** Signs a checkpoint for the current size if none covers it, then collects missing cosignatures. */
  checkpointNow(): Promise<StoredCheckpoint | undefined> {
    return this.#serial(async () => {
      const latest = await this.#sign();
      if (latest && !latest.cosigned && this.#witnesses.length > 0) return this.#collect(latest);
      return latest;
    });
  }

  #serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #backfill(): Promise<void> {
    for (;;) {
      const done = await this.store.transaction(async (tx) => {
        const rows = await tx.record.unlogged(500);
        if (rows.length === 0) return true;
        let size = await tx.ledger.lockSize();
        const entries = rows.map((row, i) => encodeLogEntry(logEntryOf(row, size + i)));
        for (const row of rows) await tx.record.setLogIndex(row.seq, size++);
        await appendToLog(tx, size - rows.length, entries);
        return false;
      });
      if (done) return;
    }
  }

  async #sign(): Promise<StoredCheckpoint | undefined> {
    const size = await this.store.ledger.size();
    const latest = await this.store.ledger.latestCheckpoint();
    // A checkpoint signed with another key (log.key replaced) is signed again with this one.
    if (latest && latest.size >= size && this.#signedByMe(latest.note)) return latest;
    const appender = await TileAppender.restore(size, storeTileReader(this.store.ledger));
    const text = formatCheckpoint({ origin: this.origin, size, root: appender.root(), extensions: [] });
    const note = formatNote(signNote(text, [ed25519Signer(this.key)]));
    const signed: StoredCheckpoint = { size, note, signedAt: new Date(), cosigned: null };
    await this.store.ledger.saveCheckpoint(signed);
    await this.#trim(latest?.size, size);
    this.logger.debug({ size }, 'log checkpoint signed');
    return signed;
  }

  #signedByMe(note: string): boolean {
    try {
      verifyNote(note, [ed25519Verifier(verifierOf(this.key))]);
      return true;
    } catch {
      return false;
    }
  }

  /** Partial tiles stay for the current size and the last two checkpoints; the rest go. */
  async #trim(previous: number | undefined, latest: number): Promise<void> {
    await this.store.transaction(async (tx) => {
      const current = await tx.ledger.lockSize();
      const keep = new Set(
        [current, latest, ...(previous === undefined ? [] : [previous])].flatMap(partialPaths),
      );
      await tx.ledger.deletePartialsExcept([...keep]);
    });
  }

  async #collect(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    const states = new Map((await this.store.ledger.witnesses()).map((w) => [w.witness, w]));
    const reader = new TileHashReader(checkpoint.size, storeTileReader(this.store.ledger));
    const results = await Promise.all(
      this.#witnesses.map(async (w): Promise<NoteSignature[] | undefined> => {
        // Keyed by the whole verifier key: two witnesses may share a name, never a key.
        const name = formatVerifierKey(w.key);
        const before = states.get(name);
        const state = (s: Omit<WitnessState, 'witness' | 'checkedAt'>) =>
          this.store.ledger.saveWitness({ witness: name, checkedAt: new Date(), ...s });
        try {
          const res = await requestCosignature({
            url: w.url,
            checkpoint: checkpoint.note,
            oldSize: before?.size ?? 0,
            proof: (old) => consistencyProof(reader, old, checkpoint.size),
            witness: cosignatureVerifier(w.key),
            timeoutMs: this.requestTimeoutMs,
          });
          await state({ size: res.witnessSize, status: 'ok', detail: null });
          return [...res.signatures];
        } catch (err) {
          const status =
            err instanceof WitnessRequestError && err.status !== undefined ? err.status : undefined;
          // 4xx other than 409 (handled by the client) means the witness looked and said no: it saw
          // another history, or this checkpoint is not consistent with the one it cosigned.
          const refused = status !== undefined && status >= 400 && status < 500;
          const detail = err instanceof Error ? err.message : String(err);
          await state({ size: before?.size ?? 0, status: refused ? 'refused' : 'unreachable', detail });
          if (refused) this.logger.error({ witness: name, detail }, 'witness refused the log checkpoint');
          else this.logger.warn({ witness: name, detail }, 'witness unreachable; will retry');
          return undefined;
        }
      }),
    );
    if (results.some((r) => r === undefined)) return checkpoint;
    const note = parseNote(checkpoint.note);
    const cosigned = formatNote({
      text: note.text,
      signatures: [...note.signatures, ...results.flatMap((r) => r!)],
    });
    await this.store.ledger.setCosigned(checkpoint.size, cosigned);
    return { ...checkpoint, cosigned };
  }
}
