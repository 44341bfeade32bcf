/**
 * The SFrame header (RFC 9605 §4.3): a config byte |X|KKK|Y|CCC| followed by the KID and then the CTR
 * as minimal big-endian integers when they do not fit in three bits. KID and CTR are 64-bit values,
 * so they are bigints here: a JavaScript number would silently lose the top bits.
 */
import type { Bytes } from './bytes.js';

const MAX_U64 = (1n << 64n) - 1n;

export interface SFrameHeader {
  readonly kid: bigint;
  readonly ctr: bigint;
  /** The encoded header bytes exactly as received (they are part of the AAD). */
  readonly bytes: Bytes;
}

function checkU64(name: string, value: bigint): void {
  if (value < 0n || value > MAX_U64) throw new RangeError(`SFrame ${name} out of range: ${value}`);
}

/** Bytes needed to encode v (v >= 8) as a minimal big-endian integer: 1..8. */
function byteLength(v: bigint): number {
  let n = 0;
  for (let x = v; x > 0n; x >>= 8n) n++;
  return n;
}

function writeBigEndian(out: Uint8Array, offset: number, v: bigint, length: number): void {
  let x = v;
  for (let i = length - 1; i >= 0; i--) {
    out[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

function readBigEndian(buf: Uint8Array, offset: number, length: number): bigint {
  let v = 0n;
  for (let i = 0; i < length; i++) v = (v << 8n) | BigInt(buf[offset + i] ?? 0);
  return v;
}

export function encodeHeader(kid: bigint, ctr: bigint): Bytes {
  checkU64('KID', kid);
  checkU64('CTR', ctr);
  const kidLen = kid < 8n ? 0 : byteLength(kid);
  const ctrLen = ctr < 8n ? 0 : byteLength(ctr);
  const out = new Uint8Array(1 + kidLen + ctrLen);
  const k = kidLen === 0 ? Number(kid) : 0x08 | (kidLen - 1);
  const c = ctrLen === 0 ? Number(ctr) : 0x08 | (ctrLen - 1);
  out[0] = (k << 4) | c;
  if (kidLen) writeBigEndian(out, 1, kid, kidLen);
  if (ctrLen) writeBigEndian(out, 1 + kidLen, ctr, ctrLen);
  return out;
}

/**
 * Parses the header at the start of `buf`. Returns undefined when the buffer is too short. Non-minimal
 * encodings are accepted: the RFC requires senders to be minimal but authentication covers the exact
 * bytes anyway, so rejecting them here would add no protection.
 */
export function decodeHeader(buf: Bytes): SFrameHeader | undefined {
  const config = buf[0];
  if (config === undefined) return undefined;
  const x = (config & 0x80) !== 0;
  const k = (config >> 4) & 0x07;
  const y = (config & 0x08) !== 0;
  const c = config & 0x07;
  const kidLen = x ? k + 1 : 0;
  const ctrLen = y ? c + 1 : 0;
  const total = 1 + kidLen + ctrLen;
  if (buf.length < total) return undefined;
  const kid = x ? readBigEndian(buf, 1, kidLen) : BigInt(k);
  const ctr = y ? readBigEndian(buf, 1 + kidLen, ctrLen) : BigInt(c);
  return { kid, ctr, bytes: buf.subarray(0, total) };
}
