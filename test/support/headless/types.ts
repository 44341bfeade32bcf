/**
 * Types shared by the parts of the headless client (see ../HeadlessClient.ts): what it counts, its
 * statistics and join milestones, the error a request is rejected with, and small shared helpers.
 */
import type { RTCPeerConnection } from 'werift';
import type { ClientMessageType, ClientPayload, ServerMessage } from '../../../src/protocol/messages.js';

export type MediaKind = 'audio' | 'video';

/** What one client has received from one remote participant's track of one kind. */
export interface ReceivedCounters {
  /** RTP packets received (all, stamped or not). */
  packets: number;
  /** RTP payload bytes received. */
  bytes: number;
  /** Date.now() of the last packet, 0 if none. */
  lastAt: number;
  /**
   * Packets that carried a synthetic stamp (sent by a HeadlessClient); for a member, decrypted frames
   * that did (one stamp per frame: per packet for audio, per frame of several packets for video).
   */
  stamped: number;
  /** Lowest and highest sender counter seen in stamps (undefined before the first stamp). */
  firstCounter: number | undefined;
  highestCounter: number | undefined;
  /** Members: frames the SFrame transform decrypted (stamps are read from these only). */
  decrypted: number;
  /** Members: frames that failed to decrypt (no key for their KID, authentication failed, malformed). */
  undecryptable: number;
}

export function emptyCounters(): ReceivedCounters {
  return {
    packets: 0,
    bytes: 0,
    lastAt: 0,
    stamped: 0,
    firstCounter: undefined,
    highestCounter: undefined,
    decrypted: 0,
    undecryptable: 0,
  };
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface HeadlessClientStats {
  audioSent: number;
  videoSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
  /** Packets whose sender counter was skipped (gaps in stamps), summed over all received streams. */
  stampGaps: number;
  /** Times a new socket was opened after a drop. */
  reconnects: number;
  /** Reconnects that took the same seat back (`joined.resumed`). */
  resumes: number;
  /** Reconnects that had to join fresh (resume_expired). */
  rejoins: number;
  mediaRestarts: number;
  /** Successful publish negotiations (initial and after restarts/rejoins). */
  publishes: number;
  subscribeOffers: number;
  keyframeRequests: number;
  /** Latency of the samples currently held (not yet taken). */
  latency: LatencySummary;
}

/** performance.now() of milestones of the first join (undefined until reached). */
export interface HeadlessClientTimings {
  /** join() was called. */
  start: number;
  wsOpen?: number;
  joined?: number;
  /** publishAnswer applied. */
  published?: number;
  /** First subscribeOffer received / its answer sent. */
  firstOffer?: number;
  firstAnswer?: number;
  /** Subscriber PeerConnection first reached ICE connected / connectionState connected (ICE + DTLS). */
  subscriberIceConnected?: number;
  subscriberConnected?: number;
  /** First RTP packet from any remote participant, and per kind. */
  firstMedia?: number;
  firstAudio?: number;
  firstVideo?: number;
}

export type Milestone = Exclude<keyof HeadlessClientTimings, 'start'>;

/** Records a milestone at `at` (default now) unless it is already recorded. */
export type MarkMilestone = (milestone: Milestone, at?: number) => void;

/** Sends a signaling request; resolves with its reply, rejects with SignalingError on an `error` reply. */
export type RequestFn = <K extends ClientMessageType>(
  type: K,
  payload: ClientPayload<K>,
) => Promise<ServerMessage>;

/** A server `error` reply to a request. */
export class SignalingError extends Error {
  override name = 'SignalingError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until ICE gathering is complete (no trickle: the SDP must carry every candidate). */
export async function iceGathered(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unSubscribe();
      reject(new Error('ICE gathering did not complete'));
    }, timeoutMs);
    const sub = pc.iceGatheringStateChange.subscribe((state) => {
      if (state !== 'complete') return;
      clearTimeout(timer);
      sub.unSubscribe();
      resolve();
    });
    if (pc.iceGatheringState === 'complete') {
      clearTimeout(timer);
      sub.unSubscribe();
      resolve();
    }
  });
}
