/**
 * The ephemeral X25519 key-pair pool (src/e2ee/mls/ephemeralPool.ts) and its use by HPKE's Encap:
 * a pair is handed out once and can be spent once; an Encap with a pooled pair gives a DH the
 * recipient reproduces (@noble/curves) and a ciphertext hpke.ts's Open decrypts; an empty or suspended
 * pool falls back to a pair generated inside Encap; filling runs in slices and waits after a take; and
 * a released pool, or a closed member's, leaves no timer behind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { x25519 as reference } from '@noble/curves/ed25519.js';
import {
  EphemeralPool,
  platformEphemeralPool,
  poolFor,
  type PoolClock,
} from '../../../src/e2ee/mls/ephemeralPool.js';
import { x25519Hpke } from '../../../src/e2ee/mls/hpke.js';
import { committerRank, ephemeralPairsWanted } from '../../../src/e2ee/mls/committer.js';
import {
  nobleX25519Backend,
  nodeX25519,
  webCryptoX25519,
  X25519Key,
  type X25519,
} from '../../../src/e2ee/mls/x25519.js';
import * as nodeCrypto from 'node:crypto';
import { admit, groupId, newMeeting } from './harness.js';

/** Fresh backends (each with its own pool), so tests do not share one. */
const pooling = (): X25519[] => [nodeX25519(nodeCrypto), webCryptoX25519(globalThis.crypto.subtle)];

