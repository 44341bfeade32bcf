/** RFC 9605 Appendix C test vectors (test/fixtures/sframe/test-vectors.json). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fromHex, toHex } from '../../../src/e2ee/sframe/bytes.js';
import { decodeHeader, encodeHeader } from '../../../src/e2ee/sframe/header.js';
import {
  decrypt,
  derivationLabels,
  deriveKey,
  encrypt,
  frameNonce,
} from '../../../src/e2ee/sframe/sframe.js';
import { importAead } from '../../../src/e2ee/sframe/aead.js';
import { suiteParams } from '../../../src/e2ee/sframe/suites.js';

interface HeaderVector {
  kid: string;
  ctr: string;
  encoded: string;
}
interface AeadVector {
  cipher_suite: number;
  key: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}
interface SFrameVector {
  cipher_suite: number;
  kid: string;
  ctr: string;
  base_key: string;
  sframe_key_label: string;
  sframe_salt_label: string;
  sframe_key: string;
  sframe_salt: string;
  metadata: string;
  nonce: string;
  aad: string;
  pt: string;
  ct: string;
}

// KID and CTR go up to 2^64-1: quote them before JSON.parse so no digit is lost to float rounding.
const text = readFileSync(new URL('../../fixtures/sframe/test-vectors.json', import.meta.url), 'utf8');
const vectors = JSON.parse(text.replace(/"(kid|ctr)": (\d+)/g, '"$1": "$2"')) as {
  header: HeaderVector[];
  aes_ctr_hmac: AeadVector[];
  sframe: SFrameVector[];
};

test('header vectors encode and decode exactly', () => {
  assert.ok(vectors.header.length > 200);
  for (const v of vectors.header) {
    const kid = BigInt(v.kid);
    const ctr = BigInt(v.ctr);
    assert.equal(toHex(encodeHeader(kid, ctr)), v.encoded, `encode kid=${v.kid} ctr=${v.ctr}`);
    const bytes = fromHex(v.encoded + 'abcd'); // trailing payload must not be read as header
    const h = decodeHeader(bytes);
    assert.ok(h);
    assert.equal(h.kid, kid);
    assert.equal(h.ctr, ctr);
    assert.equal(toHex(h.bytes), v.encoded);
  }
});

test('a truncated header is reported, not misread', () => {
  assert.equal(decodeHeader(fromHex('0fffff')), undefined);
  assert.equal(decodeHeader(new Uint8Array(0)), undefined);
  assert.throws(() => encodeHeader(1n << 64n, 0n), RangeError);
  assert.throws(() => encodeHeader(0n, -1n), RangeError);
});

test('the fixture covers all five RFC 9605 cipher suites', () => {
  assert.deepEqual(vectors.sframe.map((v) => v.cipher_suite).sort(), [1, 2, 3, 4, 5]);
  assert.deepEqual(vectors.aes_ctr_hmac.map((v) => v.cipher_suite).sort(), [1, 2, 3]);
  assert.throws(() => suiteParams(6), RangeError);
});

for (const v of vectors.aes_ctr_hmac) {
  test(`AES-CTR+HMAC AEAD vector, suite ${v.cipher_suite}: seal and open`, async () => {
    const aead = await importAead(suiteParams(v.cipher_suite), fromHex(v.key).buffer);
    const sealed = await aead.seal(fromHex(v.nonce), fromHex(v.aad), fromHex(v.pt));
    assert.equal(toHex(sealed), v.ct);
    const opened = await aead.open(fromHex(v.nonce), fromHex(v.aad), fromHex(v.ct));
    assert.equal(opened && toHex(opened), v.pt);
    const bad = fromHex(v.ct);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x01;
    assert.equal(await aead.open(fromHex(v.nonce), fromHex(v.aad), bad), undefined, 'tampered tag');
    const badAad = fromHex(v.aad);
    badAad[0] = (badAad[0] ?? 0) ^ 0x01;
    assert.equal(await aead.open(fromHex(v.nonce), badAad, fromHex(v.ct)), undefined, 'tampered aad');
  });
}

for (const v of vectors.sframe) {
  test(`sframe vector, suite ${v.cipher_suite}: labels, key, salt, nonce, ciphertext`, async () => {
    const suite = suiteParams(v.cipher_suite).id;
    const kid = BigInt(v.kid);
    const ctr = BigInt(v.ctr);
    const labels = derivationLabels(kid, suite);
    assert.equal(toHex(labels.key), v.sframe_key_label);
    assert.equal(toHex(labels.salt), v.sframe_salt_label);

    const key = await deriveKey(suite, kid, fromHex(v.base_key));
    assert.equal(toHex(key.salt), v.sframe_salt);
    assert.equal(toHex(frameNonce(key.salt, ctr)), v.nonce);
    assert.equal(toHex(encodeHeader(kid, ctr)) + v.metadata, v.aad);

    const ct = await encrypt(key, ctr, fromHex(v.metadata), fromHex(v.pt));
    assert.equal(toHex(ct), v.ct);

    const out = await decrypt(() => key, fromHex(v.metadata), fromHex(v.ct));
    assert.ok(out.ok);
    assert.equal(toHex(out.plaintext), v.pt);
  });

  test(`sframe vector, suite ${v.cipher_suite}: flipping any bit fails authentication`, async () => {
    const key = await deriveKey(suiteParams(v.cipher_suite).id, BigInt(v.kid), fromHex(v.base_key));
    const ct = fromHex(v.ct);
    const headerLen = encodeHeader(BigInt(v.kid), BigInt(v.ctr)).length;
    for (const i of [headerLen, ct.length - 1]) {
      const bad = ct.slice();
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      const out = await decrypt(() => key, fromHex(v.metadata), bad);
      assert.deepEqual(out.ok ? 'ok' : out.reason, 'authFailed', `byte ${i}`);
    }
    const badMeta = fromHex(v.metadata);
    badMeta[0] = (badMeta[0] ?? 0) ^ 0x80;
    const out = await decrypt(() => key, badMeta, ct);
    assert.equal(out.ok ? 'ok' : out.reason, 'authFailed');
    const none = await decrypt(() => undefined, fromHex(v.metadata), ct);
    assert.equal(none.ok ? 'ok' : none.reason, 'noKey');
  });
}
