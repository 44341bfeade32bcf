/**
 * What the headless publisher writes to each track: a source of RTP packets, frame by frame. Without
 * E2EE it is the synthetic RTP of ../rtp.ts, one stamp per packet (what the load benchmarks measure).
 * With E2EE each frame is built whole (./frames.ts), encrypted by the client library's SFrame transform
 * (the browser worker's per-frame code), and only then packetized, as in a browser; a frame the
 * transform drops (no key yet) is not sent at all.
 */
import type { RtpPacket } from 'werift';
import type { FrameTransform } from '../../../src/client/e2ee/frameTransform.js';
import { SyntheticAudio, SyntheticVideo } from '../rtp.js';
import { AudioFrames, RtpStream, Vp8Frames, vp8FrameBytes } from './frames.js';
import type { Encryption } from './Encryption.js';
import type { ResolvedOptions } from './options.js';
import type { MediaKind } from './types.js';

export interface PacketSource {
  /** Calls of next() per second: packets for plaintext sources, frames for encrypted ones. */
  readonly rate: number;
  /** RTP packets produced so far. */
  readonly sent: number;
  /** The packets of the next unit, in order ([] when an encrypted frame is dropped). */
  next(): RtpPacket[] | Promise<RtpPacket[]>;
  /** PLI/FIR: the next video frame is a keyframe (a no-op for audio). */
  requestKeyframe(): void;
}

/** A frame as the publisher built it and as it went out (after SFrame), for tests that compare them. */
export type FrameTap = (kind: MediaKind, plaintext: Uint8Array, sent: Uint8Array) => void;

type SourceOptions = Pick<
  ResolvedOptions,
  'audioPps' | 'videoPps' | 'audioPayloadBytes' | 'videoPayloadBytes'
>;

/** Plaintext sources without `encryption` (a client outside the group), encrypted ones with it. */
export function packetSources(
  opts: SourceOptions,
  encryption: Encryption | undefined,
  tap: FrameTap,
): Record<MediaKind, PacketSource> {
  return encryption ? encryptedSources(opts, (kind) => encryption.sender(kind), tap) : plainSources(opts);
}

export function plainSources(opts: SourceOptions): Record<MediaKind, PacketSource> {
  const audio = new SyntheticAudio(opts.audioPps, opts.audioPayloadBytes);
  const video = new SyntheticVideo(opts.videoPps, opts.videoPayloadBytes);
  return {
    audio: {
      rate: opts.audioPps,
      get sent() {
        return audio.sent;
      },
      next: () => [audio.next()],
      requestKeyframe: () => undefined,
    },
    video: {
      rate: opts.videoPps,
      get sent() {
        return video.sent;
      },
      next: () => [video.next()],
      requestKeyframe: () => video.requestKeyframe(),
    },
  };
}

/**
 * Encrypted sources at the same packet rates and sizes as the plaintext ones: audio is one frame per
 * packet; video is 25 fps of frames that fill `videoPps / 25` packets once encrypted.
 */
export function encryptedSources(
  opts: SourceOptions,
  transform: (kind: MediaKind) => FrameTransform,
  tap: FrameTap,
): Record<MediaKind, PacketSource> {
  const audioFrames = new AudioFrames(opts.audioPayloadBytes);
  const audioRtp = new RtpStream(111, Math.max(1, Math.round(48_000 / opts.audioPps)));
  const packetsPerFrame = Math.max(1, Math.round(opts.videoPps / 25));
  const fps = opts.videoPps / packetsPerFrame;
  const videoFrames = new Vp8Frames(
    Math.max(32, vp8FrameBytes(packetsPerFrame, opts.videoPayloadBytes)),
    Math.max(1, Math.floor(fps)),
  );
  const videoRtp = new RtpStream(96, Math.max(1, Math.round(90_000 / fps)));
  return {
    audio: new EncryptedSource(opts.audioPps, transform('audio'), {
      make: () => audioFrames.next(),
      packetize: (data) => [audioRtp.single(Buffer.from(data))],
      tap: (plain, sent) => tap('audio', plain, sent),
    }),
    video: new EncryptedSource(fps, transform('video'), {
      make: () => videoFrames.next().data,
      packetize: (data) => videoRtp.vp8(data, opts.videoPayloadBytes),
      tap: (plain, sent) => tap('video', plain, sent),
      keyframe: () => videoFrames.requestKeyframe(),
    }),
  };
}

interface FrameHooks {
  /** Builds the next plaintext frame (stamped now: latency includes encryption, as in a browser). */
  make(): Uint8Array;
  packetize(data: Uint8Array): RtpPacket[];
  tap(plain: Uint8Array, sent: Uint8Array): void;
  keyframe?(): void;
}

class EncryptedSource implements PacketSource {
  #sent = 0;
  /** Frames are encrypted and packetized strictly in order, so sequence numbers follow stamps. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly rate: number,
    private readonly transform: FrameTransform,
    private readonly hooks: FrameHooks,
  ) {}

  get sent(): number {
    return this.#sent;
  }

  next(): Promise<RtpPacket[]> {
    const plain = this.hooks.make();
    const run = this.#chain.then(async () => {
      const out = await this.transform(Uint8Array.from(plain));
      if (out.generateKeyFrame) this.requestKeyframe();
      if (!out.data) return [];
      this.hooks.tap(plain, out.data);
      const packets = this.hooks.packetize(out.data);
      this.#sent += packets.length;
      return packets;
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  requestKeyframe(): void {
    this.hooks.keyframe?.();
  }
}
