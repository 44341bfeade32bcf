/** Messages between the main thread and the SFrame worker (docs/e2ee.md, "Browser glue"). */
import type { CipherSuiteId } from '../../e2ee/sframe/suites.js';

/** Options of each RTCRtpScriptTransform: what to do and to which kind of media. */
export interface SFrameTransformOptions {
  readonly operation: 'encrypt' | 'decrypt';
  /** video is VP8, audio is Opus (their clear prefixes differ). */
  readonly kind: 'audio' | 'video';
  /** Names the transform in the counters. */
  readonly id: string;
}

export type ToWorker =
  | {
      readonly type: 'configure';
      readonly suite?: CipherSuiteId;
      readonly epochBits?: number;
      readonly indexBits?: number;
      readonly retainPreviousMs?: number;
      /** KID context this worker encrypts with; by default a random one per worker (see sframeWorker.ts). */
      readonly senderContext?: bigint;
    }
  /** secret: the MLS exporter output for this epoch; senderIndex: our own leaf index. */
  | {
      readonly type: 'setEpoch';
      readonly epoch: number | bigint;
      readonly secret: Uint8Array;
      readonly senderIndex: number;
    }
  | { readonly type: 'getCounters' }
  | { readonly type: 'clear' };

export interface TransformCounters {
  framesEncrypted: number;
  framesDecrypted: number;
  /** noKey: no key for the frame's KID (receivers) or no epoch yet (senders, which never send plaintext). */
  framesDropped: { noKey: number; authFailed: number; malformed: number; tooShort: number };
  keyframeRequests: number;
  /** Empty frames (encoders emit them) pass through unchanged and are counted here, not as en/decrypted. */
  framesEmpty: number;
}

export type FromWorker =
  | { readonly type: 'counters'; readonly counters: Record<string, TransformCounters> }
  | { readonly type: 'error'; readonly message: string };

export function emptyCounters(): TransformCounters {
  return {
    framesEncrypted: 0,
    framesDecrypted: 0,
    framesDropped: { noKey: 0, authFailed: 0, malformed: 0, tooShort: 0 },
    keyframeRequests: 0,
    framesEmpty: 0,
  };
}
