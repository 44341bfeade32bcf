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
}

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
        return drop;
      }
      const out = await encryptFrame(keys, codec, frame);
      if (!out.ok) {
        counters.framesDropped.tooShort++;
        return drop;
      }
      counters.framesEncrypted++;
      return { data: out.data, requestKeyFrame: false };
    }
    const out = await decryptFrame(keys, codec, frame);
    if (!out.ok) {
      counters.framesDropped[out.reason]++;
      // The RFC allows buffering frames until their key arrives; for live video a keyframe after the key
      // arrives is worth more than old frames, so drop and ask for one (throttled).
      const ask = out.reason === 'noKey' && options.kind === 'video' && throttle.keyframeRequestAllowed();
      if (ask) counters.keyframeRequests++;
      return { data: undefined, requestKeyFrame: ask };
    }
    counters.framesDecrypted++;
    return { data: out.data, requestKeyFrame: false };
  };
}
