/** Signed notes, keys, checkpoints and cosignatures against real vectors, plus round trips of our own. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  keyId,
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  parseSignerKey,
  parseVerifierKey,
  verifierOf,
} from '../../../src/ledger/keys.js';
import {
  NoteError,
  ed25519Signer,
  ed25519Verifier,
  formatNote,
  parseNote,
  signNote,
  verifyNote,
} from '../../../src/ledger/note.js';
import { formatCheckpoint, parseCheckpoint } from '../../../src/ledger/checkpoint.js';
import { cosign, cosignatureTimestamp, cosignatureVerifier } from '../../../src/ledger/cosignature.js';

interface Vector {
  vkey: string;
  skey?: string;
  note: string;
}
interface Fixtures {
  specExample: Vector;
  goNotePackage: Vector;
  sumGolangOrg: Vector;
  trillianExamplesKeys: { vkey: string; skey: string };
  witnessedCtCheckpoint: { logVkey: string; witnessVkey: string; note: string };
}
const f = JSON.parse(
  readFileSync(new URL('../../fixtures/signed-notes/notes.json', import.meta.url), 'utf8'),
) as Fixtures;

function rejectsWith(kind: NoteError['kind'], fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof NoteError && e.kind === kind);
}

describe('real vectors', () => {
  for (const name of ['specExample', 'goNotePackage', 'sumGolangOrg'] as const) {
    test(`${name} verifies with its key and fails when one byte of text changes`, () => {
      const v = f[name];
      const verifier = ed25519Verifier(parseVerifierKey(v.vkey));
      const ok = verifyNote(v.note, [verifier]);
      assert.equal(ok.verified.length, 1);
      assert.equal(formatNote(ok), v.note, 'format(parse(note)) is byte-identical');
      const tampered = v.note.replace(/^(.)/u, (c) => (c === 'x' ? 'y' : 'x'));
      rejectsWith('invalid', () => verifyNote(tampered, [verifier]));
    });
  }

  test('the sum.golang.org checkpoint parses as a checkpoint', () => {
    const c = parseCheckpoint(
      verifyNote(f.sumGolangOrg.note, [ed25519Verifier(parseVerifierKey(f.sumGolangOrg.vkey))]).text,
    );
    assert.equal(c.origin, 'go.sum database tree');
    assert.equal(c.size, 6476701);
    assert.equal(Buffer.from(c.root).toString('base64'), 'mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=');
  });

  test('Go signer keys derive the published verifier keys (IDs included)', () => {
    for (const v of [f.goNotePackage, f.trillianExamplesKeys]) {
      const sk = parseSignerKey(v.skey!);
      assert.equal(formatVerifierKey(verifierOf(sk)), v.vkey);
      assert.equal(formatSignerKey(sk), v.skey);
    }
  });

  test('signing the Go note text with the Go signer key gives the Go signature (Ed25519 is deterministic)', () => {
    const sk = parseSignerKey(f.goNotePackage.skey!);
    const text = parseNote(f.goNotePackage.note).text;
    assert.equal(formatNote(signNote(text, [ed25519Signer(sk)])), f.goNotePackage.note);
  });

  test('a real witnessed CT checkpoint: the log signature and a real cosignature/v1 verify, others are ignored', () => {
    const w = f.witnessedCtCheckpoint;
    const log = verifyNote(w.note, [ed25519Verifier(parseVerifierKey(w.logVkey))]);
    assert.equal(log.verified.length, 1);
    assert.equal(log.unknown.length, 5, 'RFC 6962 signature and other witnesses are ignored, not rejected');
    const wit = verifyNote(w.note, [cosignatureVerifier(parseVerifierKey(w.witnessVkey))]);
    assert.equal(wit.verified.length, 1);
    assert.ok((cosignatureTimestamp(wit.verified[0]!.signature) ?? 0) > 1_700_000_000);
    const c = parseCheckpoint(log.text);
    assert.equal(c.size, 1432088532);
    rejectsWith('invalid', () =>
      verifyNote(w.note.replace('1432088532', '1432088533'), [
        cosignatureVerifier(parseVerifierKey(w.witnessVkey)),
      ]),
    );
  });
});

describe('keys', () => {
  test('verifier keys with a wrong ID, a bad name or bad base64 are refused', () => {
    const good = f.sumGolangOrg.vkey;
    assert.doesNotThrow(() => parseVerifierKey(good));
    assert.throws(() => parseVerifierKey(good.replace('033de0ae', '033de0af')));
    assert.throws(() => parseVerifierKey(good.replace('sum.golang.org', 'sum golang.org')));
    assert.throws(() => parseVerifierKey(good.slice(0, -2)));
    assert.throws(() => parseVerifierKey('bananas.sigstore.dev+12344556'));
  });

  test('generated keys round-trip through their encodings', () => {
    const sk = generateSignerKey('convene.example/log');
    assert.deepEqual(parseSignerKey(formatSignerKey(sk)), sk);
    assert.deepEqual(parseVerifierKey(formatVerifierKey(verifierOf(sk))), verifierOf(sk));
  });
});

describe('notes', () => {
  const sk = generateSignerKey('convene.example/log');
  const other = generateSignerKey('convene.example/log');
  const text = 'convene.example/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

  test('multiple signatures; unknown ones ignored; none known is rejected', () => {
    const n = formatNote(signNote(text, [ed25519Signer(sk), ed25519Signer(other)]));
    const v = verifyNote(n, [ed25519Verifier(verifierOf(sk))]);
    assert.equal(v.verified.length, 1);
    assert.equal(v.unknown.length, 1);
    rejectsWith('unverified', () => verifyNote(n, [ed25519Verifier(verifierOf(generateSignerKey('x')))]));
  });

  test('a known key with a bad signature rejects the whole note', () => {
    const n = signNote(text, [ed25519Signer(sk), ed25519Signer(other)]);
    const bad = {
      ...n,
      signatures: n.signatures.map((s, i) =>
        i === 1 ? { ...s, signature: s.signature.map((b) => b ^ 1) } : s,
      ),
    };
    rejectsWith('invalid', () =>
      verifyNote(formatNote(bad), [ed25519Verifier(verifierOf(sk)), ed25519Verifier(verifierOf(other))]),
    );
  });

  test('malformed notes are refused', () => {
    const good = formatNote(signNote(text, [ed25519Signer(sk)]));
    for (const bad of [
      good.slice(0, -1),
      good.replace('\n\n', '\n'),
      good.replace('\u2014 ', '- '),
      good.replace('convene', 'con\tvene'),
      good + 'trailing',
      good.replace(/ [A-Za-z0-9+/=]+\n$/u, ' !!!\n'),
    ]) {
      rejectsWith('malformed', () => verifyNote(bad, [ed25519Verifier(verifierOf(sk))]));
    }
  });
});

describe('checkpoints and cosignatures', () => {
  test('checkpoint round trip with extension lines; malformed bodies refused', () => {
    const c = {
      origin: 'convene.example/log',
      size: 42,
      root: new Uint8Array(32).fill(7),
      extensions: ['ext one'],
    };
    assert.deepEqual(parseCheckpoint(formatCheckpoint(c)), c);
    for (const bad of [
      'a\n1\n',
      'a\n01\n' + Buffer.alloc(32).toString('base64') + '\n',
      '\n1\n' + Buffer.alloc(32).toString('base64') + '\n',
      'a\n1\nAAAA\n',
      'a\n1\n' + Buffer.alloc(32).toString('base64') + '\n\n',
    ]) {
      assert.throws(() => parseCheckpoint(bad), JSON.stringify(bad));
    }
  });

  test('cosignature/v1 covers the timestamp and extension lines', () => {
    const w = generateSignerKey('witness.example/w1', SIG_TYPE_COSIGNATURE_V1);
    const body = formatCheckpoint({ origin: 'o', size: 1, root: new Uint8Array(32), extensions: ['x'] });
    const sig = cosign(w, body, 1_800_000_000);
    assert.equal(cosignatureTimestamp(sig.signature), 1_800_000_000);
    const v = cosignatureVerifier(verifierOf(w));
    const enc = new TextEncoder();
    assert.ok(v.verify(enc.encode(body), sig.signature));
    assert.ok(!v.verify(enc.encode(body.replace('x', 'y')), sig.signature));
    const otherTime = sig.signature.slice();
    otherTime[7]! ^= 1;
    assert.ok(!v.verify(enc.encode(body), otherTime));
    // The ID commits to the type byte, so the same key as a plain (0x01) note key has another ID.
    assert.notEqual(w.id, keyId(w.name, SIG_TYPE_ED25519, w.publicKey));
  });
});
