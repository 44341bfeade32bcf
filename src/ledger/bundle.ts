/** Entry bundles (c2sp.org/tlog-tiles): consecutive entries, each prefixed by a big-endian uint16 length. */

export const MAX_ENTRY_SIZE = 0xffff;

export function encodeBundle(entries: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE)
      throw new RangeError(`log entry of ${e.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/** Decodes a bundle; throws if a length runs past the end (a truncated or corrupted bundle). */
export function decodeBundle(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) throw new Error('entry bundle ends inside a length prefix');
    const len = (data[at]! << 8) | data[at + 1]!;
    if (at + 2 + len > data.length) throw new Error('entry bundle ends inside an entry');
    out.push(data.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  return out;
}
