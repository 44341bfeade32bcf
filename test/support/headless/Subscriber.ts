/**
 * The headless client's subscriber: one recvonly PeerConnection that answers every subscribeOffer,
 * strictly one at a time, and counts the RTP it receives per remote participant and kind (packets,
 * bytes, stamps, gaps and latency samples). In 'light' receive mode packets are counted from their
 * clear-text SRTP header and only a sample of them is decrypted.
 *
 * A member (`decryptor` given) reads stamps only from frames its SFrame transform decrypted: audio
 * packet by packet, video after reassembling each frame (./frames.ts); frames that fail to decrypt are
 * counted as `undecryptable`. In 'light' mode a member decrypts the sampled audio packets only (a
 * sample of video packets cannot be reassembled into frames).
 */
import {
  RTCPeerConnection,
  SrtpAuthenticationError,
  type MediaStreamTrack,
  type RTCDtlsTransport,
  type RTCRtpTransceiver,
  type RtpPacket,
} from 'werift';
import type { FrameTransform } from '../../../src/client/e2ee/frameTransform.js';
import type { RemoteStream, SubscribeOfferMessage } from '../../../src/protocol/messages.js';
import { nowUs, readStamp } from '../rtp.js';
import { Vp8Depacketizer } from './frames.js';
import type { ResolvedOptions } from './options.js';
import {
  SignalingError,
  emptyCounters,
  iceGathered,
  type MarkMilestone,
  type MediaKind,
  type ReceivedCounters,
  type RequestFn,
} from './types.js';

export interface SubscriberCallbacks {
  request: RequestFn;
  /** True once the client is closing: ignore further offers. */
  closed(): boolean;
  mark: MarkMilestone;
  /** An offer was applied and its answer is being sent. */
  onOffer(streams: RemoteStream[]): void;
  /** First packet of a (participant, kind) since this client started receiving it. */
  onFirstMedia(participantId: string, kind: MediaKind, atMs: number): void;
  /** An offer could not be applied, or the server rejected an answer. */
  onError(err: Error): void;
  /** Every RTP packet of a known stream, as received (before any SFrame decryption). */
  onRtp(participantId: string, kind: MediaKind, rtp: RtpPacket): void;
  /** Members only: the SFrame transform that decrypts one received stream (`id` names it). */
  decryptor?(kind: MediaKind, id: string): FrameTransform;
}

type SubscriberOptions = Pick<
  ResolvedOptions,
  | 'peerConfig'
  | 'receiveMode'
  | 'lightDecryptEvery'
  | 'latencySampleEvery'
  | 'maxLatencySamples'
  | 'requestTimeoutMs'
>;

interface StreamBinding {
  stream: RemoteStream;
  counters: ReceivedCounters;
}

/** A member's decryption of one received stream: its transform, frame reassembly, and an in-order queue. */
interface Decrypting {
  transform: FrameTransform;
  depacketizer: Vp8Depacketizer;
  chain: Promise<void>;
}

const SKIP_DECRYPT = new SrtpAuthenticationError('not decrypted (light receive mode)');

/** Media SSRC -> mid from the a=ssrc and a=mid lines of each m-section (RTX SSRCs left out). */
function ssrcToMid(sdp: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
    if (mid === undefined) continue;
    const rtx = new Set<number>();
    for (const g of section.matchAll(/^a=ssrc-group:FID (\d+) (\d+)/gm)) rtx.add(Number(g[2]));
    for (const m of section.matchAll(/^a=ssrc:(\d+) /gm)) {
      const ssrc = Number(m[1]);
      if (!rtx.has(ssrc)) map.set(ssrc, mid);
    }
  }
  return map;
}

export class Subscriber {
  readonly #opts: SubscriberOptions;
  readonly #cb: SubscriberCallbacks;
  #pc: RTCPeerConnection | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #bindings = new Map<string, StreamBinding>(); // by mid
  #midBySsrc = new Map<number, string>(); // from the offer's a=ssrc lines ('light' mode)
  readonly #patchedSrtp = new WeakSet<object>();
  readonly #hookedDtls = new WeakSet<RTCDtlsTransport>();
  #lightTick = 0;
  readonly #received = new Map<string, ReceivedCounters>(); // by `${participantId}:${kind}`
  readonly #hookedTracks = new WeakSet<MediaStreamTrack>();
  readonly #hookedTransceivers = new WeakSet<RTCRtpTransceiver>();
  readonly #decrypting = new Map<string, Decrypting>(); // by `${mid}:${participantId}:${kind}`
  #latency: number[] = [];
  #latencyTick = 0;
  readonly stats = { packetsReceived: 0, bytesReceived: 0, stampGaps: 0, subscribeOffers: 0 };

  constructor(opts: SubscriberOptions, callbacks: SubscriberCallbacks) {
    this.#opts = opts;
    this.#cb = callbacks;
  }

