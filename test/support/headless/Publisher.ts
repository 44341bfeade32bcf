/**
 * The headless client's publisher: one sendonly PeerConnection with an audio and a video track,
 * negotiated with `publish` (again after a mediaRestart or a rejoin, retrying transient failures), and
 * the paced packets of its sources (./sources.ts: synthetic RTP, SFrame-encrypted for members) written
 * to those tracks.
 */
import { RTCPeerConnection, MediaStreamTrack, type RtpPacket } from 'werift';
import type { PublishAnswerMessage, TrackSource } from '../../../src/protocol/messages.js';
import type { ResolvedOptions } from './options.js';
import type { PacketSource } from './sources.js';
import {
  SignalingError,
  iceGathered,
  sleep,
  type MarkMilestone,
  type MediaKind,
  type RequestFn,
} from './types.js';

export interface PublisherCallbacks {
  request: RequestFn;
  /** True once the client is closing: stop retrying. */
  closed(): boolean;
  mark: MarkMilestone;
  onPublished(): void;
  /** Publishing failed for good after retries. */
  onError(err: Error): void;
}

type PublisherOptions = Pick<ResolvedOptions, 'peerConfig' | 'requestTimeoutMs'>;

/** One outgoing stream: its source, units (packets or frames) due so far and the track it is written to. */
interface Outgoing {
  readonly source: PacketSource;
  due: number;
  track: MediaStreamTrack | undefined;
}

export class Publisher {
  readonly #opts: PublisherOptions;
  readonly #cb: PublisherCallbacks;
  #pc: RTCPeerConnection | undefined;
  readonly #audio: Outgoing;
  readonly #video: Outgoing;
  #sendTimer: NodeJS.Timeout | undefined;
  #sendStartedAt = 0;
  #chain: Promise<void> = Promise.resolve();
  /** Bumped whenever publishing must start over (mediaRestart, rejoin, close). */
  #epoch = 0;
  readonly stats = { bytesSent: 0, publishes: 0, keyframeRequests: 0 };

  constructor(
    opts: PublisherOptions,
    sources: Record<MediaKind, PacketSource>,
    callbacks: PublisherCallbacks,
  ) {
    this.#opts = opts;
    this.#cb = callbacks;
    this.#audio = { source: sources.audio, due: 0, track: undefined };
    this.#video = { source: sources.video, due: 0, track: undefined };
  }

