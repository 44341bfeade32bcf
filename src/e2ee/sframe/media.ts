/**
 * SFrame applied to encoded media frames that travel through an SFU (docs/e2ee.md, "Media frames").
 *
 * On the wire:  clear prefix (N bytes) || SFrame header || ciphertext || tag
 *
 * The SFU and the RTP (de)packetizers must read the start of the codec bitstream (VP8: the frame tag's
 * keyframe bit, and on keyframes the start code and dimensions; Opus: the TOC byte), so those N bytes
 * stay in the clear. Unlike schemes that leave such bytes merely unencrypted, here they are the SFrame
 * metadata: AAD = SFrame header || clear prefix, so a change to them fails authentication.
 */
import { concat, type Bytes } from './bytes.js';
import type { KeyRingDecryptResult } from './keyRing.js';

export type MediaCodec = 'vp8' | 'opus' | 'none';

/** VP8 (RFC 6386 §9.1): frame tag (3 bytes), plus start code and dimensions (7 more) on keyframes. */
const VP8_KEY_CLEAR = 10;
const VP8_DELTA_CLEAR = 3;
/** Opus (RFC 6716 §3.1): the TOC byte. */
const OPUS_CLEAR = 1;

/**
 * How many leading bytes of this frame stay in the clear. Decided from the first byte alone (VP8's
 * P bit is 0 on keyframes), which is itself in the clear and authenticated, so sender and receiver
 * always agree and a flipped bit cannot shift the boundary without failing authentication.
 */
export function clearPrefixLength(codec: MediaCodec, frame: Uint8Array): number {
  const first = frame[0];
  if (first === undefined) return 0;
  switch (codec) {
    case 'vp8':
      return (first & 0x01) === 0 ? VP8_KEY_CLEAR : VP8_DELTA_CLEAR;
    case 'opus':
      return OPUS_CLEAR;
    case 'none':
      return 0;
  }
}

/** What the media layer needs from a key ring (SFrameKeyRing implements it). */
export interface FrameCipher {
  encrypt(plaintext: Bytes, metadata: Bytes): Promise<Bytes>;
  decrypt(sframeCiphertext: Bytes, metadata: Bytes): Promise<KeyRingDecryptResult>;
}

export type EncryptFrameResult = { ok: true; data: Bytes } | { ok: false; reason: 'tooShort' };

/**
 * Encrypts one encoded frame. An empty frame stays empty (nothing to hide, and encoders do emit them).
 * A frame shorter than its codec's clear prefix is not a valid frame of that codec and is refused
 * rather than sent with a prefix the receiver would compute differently.
 */
export async function encryptFrame(
  cipher: FrameCipher,
  codec: MediaCodec,
  frame: Bytes,
): Promise<EncryptFrameResult> {
  if (frame.length === 0) return { ok: true, data: frame };
  const n = clearPrefixLength(codec, frame);
  if (frame.length < n) return { ok: false, reason: 'tooShort' };
  const clear = frame.subarray(0, n);
  const sealed = await cipher.encrypt(frame.subarray(n), clear);
  return { ok: true, data: concat(clear, sealed) };
}

export type DecryptFrameResult =
  /** sender is undefined only for an empty frame, which carries nothing to authenticate. */
  | { ok: true; data: Bytes; sender: { index: number; epoch: bigint } | undefined }
  | { ok: false; reason: 'malformed' | 'noKey' | 'authFailed' };

/** Reverses encryptFrame: returns clear prefix || plaintext, or why the frame must be dropped. */
export async function decryptFrame(
  cipher: FrameCipher,
  codec: MediaCodec,
  data: Bytes,
): Promise<DecryptFrameResult> {
  if (data.length === 0) return { ok: true, data, sender: undefined };
  const n = clearPrefixLength(codec, data);
  if (data.length <= n) return { ok: false, reason: 'malformed' };
  const clear = data.subarray(0, n);
  const result = await cipher.decrypt(data.subarray(n), clear);
  if (!result.ok) return { ok: false, reason: result.reason };
  return {
    ok: true,
    data: concat(clear, result.plaintext),
    sender: { index: result.senderIndex, epoch: result.epoch },
  };
}
