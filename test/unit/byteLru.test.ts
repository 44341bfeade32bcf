import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteLru } from '../../src/util/ByteLru.js';

const blob = (n: number) => new Uint8Array(n);

test('the cache drops the least recently used values past its byte bound', () => {
  const lru = new ByteLru(100);
  lru.set('a', blob(40));
  lru.set('b', blob(40));
  assert.ok(lru.get('a')); // a is now the most recent
  lru.set('c', blob(40)); // 120 > 100: b goes
  assert.equal(lru.get('b'), undefined);
  assert.ok(lru.get('a'));
  assert.ok(lru.get('c'));
  assert.equal(lru.bytes, 80);
});

test('replacing a key counts its bytes once; a value over the bound is not kept', () => {
  const lru = new ByteLru(100);
  lru.set('a', blob(60));
  lru.set('a', blob(30));
  assert.equal(lru.bytes, 30);
  lru.set('big', blob(101));
  assert.equal(lru.get('big'), undefined);
  assert.equal(lru.size, 1);
});