  /** Packets sent so far by kind (only packets produced while the publisher was connected). */
  sent(kind: MediaKind): number {
    return (kind === 'audio' ? this.#audio : this.#video).source.sent;
  }

  /** The publisher PeerConnection's connectionState, 'none' without one. */
  get connectionState(): string {
    return this.#pc?.connectionState ?? 'none';
  }

  /** Queues a (re)publish; `restart` closes the current publisher first. Retries transient failures. */
  enqueue(restart = false): Promise<void> {
    const epoch = restart ? ++this.#epoch : this.#epoch;
    const run = async () => {
      if (restart) await this.close();
      let lastErr: unknown;
      for (let attempt = 0; attempt < 20; attempt++) {
        if (this.#cb.closed() || epoch !== this.#epoch) return;
        try {
          await this.#publishOnce(epoch);
          return;
        } catch (err) {
          lastErr = err;
          await this.close();
          if (!restart && attempt === 0 && err instanceof SignalingError) throw err; // initial join: report
          await sleep(Math.min(3000, 250 * 2 ** attempt));
        }
      }
      const err = lastErr instanceof Error ? lastErr : new Error(String(lastErr));
      this.#cb.onError(err);
      throw err;
    };
    const p = this.#chain.then(run);
    this.#chain = p.catch(() => undefined);
    return p;
  }

  /** Abandons publishing in progress and stops sending (the client is closing). */
  stop(): void {
    this.#epoch++;
    if (this.#sendTimer) clearInterval(this.#sendTimer);
    this.#sendTimer = undefined;
  }

  /** Closes the current PeerConnection, if any. */
  async close(): Promise<void> {
    const pc = this.#pc;
    this.#pc = undefined;
    this.#audio.track = undefined;
    this.#video.track = undefined;
    if (pc) await pc.close().catch(() => undefined);
  }

  async #publishOnce(epoch: number): Promise<void> {
    const pc = new RTCPeerConnection(this.#opts.peerConfig);
    this.#pc = pc;
    const audioTrack = new MediaStreamTrack({ kind: 'audio' });
    const videoTrack = new MediaStreamTrack({ kind: 'video' });
    const audioTx = pc.addTransceiver(audioTrack, { direction: 'sendonly' });
    const videoTx = pc.addTransceiver(videoTrack, { direction: 'sendonly' });
    videoTx.sender.onPictureLossIndication.subscribe(() => {
      this.stats.keyframeRequests++;
      this.#video.source.requestKeyframe();
    });
    videoTx.sender.onRtcp.subscribe((rtcp) => {
      // FIR (PSFB FMT 4) also asks for a keyframe.
      if (rtcp.type === 206 && 'feedback' in rtcp && (rtcp.feedback as { count?: number }).count === 4) {
        this.stats.keyframeRequests++;
        this.#video.source.requestKeyframe();
      }
    });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await iceGathered(pc, this.#opts.requestTimeoutMs);
    const local = pc.localDescription;
    if (!local) throw new Error('publisher has no local description');
    const tracks: { mid: string; source: TrackSource }[] = [];
    if (audioTx.mid !== null) tracks.push({ mid: audioTx.mid, source: 'mic' });
    if (videoTx.mid !== null) tracks.push({ mid: videoTx.mid, source: 'camera' });
    const reply = await this.#cb.request('publish', { jsep: { type: 'offer', sdp: local.sdp }, tracks });
    if (reply.type !== 'publishAnswer') throw new Error(`publish: unexpected reply ${reply.type}`);
    if (epoch !== this.#epoch || this.#cb.closed() || this.#pc !== pc) {
      await pc.close();
      return;
    }
    await pc.setRemoteDescription((reply as PublishAnswerMessage).jsep);
    this.#audio.track = audioTrack;
    this.#video.track = videoTrack;
    this.stats.publishes++;
    this.#cb.mark('published');
    this.#startSending();
    this.#cb.onPublished();
  }

  /** One timer for both streams; packets are paced by elapsed time, so timer jitter does not change rates. */
  #startSending(): void {
    if (this.#sendTimer) return;
    this.#sendStartedAt = performance.now();
    this.#audio.due = 0;
    this.#video.due = 0;
    this.#sendTimer = setInterval(() => {
      const elapsed = (performance.now() - this.#sendStartedAt) / 1000;
      const live = this.#pc?.connectionState === 'connected';
      this.#sendDue(this.#audio, elapsed, live);
      this.#sendDue(this.#video, elapsed, live);
    }, 5);
  }

  /** Writes the packets of one stream due by `elapsed` seconds (produced only while live). */
  #sendDue(out: Outgoing, elapsed: number, live: boolean): void {
    const rate = out.source.rate;
    const target = Math.floor(elapsed * rate);
    // After a stall, skip rather than burst more than ~100 ms worth of packets.
    if (target - out.due > rate / 10 + 1) out.due = target - Math.ceil(rate / 10);
    while (out.due < target) {
      out.due++;
      const track = out.track;
      if (!live || !track) continue;
      const packets = out.source.next();
      if (Array.isArray(packets)) this.#write(track, packets);
      // Encrypted frames resolve in order; a track replaced meanwhile (a restart) gets none of them.
      else void packets.then((p) => out.track === track && this.#write(track, p)).catch(() => undefined);
    }
  }

  #write(track: MediaStreamTrack, packets: RtpPacket[]): void {
    for (const p of packets) {
      this.stats.bytesSent += p.payload.length;
      track.writeRtp(p);
    }
  }
}
