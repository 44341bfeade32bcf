/**
 * The log side of tlog-witness: submit a checkpoint to one witness and get its cosignature back,
 * following a 409 (the witness remembers another size) by retrying once from the size it names.
 * For the Convene server to call after signing a checkpoint.
 */
import {
  formatAddCheckpoint,
  formatNote,
  parseNote,
  verifyNote,
  type Hash,
  type NoteSignature,
  type NoteVerifier,
} from '../ledger/index.js';

export interface CosignRequest {
  /** The witness's submission prefix, e.g. https://witness.example/ (add-checkpoint is appended). */
  readonly url: string;
  /** The log-signed checkpoint note. */
  readonly checkpoint: string;
  /** The size we believe the witness last cosigned (0 if never). */
  readonly oldSize: number;
  /** Consistency proof from `old` to the checkpoint's size (empty for 0); from the log's tiles. */
  proof(old: number): Promise<Hash[]>;
  /** The witness's cosignature verifier; its lines are checked before they are trusted. */
  readonly witness: NoteVerifier;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export interface CosignResult {
  /** The witness's verified cosignature(s). */
  readonly signatures: readonly NoteSignature[];
  /** The checkpoint with the cosignatures appended. */
  readonly checkpoint: string;
  /** The size the witness now holds, to pass as oldSize next time. */
  readonly witnessSize: number;
}

export class WitnessRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WitnessRequestError';
  }
}

export async function requestCosignature(req: CosignRequest): Promise<CosignResult> {
  const doFetch = req.fetch ?? fetch;
  const endpoint = new URL('add-checkpoint', req.url.endsWith('/') ? req.url : `${req.url}/`);
  const size = Number(parseNote(req.checkpoint).text.split('\n')[1]);
  let old = req.oldSize;
  for (let attempt = 0; attempt < 2; attempt++) {
    const body = formatAddCheckpoint({
      oldSize: old,
      proof: old === 0 ? [] : await req.proof(old),
      checkpoint: req.checkpoint,
    });
    const res = await doFetch(endpoint, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    if (res.status === 409 && attempt === 0) {
      const m = /^(0|[1-9][0-9]*)\n$/.exec(text);
      if (!m) throw new WitnessRequestError('409 without a size', 409);
      old = Number(m[1]);
      // A witness ahead of this checkpoint has seen a larger tree: nothing to retry, and worth an alarm.
      if (old > size) throw new WitnessRequestError(`witness holds size ${old}, larger than ${size}`, 409);
      continue;
    }
    if (res.status !== 200)
      throw new WitnessRequestError(`witness answered ${res.status}: ${text.trim()}`, res.status);
    const note = parseNote(req.checkpoint);
    const combined = formatNote(note) + text;
    const verified = verifyNote(combined, [req.witness]).verified;
    return {
      signatures: verified,
      checkpoint: formatNote({ text: note.text, signatures: [...note.signatures, ...verified] }),
      witnessSize: size,
    };
  }
  throw new WitnessRequestError('witness kept answering 409', 409);
}