/** Waits until the pool has stopped filling (full, or nobody wants it). */
async function settled(pool: EphemeralPool): Promise<void> {
  while (pool.filling) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** `x`'s pool, filled with `count` pairs wanted by a fresh holder. */
async function filled(x: X25519, count: number): Promise<{ pool: EphemeralPool; holder: object }> {
  const pool = poolFor(x)!;
  const holder = {};
  pool.want(holder, count);
  await settled(pool);
  return { pool, holder };
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('a pooled pair is handed out once and can be spent once', async () => {
  for (const x of pooling()) {
    const { pool, holder } = await filled(x, 16);
    assert.equal(pool.size, 16, `${x.name}: filled to what was wanted`);
    const taken = new Set<object>();
    const encs = new Set<string>();
    for (let pair = pool.take(); pair; pair = pool.take()) {
      assert.equal(taken.has(pair), false, `${x.name}: never the same pair twice`);
      taken.add(pair);
      encs.add(Buffer.from(pair.enc).toString('hex'));
    }
    assert.equal(taken.size, 16);
    assert.equal(encs.size, 16, `${x.name}: sixteen distinct public keys`);
    // A pair whose private half was spent by one Encap refuses a second.
    const pair = [...taken][0] as NonNullable<ReturnType<EphemeralPool['take']>>;
    const sk = reference.utils.randomSecretKey();
    const recipient = new X25519Key('public', reference.getPublicKey(sk));
    await x.encapsulate(recipient, pair);
    assert.equal(pair.spent, true);
    await assert.rejects(x.encapsulate(recipient, pair), /used for one encapsulation only/);
    // Nor can another backend use it.
    const other = [...taken][1] as typeof pair;
    const stranger = x.name === 'node' ? webCryptoX25519(globalThis.crypto.subtle) : nodeX25519(nodeCrypto);
    await assert.rejects(stranger.encapsulate(recipient, other), /backend given to/);
    await assert.rejects(nobleX25519Backend.encapsulate(recipient, other), /backend given to/);
    pool.release(holder);
    await settled(pool);
  }
});

test('Encap with a pooled pair: the recipient derives the same DH, and HPKE Open decrypts', async () => {
  for (const x of pooling()) {
    const { pool, holder } = await filled(x, 4);
    // The DH, against @noble/curves.
    const sk = reference.utils.randomSecretKey();
    const recipient = new X25519Key('public', reference.getPublicKey(sk));
    const pair = pool.take()!;
    const enc = Uint8Array.from(pair.enc);
    const out = await x.encapsulate(recipient, pair);
    assert.deepEqual(out.enc, enc, `${x.name}: enc is the pooled pair's public key`);
    assert.deepEqual(out.dh, reference.getSharedSecret(sk, enc), `${x.name}: the recipient's DH agrees`);
    // A whole seal through hpke.ts, which takes from the same pool, opened by the recipient.
    const hpke = x25519Hpke(x);
    const { privateKey, publicKey } = await hpke.generateKeyPair();
    const info = new TextEncoder().encode('info');
    const aad = new TextEncoder().encode('aad');
    const plaintext = new TextEncoder().encode('a path secret');
    const before = { taken: pool.stats.taken, size: pool.size };
    const sealed = await hpke.seal(publicKey, plaintext, info, aad);
    assert.equal(pool.stats.taken, before.taken + 1, `${x.name}: the seal took a pooled pair`);
    assert.equal(pool.size, before.size - 1);
    assert.deepEqual(await hpke.open(privateKey, sealed.enc, sealed.ct, info, aad), plaintext);
    // And the noble backend opens it too (an independent X25519).
    const raw = await hpke.exportPrivateKey(privateKey);
    const noble = x25519Hpke(nobleX25519Backend);
    assert.deepEqual(
      await noble.open(await noble.importPrivateKey(raw), sealed.enc, sealed.ct, info, aad),
      plaintext,
    );
    pool.release(holder);
    await settled(pool);
  }
});

test('an empty or suspended pool: Encap generates its own pair, as without a pool', async () => {
  const x = nodeX25519(nodeCrypto);
  const pool = poolFor(x)!;
  const hpke = x25519Hpke(x);
  const { privateKey, publicKey } = await hpke.generateKeyPair();
  const info = new Uint8Array(0);
  const plaintext = new TextEncoder().encode('secret');
  // Nobody wants pairs: nothing is made, nothing taken, and the seal works.
  let sealed = await hpke.seal(publicKey, plaintext, info);
  assert.deepEqual(await hpke.open(privateKey, sealed.enc, sealed.ct, info), plaintext);
  assert.deepEqual([pool.stats.made, pool.stats.taken, pool.stats.missed], [0, 0, 0]);
  // Wanted but not filled yet (the first slice waits for a timer): the miss is counted.
  const holder = {};
  pool.want(holder, 8);
  sealed = await hpke.seal(publicKey, plaintext, info);
  assert.deepEqual(await hpke.open(privateKey, sealed.enc, sealed.ct, info), plaintext);
  assert.deepEqual([pool.stats.taken, pool.stats.missed], [0, 1]);
  await settled(pool);
  // Suspended: the pairs are dropped and nothing is handed out or made.
  pool.suspend();
  assert.equal(pool.size, 0);
  assert.equal(pool.filling, false);
  assert.equal(pool.take(), undefined);
  sealed = await hpke.seal(publicKey, plaintext, info);
  assert.deepEqual(await hpke.open(privateKey, sealed.enc, sealed.ct, info), plaintext);
  pool.resume();
  await settled(pool);
  assert.equal(pool.size, 8);
  pool.release(holder);
  assert.equal(pool.size, 0, 'released: the unused pairs are dropped');
  // The noble backend does not pool.
  assert.equal(poolFor(nobleX25519Backend), undefined);
});

/** A clock whose time moves only when told, with the timers it was asked for. */
function fakeClock() {
  let now = 0;
  const timers = new Map<number, { fn: () => void; at: number }>();
  let next = 1;
  const clock: PoolClock = {
    now: () => now,
    setTimer: (fn, ms) => {
      timers.set(next, { fn, at: now + ms });
      return next++;
    },
    clearTimer: (handle) => void timers.delete(handle as number),
  };
  return {
    clock,
    timers,
    advance: (ms: number) => (now += ms),
    /** Runs the earliest timer (moving time to it) and lets its slice finish. */
    async fire() {
      const [id, t] = [...timers].sort((a, b) => a[1].at - b[1].at)[0]!;
      timers.delete(id);
      now = Math.max(now, t.at);
      t.fn();
      for (let i = 0; i < 50; i++) await Promise.resolve();
    },
  };
}

test('filling runs in slices of at most sliceMs, and waits quietMs after a take', async () => {
  const x = nodeX25519(nodeCrypto);
  const c = fakeClock();
  // Each pair "costs" 1 ms of the fake clock.
  const make = async () => {
    c.advance(1);
    return x.ephemeral!();
  };
  const pool = new EphemeralPool(make, { sliceMs: 4, quietMs: 100, clock: c.clock });
  const holder = {};
  pool.want(holder, 10);
  assert.equal(c.timers.size, 1, 'one timer, not a loop');
  await c.fire();
  assert.equal(pool.size, 4, 'a slice stops after 4 ms');
  assert.equal(c.timers.size, 1, 'and schedules the next one');
  await c.fire();
  await c.fire();
  assert.equal(pool.size, 10);
  assert.equal(c.timers.size, 0, 'full: no timer');
  assert.equal(pool.stats.slices, 3);
  // A take (an Encap of a commit in progress) postpones the refill by quietMs.
  const t0 = c.clock.now();
  pool.take();
  assert.equal(c.timers.size, 1);
  const [timer] = [...c.timers.values()];
  assert.equal(timer!.at, t0 + 100);
  await c.fire();
  assert.equal(pool.size, 10);
  assert.equal(c.timers.size, 0);
  // Release while a refill is pending: the timer is cleared and the pairs dropped.
  pool.take();
  assert.equal(c.timers.size, 1);
  pool.release(holder);
  assert.equal(c.timers.size, 0);
  assert.equal(pool.size, 0);
  assert.equal(pool.filling, false);
});

test('a released pool leaves no timer behind (real timers)', async () => {
  // Node's pairs are made synchronously, so between slices the next slice's timer is always pending.
  const x = nodeX25519(nodeCrypto);
  const pool = poolFor(x)!;
  const baseline = timeouts();
  const holder = {};
  pool.want(holder, 4000); // more than can be made before the release below
  assert.equal(pool.filling, true);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(pool.size > 0 && pool.size < 4000, `filling in slices: ${pool.size} so far`);
  pool.release(holder);
  // At once: the next slice's timer is cleared.
  assert.equal(timeouts(), baseline, 'no Timeout left');
  await settled(pool);
  assert.equal(pool.size, 0);
  assert.equal(timeouts(), baseline, 'still none');
});

test('who wants pairs: the two lowest leaves, one pair per member plus a margin for joiners', () => {
  const leaves = [0, 2, 3, 7, 9]; // leaf 1 and 4-6 blank
  assert.deepEqual(
    leaves.map((l) => committerRank(leaves, l)),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    leaves.map((l) => ephemeralPairsWanted(leaves, l)),
    [5 + 32, 5 + 32, 0, 0, 0],
  );
});

test("members: the committer and the next in line keep the process's pool filled; others and closed members do not", async () => {
  const pool = await platformEphemeralPool();
  assert.ok(pool, 'Node pools');
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c', 'd']);
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => h.members.get(id)!);
  // Four members: leaves 0-3; ranks 0 and 1 want one pair per member plus a margin.
  assert.deepEqual(
    [a, b, c, d].map((m) => m!.leafIndex),
    [0, 1, 2, 3],
  );
  assert.ok(pool.wants(a!) >= 4 && pool.wants(b!) === pool.wants(a!));
  assert.equal(pool.wants(c!), 0);
  assert.equal(pool.wants(d!), 0);
  // The committer leaves: after its removal, c is next in line and starts wanting pairs.
  const proposal = await h.server.proposeRemove(groupId, b!.epoch, 0, 'a');
  for (const m of [b, c, d]) await m!.processHandshake(proposal);
  const pending = await b!.commit();
  await b!.confirmCommit(pending);
  for (const m of [c, d]) await m!.processHandshake(pending.commit);
  a!.close();
  assert.ok(pool.wants(b!) > 0 && pool.wants(c!) > 0);
  assert.equal(pool.wants(d!), 0);
  assert.equal(pool.wants(a!), 0, 'a closed member wants nothing');
  // A removed member wants nothing either, closed or not.
  const removal = await h.server.proposeRemove(groupId, b!.epoch, 2, 'c');
  for (const m of [b, c, d]) await m!.processHandshake(removal);
  const second = await b!.commit();
  await b!.confirmCommit(second);
  for (const m of [c, d]) await m!.processHandshake(second.commit);
  assert.equal(c!.active, false);
  assert.equal(pool.wants(c!), 0);
  assert.ok(pool.wants(d!) > 0, 'd is next in line now');
  // The commits drew pairs from the pool, so a refill is waiting for its timer.
  assert.ok(pool.filling);
  for (const m of [a, b, c, d]) m!.close();
  assert.equal(timeouts(), 0, 'closing the members cleared the refill timer at once');
  assert.equal(pool.target, 0);
  await settled(pool);
  assert.equal(pool.size, 0);
  assert.equal(pool.filling, false);
  assert.equal(timeouts(), 0, 'no Timeout left once every member closed');
});
