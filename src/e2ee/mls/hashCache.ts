/**
 * A memo for ts-mls's hash function. ts-mls 1.6.4 verifies parent hashes (a joiner checks the whole
 * tree) by walking from every leaf to the root and recomputing the sibling subtrees' tree hashes each
 * time, so the same SHA-256 inputs are hashed over and over: at 200 members with a few update paths a
 * join made ~29,000 digest calls, each an asynchronous WebCrypto job. SHA-256 is a pure function, so
 * answering a repeated input from a bounded cache changes no result and no protocol step; it only skips
 * the repeated work. Inputs are tree nodes, transcript and reference hashes (public or group-internal
 * data already held in this process); inputs over 1 KiB are not cached.
 */
import type { Hash } from 'ts-mls';

/** Bounds memory: at most 20,000 keys of at most 1 KiB input (~40 MB in the worst case, far less in use). */
const MAX_ENTRIES = 20_000;
const MAX_INPUT_BYTES = 1024;

/**
 * The input as a string, decoded natively: windows-1252 (the WHATWG "latin1") maps each of the 256 byte
 * values to its own code point, so distinct inputs give distinct keys.
 */
const keyDecoder = new TextDecoder('latin1');
const keyOf = (data: Uint8Array): string => keyDecoder.decode(data);

export function memoizedHash(inner: Hash, maxEntries = MAX_ENTRIES): Hash {
  const cache = new Map<string, Promise<Uint8Array>>();
  return {
    digest(data) {
      if (data.length > MAX_INPUT_BYTES) return inner.digest(data);
      const key = keyOf(data);
      let hit = cache.get(key);
      if (!hit) {
        hit = inner.digest(Uint8Array.from(data));
        cache.set(key, hit);
        hit.catch(() => cache.delete(key));
        // Oldest first: Map keeps insertion order.
        if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      }
      // Callers own what they get back (ts-mls zeroes some buffers), so each gets its own copy.
      return hit.then((d) => Uint8Array.from(d));
    },
    mac: (key, data) => inner.mac(key, data),
    verifyMac: (key, mac, data) => inner.verifyMac(key, mac, data),
  };
}
