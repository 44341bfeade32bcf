/**
 * What the SFrame worker does with one encoded frame, without any worker or WebRTC API, so it is unit
 * tested in Node: encrypt or decrypt, count the outcome, and say whether to ask for a keyframe.
 */
import type { Bytes } from '../../e2ee/sframe/bytes.js';
import type { SFrameKeyRing } from '../../e2ee/sframe/keyRing.js';
import { decryptFrame, encryptFrame, type MediaCodec } from '../../e2ee/sframe/media.js';
import { KeyframeRequestThrottle } from './keyframeThrottle.js';
import type { SFrameTransformOptions, TransformCounters } from './messages.js';

export interface FrameOutcome {
  /** The bytes to pass on, or undefined to drop the frame. */
  readonly data: Bytes | undefined;
  /** True when the caller should call sendKeyFrameRequest() now (already throttled). */
  readonly requestKeyFrame: boolean;
  /** A sender: true when the caller should ask its encoder for a keyframe now (generateKeyFrame()). */
  readonly generateKeyFrame?: boolean;
}

/** VP8 (RFC 6386 §9.1): the P bit, bit 0 of the first byte, is 0 on a keyframe. */
const isVp8Keyframe = (frame: Bytes): boolean => ((frame[0] ?? 1) & 1) === 0;

export type FrameTransform = (frame: Bytes) => Promise<FrameOutcome>;

/** `ring` is read on every frame, so key updates (and a reconfigured ring) apply to the next frame. */
export function createFrameTransform(
  ring: () => SFrameKeyRing,
  options: SFrameTransformOptions,
  counters: TransformCounters,
  throttle = new KeyframeRequestThrottle(),
): FrameTransform {
  const codec: MediaCodec = options.kind === 'video' ? 'vp8' : 'opus';
  const drop = { data: undefined, requestKeyFrame: false } as const;
  // Video only. A sender's keyframe may have been dropped while it had no key, and a receiver that
  // dropped frames (or has just started) cannot decode delta frames: both want a keyframe as soon as
  // frames flow again, rather than waiting for the encoder's next periodic one.
  let senderMissedFrames = false;
  let receiverNeedsKeyframe = true;
  return async (frame) => {
    if (frame.length === 0) {
      counters.framesEmpty++;
      return { data: frame, requestKeyFrame: false };
    }
    const keys = ring();
    if (options.operation === 'encrypt') {
      // Without a key a sender sends nothing rather than plaintext.
      if (keys.epoch === undefined) {
        counters.framesDropped.noKey++;
        senderMissedFrames = codec === 'vp8';
        return drop;
      }
      const out = await encryptFrame(keys, codec, frame);
      if (!out.ok) {
        counters.framesDropped.tooShort++;
        return drop;
      }
      counters.framesEncrypted++;
      const generate = senderMissedFrames && !isVp8Keyframe(frame);
      senderMissedFrames = false;
      return { data: out.data, requestKeyFrame: false, generateKeyFrame: generate };
    }
    const out = await decryptFrame(keys, codec, frame);
    if (!out.ok) {
      counters.framesDropped[out.reason]++;
      receiverNeedsKeyframe = true;
      // The RFC allows buffering frames until their key arrives; for live video a keyframe after the key
      // arrives is worth more than old frames, so drop and ask for one (throttled).
      const ask = out.reason === 'noKey' && options.kind === 'video' && throttle.keyframeRequestAllowed();
      if (ask) counters.keyframeRequests++;
      return { data: undefined, requestKeyFrame: ask };
    }
    counters.framesDecrypted++;
    if (codec !== 'vp8' || !receiverNeedsKeyframe) return { data: out.data, requestKeyFrame: false };
    if (isVp8Keyframe(out.data)) {
      receiverNeedsKeyframe = false;
      return { data: out.data, requestKeyFrame: false };
    }
    const ask = throttle.keyframeRequestAllowed();
    if (ask) counters.keyframeRequests++;
    return { data: out.data, requestKeyFrame: ask };
  };
}
