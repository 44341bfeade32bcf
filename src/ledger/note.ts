/**
 * Signed notes (c2sp.org/signed-note): text, a blank line, then one `— <name> base64(keyID || sig)`
 * line per signature. Parsing is strict because a note is only trusted after verification, and a
 * lenient parser would let two readers disagree on what was signed.
 */
import { sign as edSign, verify as edVerify } from 'node:crypto';
import {
  SIG_TYPE_ED25519,
  isValidKeyName,
  privateKeyObject,
  publicKeyObject,
  type SignerKey,
  type VerifierKey,
} from './keys.js';

export interface NoteSignature {
  readonly name: string;
  readonly id: number;
  /** The signature bytes after the 4-byte key ID. */
  readonly signature: Uint8Array;
}

export interface Note {
  /** The signed text, ending in a newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Checks one signature over the note text; name and id select it. */
export interface NoteVerifier {
  readonly name: string;
  readonly id: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly id: number;
  sign(text: Uint8Array): Uint8Array;
}

export class NoteError extends Error {
  constructor(
    message: string,
    /** 'malformed' (not a note), 'unverified' (no known key signed it), 'invalid' (a known key's signature is bad). */
    readonly kind: 'malformed' | 'unverified' | 'invalid',
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

/** More than the spec's minimum of 16, fewer than would make parsing a denial of service. */
export const MAX_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 ';

export function parseNote(input: string | Uint8Array): Note {
  let s: string;
  if (typeof input === 'string') s = input;
  else {
    try {
      s = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new NoteError('note is not valid UTF-8', 'malformed');
    }
  }
  // A JS string can hold lone surrogates that have no UTF-8 form; such a note was never signed as-is.
  if (Buffer.from(s, 'utf8').toString('utf8') !== s)
    throw new NoteError('note is not valid UTF-8', 'malformed');
  if (/[\u0000-\u0009\u000b-\u001f]/u.test(s))
    throw new NoteError('note contains control characters', 'malformed');
  if (!s.endsWith('\n')) throw new NoteError('note does not end in a newline', 'malformed');
  const split = s.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('note has no signature block', 'malformed');
  const text = s.slice(0, split + 1);
  const lines = s.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('note has too many signatures', 'malformed');
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError('malformed signature line', 'malformed');
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    const raw = Buffer.from(b64, 'base64');
    if (space < 0 || !isValidKeyName(name) || raw.length < 5 || raw.toString('base64') !== b64) {
      throw new NoteError('malformed signature line', 'malformed');
    }
    return { name, id: raw.readUInt32BE(0), signature: new Uint8Array(raw.subarray(4)) };
  });
  return { text, signatures };
}

export function formatSignatureLine(sig: NoteSignature): string {
  const raw = Buffer.alloc(4 + sig.signature.length);
  raw.writeUInt32BE(sig.id, 0);
  raw.set(sig.signature, 4);
  return `${SIG_PREFIX}${sig.name} ${raw.toString('base64')}\n`;
}

export function formatNote(note: Note): string {
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}

export interface VerifiedNote extends Note {
  /** Signatures from known keys that verified. */
  readonly verified: readonly NoteSignature[];
  /** Signatures from keys not given to verifyNote: ignored, kept so they can be passed on. */
  readonly unknown: readonly NoteSignature[];
}

/**
 * Verifies a note per the spec: signatures from unknown (name, id) pairs are ignored; a bad signature
 * from a known key rejects the whole note; at least one known key must have signed.
 */
export function verifyNote(
  input: string | Uint8Array | Note,
  verifiers: readonly NoteVerifier[],
): VerifiedNote {
  const note = typeof input === 'string' || input instanceof Uint8Array ? parseNote(input) : input;
  const text = new TextEncoder().encode(note.text);
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.id === sig.id);
    if (!v) {
      unknown.push(sig);
      continue;
    }
    if (!v.verify(text, sig.signature)) {
      throw new NoteError(`signature by ${sig.name} does not verify`, 'invalid');
    }
    verified.push(sig);
  }
  if (verified.length === 0) throw new NoteError('note is not signed by any known key', 'unverified');
  return { ...note, verified, unknown };
}

/** Adds signatures to a note's text; existing signatures (e.g. the log's, before witnesses) are kept. */
export function signNote(note: Note | string, signers: readonly NoteSigner[]): Note {
  const base: Note = typeof note === 'string' ? { text: note, signatures: [] } : note;
  if (!base.text.endsWith('\n')) throw new Error('note text must end in a newline');
  // Round-trip through the parser so we never sign a text that readers would split differently.
  parseNote(
    formatNote({ text: base.text, signatures: [{ name: 'x', id: 0, signature: new Uint8Array(1) }] }),
  );
  const text = new TextEncoder().encode(base.text);
  const added = signers.map((s) => ({ name: s.name, id: s.id, signature: s.sign(text) }));
  return { text: base.text, signatures: [...base.signatures, ...added] };
}

/** A plain Ed25519 (type 0x01) note verifier. */
export function ed25519Verifier(key: VerifierKey): NoteVerifier {
  if (key.type !== SIG_TYPE_ED25519) throw new Error('not an Ed25519 note key');
  const pub = publicKeyObject(key.publicKey);
  return {
    name: key.name,
    id: key.id,
    verify: (text, sig) => sig.length === 64 && edVerify(null, text, pub, sig),
  };
}

export function ed25519Signer(key: SignerKey): NoteSigner {
  if (key.type !== SIG_TYPE_ED25519) throw new Error('not an Ed25519 note key');
  const priv = privateKeyObject(key.seed);
  return { name: key.name, id: key.id, sign: (text) => new Uint8Array(edSign(null, text, priv)) };
}
