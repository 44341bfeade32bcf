/** Byte helpers. WebCrypto wants ArrayBuffer-backed views, so the API is typed with those. */
export type Bytes = Uint8Array<ArrayBuffer>;

export function concat(...parts: Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function utf8(text: string): Bytes {
  return new TextEncoder().encode(text) as Bytes;
}

/** `value` as an n-byte big-endian integer (n <= 16; values wider than n bytes are truncated). */
export function bigEndian(value: bigint, n: number): Bytes {
  const out = new Uint8Array(n);
  let x = value;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0) throw new RangeError('odd-length hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