  /** The current streams of the subscriber PeerConnection, by mid. */
  streams(): RemoteStream[] {
    return [...this.#bindings.values()].map((b) => b.stream);
  }

  /** The live counters of one remote participant's track of one kind, undefined if none yet. */
  counters(participantId: string, kind: MediaKind): ReceivedCounters | undefined {
    return this.#received.get(`${participantId}:${kind}`);
  }

  /** Latency samples (ms) held now; the array is the live one, do not modify it. */
  get latencySamples(): readonly number[] {
    return this.#latency;
  }

  /** Latency samples (ms) held since the last call, and forgets them. */
  takeLatencySamples(): number[] {
    const samples = this.#latency;
    this.#latency = [];
    return samples;
  }

  debugState(): { subscriber: string; subscriberIce: string; streams: number } {
    return {
      subscriber: this.#pc?.connectionState ?? 'none',
      subscriberIce: this.#pc?.iceConnectionState ?? 'none',
      streams: this.#bindings.size,
    };
  }

  /** Queues an offer; offers are applied strictly in order, failures are reported through onError. */
  enqueueOffer(msg: SubscribeOfferMessage): void {
    this.stats.subscribeOffers++;
    this.#chain = this.#chain
      .then(() => this.#onOffer(msg))
      .catch((err: unknown) => {
        this.#cb.onError(err instanceof Error ? err : new Error(String(err)));
      });
  }

  /** Queues closing the PeerConnection (the server has dropped our subscriber session). */
  enqueueClose(): void {
    this.#chain = this.#chain.then(() => this.close());
  }

  /** Closes the PeerConnection now, if any. */
  async close(): Promise<void> {
    const pc = this.#pc;
    this.#pc = undefined;
    this.#bindings.clear();
    if (pc) await pc.close().catch(() => undefined);
  }

  async #onOffer(msg: SubscribeOfferMessage): Promise<void> {
    if (this.#cb.closed()) return;
    this.#cb.mark('firstOffer');
    let pc = this.#pc;
    if (!pc) {
      pc = new RTCPeerConnection(this.#opts.peerConfig);
      this.#pc = pc;
      pc.iceConnectionStateChange.subscribe((state) => {
        if (state === 'connected') this.#cb.mark('subscriberIceConnected');
      });
      pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') this.#cb.mark('subscriberConnected');
      });
      this.#bindings.clear();
    }
    this.#bind(msg.streams);
    if (this.#opts.receiveMode === 'light') this.#midBySsrc = ssrcToMid(msg.jsep.sdp);
    // In 'light' mode werift sees only a sample of the packets: its NACKs would ask Janus to resend the
    // rest and its transport-cc feedback would report them lost, so RTCP feedback is removed from the
    // offer (the answer then negotiates none).
    const offer =
      this.#opts.receiveMode === 'light'
        ? { type: 'offer' as const, sdp: msg.jsep.sdp.replace(/^a=rtcp-fb:.*\r?\n/gm, '') }
        : msg.jsep;
    await pc.setRemoteDescription(offer);
    this.#hookTracks(pc);
    if (this.#opts.receiveMode === 'light') this.#hookDtls(pc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await iceGathered(pc, this.#opts.requestTimeoutMs);
    const local = pc.localDescription;
    if (!local) throw new Error('subscriber has no local description');
    if (this.#pc !== pc || this.#cb.closed()) return;
    this.#cb.mark('firstAnswer');
    this.#cb.onOffer(msg.streams);
    // Offers are applied strictly one at a time (this runs on a serial chain); the next offer may be
    // applied as soon as this answer is sent. A reply (ack or error) is not required; errors are reported.
    this.#cb
      .request('subscribeAnswer', { jsep: { type: 'answer', sdp: local.sdp } })
      .catch((err: unknown) => {
        if (err instanceof SignalingError) this.#cb.onError(err);
      });
  }

  #bind(streams: RemoteStream[]): void {
    this.#bindings.clear();
    for (const stream of streams) {
      if (!stream.active) continue;
      const key = `${stream.participantId}:${stream.kind}`;
      let counters = this.#received.get(key);
      if (!counters) this.#received.set(key, (counters = emptyCounters()));
      this.#bindings.set(stream.mid, { stream, counters });
    }
    // Streams that are gone take their decryption state with them.
    const live = new Set(
      streams.filter((st) => st.active).map((st) => `${st.mid}:${st.participantId}:${st.kind}`),
    );
    for (const key of this.#decrypting.keys()) if (!live.has(key)) this.#decrypting.delete(key);
  }

  #hookTracks(pc: RTCPeerConnection): void {
    for (const tx of pc.getTransceivers()) {
      if (!this.#hookedTransceivers.has(tx)) {
        this.#hookedTransceivers.add(tx);
        tx.onTrack.subscribe((track) => this.#hookTrack(tx, track));
      }
      for (const track of tx.receiver.tracks) this.#hookTrack(tx, track);
    }
  }

  #hookTrack(tx: RTCRtpTransceiver, track: MediaStreamTrack): void {
    if (this.#hookedTracks.has(track)) return;
    this.#hookedTracks.add(track);
    track.onReceiveRtp.subscribe((rtp) => this.#onRtp(tx, rtp));
  }

  #onRtp(tx: RTCRtpTransceiver, rtp: RtpPacket): void {
    const binding = tx.mid === null ? undefined : this.#bindings.get(tx.mid);
    if (this.#opts.receiveMode === 'full') {
      this.#count(binding, rtp.payload.length);
    }
    if (!binding) return;
    const { participantId, kind } = binding.stream;
    this.#cb.onRtp(participantId, kind, rtp);
    if (!this.#cb.decryptor) this.#readStamp(binding.counters, rtp.payload);
    else if (this.#opts.receiveMode === 'full' || kind === 'audio') this.#decrypt(tx, binding, rtp);
  }

  /** Decrypts a member's frames in arrival order; stamps are read from the plaintext only. */
  #decrypt(tx: RTCRtpTransceiver, binding: StreamBinding, rtp: RtpPacket): void {
    const { participantId, kind, mid } = binding.stream;
    const key = `${mid}:${participantId}:${kind}`;
    let d = this.#decrypting.get(key);
    if (!d) {
      const transform = this.#cb.decryptor?.(kind, `sub-${mid}`);
      if (!transform) return;
      d = { transform, depacketizer: new Vp8Depacketizer(), chain: Promise.resolve() };
      this.#decrypting.set(key, d);
    }
    const frame = kind === 'video' ? d.depacketizer.push(rtp) : rtp.payload;
    if (!frame) return;
    const { transform } = d;
    const c = binding.counters;
    d.chain = d.chain
      .then(async () => {
        const out = await transform(Uint8Array.from(frame));
        // Throttled by the transform, as in the browser worker: one request per second at most.
        if (out.requestKeyFrame) void tx.receiver.sendRtcpPLI(rtp.header.ssrc).catch(() => undefined);
        if (!out.data) {
          c.undecryptable++;
          return;
        }
        c.decrypted++;
        this.#readStamp(c, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
      })
      .catch(() => undefined);
  }

  #count(binding: StreamBinding | undefined, bytes: number): void {
    this.stats.packetsReceived++;
    this.stats.bytesReceived += bytes;
    if (!binding) return;
    const c = binding.counters;
    const now = Date.now();
    if (c.packets === 0) {
      const t = performance.now();
      this.#cb.mark('firstMedia', t);
      this.#cb.mark(binding.stream.kind === 'audio' ? 'firstAudio' : 'firstVideo', t);
      this.#cb.onFirstMedia(binding.stream.participantId, binding.stream.kind, now);
    }
    c.packets++;
    c.bytes += bytes;
    c.lastAt = now;
  }

  #readStamp(c: ReceivedCounters, payload: Buffer): void {
    const stamp = readStamp(payload);
    if (!stamp) return;
    c.stamped++;
    if (c.firstCounter === undefined || c.highestCounter === undefined) {
      c.firstCounter = stamp.counter;
      c.highestCounter = stamp.counter;
    } else if (stamp.counter > c.highestCounter) {
      if (this.#opts.receiveMode === 'full') this.stats.stampGaps += stamp.counter - c.highestCounter - 1;
      c.highestCounter = stamp.counter;
    }
    if (++this.#latencyTick >= this.#opts.latencySampleEvery) {
      this.#latencyTick = 0;
      if (this.#latency.length < this.#opts.maxLatencySamples)
        this.#latency.push((nowUs() - stamp.sentUs) / 1000);
    }
  }

  /** 'light' mode: count packets from the clear-text SRTP header and decrypt only a sample of them. */
  #hookDtls(pc: RTCPeerConnection): void {
    for (const dtls of pc.dtlsTransports) {
      if (this.#hookedDtls.has(dtls)) continue;
      this.#hookedDtls.add(dtls);
      if (dtls.srtpStarted) this.#patchSrtp(dtls);
      dtls.onStateChange.subscribe((state) => {
        if (state === 'connected') this.#patchSrtp(dtls);
      });
    }
  }

  #patchSrtp(dtls: RTCDtlsTransport): void {
    const srtp = dtls.srtp;
    if (this.#patchedSrtp.has(srtp)) return;
    this.#patchedSrtp.add(srtp);
    const decrypt = srtp.decrypt;
    const every = Math.max(1, this.#opts.lightDecryptEvery);
    srtp.decrypt = (buf: Buffer) => {
      if (buf.length >= 12) {
        const mid = this.#midBySsrc.get(buf.readUInt32BE(8));
        this.#count(mid === undefined ? undefined : this.#bindings.get(mid), buf.length);
      }
      if (++this.#lightTick >= every) {
        this.#lightTick = 0;
        return decrypt(buf);
      }
      // werift drops packets that fail authentication; a shared instance avoids building a stack trace.
      throw SKIP_DECRYPT;
    };
  }
}
