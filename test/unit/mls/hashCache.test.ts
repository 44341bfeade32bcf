/** The memoized hash behind our ts-mls provider gives the same answers, once per input. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Hash } from 'ts-mls';
import { memoizedHash } from '../../../src/e2ee/mls/index.js';

function countingSha256(): { hash: Hash; calls: () => number } {
  let n = 0;
  const hash: Hash = {
    digest: async (data) => {
      n++;
      return new Uint8Array(createHash('sha256').update(data).digest());
    },
    mac: async () => new Uint8Array(0),
    verifyMac: async () => false,
  };
  return { hash, calls: () => n };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('same digests as the inner hash, repeated inputs answered from the cache, outputs not shared', async () => {
  const inner = countingSha256();
  const h = memoizedHash(inner.hash, 3);
  const a = new Uint8Array([1, 2, 3]);
  const first = await h.digest(a);
  assert.equal(hex(first), sha(a));
  first.fill(0); // a caller zeroing its buffer must not poison the cache
  assert.equal(hex(await h.digest(Uint8Array.from(a))), sha(a));
  assert.equal(inner.calls(), 1);
  // Concurrent requests for one input share the work.
  const b = new Uint8Array([4]);
  const [x, y] = await Promise.all([h.digest(b), h.digest(b)]);
  assert.equal(hex(x), hex(y));
  assert.equal(inner.calls(), 2);
  // Bounded: past 3 entries the oldest goes.
  for (const v of [5, 6, 7]) await h.digest(new Uint8Array([v]));
  await h.digest(a);
  assert.equal(inner.calls(), 6, 'a was evicted and hashed again');
  // Large inputs are never cached.
  const big = new Uint8Array(2048).fill(9);
  await h.digest(big);
  await h.digest(big);
  assert.equal(inner.calls(), 8);
});

test('cache keys tell every byte value apart (no two inputs share an entry)', async () => {
  const inner = countingSha256();
  const h = memoizedHash(inner.hash, 1000);
  for (let b = 0; b < 256; b++)
    assert.equal(hex(await h.digest(new Uint8Array([b]))), sha(new Uint8Array([b])));
  assert.equal(inner.calls(), 256);
});
