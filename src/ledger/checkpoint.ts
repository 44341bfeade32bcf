/**
 * The checkpoint note body (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash and
 * optional extension lines, each ending in a newline.
 */
import { HASH_SIZE, type Hash } from './hash.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Hash;
  readonly extensions: readonly string[];
}

export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes('\n')) throw new Error('invalid checkpoint origin');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new Error('invalid checkpoint size');
  if (c.root.length !== HASH_SIZE) throw new Error('invalid checkpoint root');
  for (const e of c.extensions)
    if (e.length === 0 || e.includes('\n')) throw new Error('invalid extension line');
  return (
    [c.origin, String(c.size), Buffer.from(c.root).toString('base64'), ...c.extensions].join('\n') + '\n'
  );
}

/** Parses a note text as a checkpoint; throws on anything not exactly in the spec's form. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new Error('checkpoint does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new Error('checkpoint has fewer than three lines');
  const [origin, sizeText, rootB64, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new Error('checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new Error('checkpoint size is not a decimal number');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new Error('checkpoint size is too large');
  const root = Buffer.from(rootB64, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootB64)
    throw new Error('checkpoint root is malformed');
  if (extensions.some((e) => e.length === 0)) throw new Error('checkpoint has an empty extension line');
  return { origin, size, root: new Uint8Array(root), extensions };
}
