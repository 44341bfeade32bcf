/**
 * The subscriber PeerConnection: one recvonly PC that receives every remote track. The server sends a
 * full offer whenever the set of remote streams changes; offers are applied strictly one at a time.
 * After each offer the transceivers are matched by mid to the `streams` list to know which track
 * belongs to which participant and source. Inactive streams are dropped.
 */
import type { RemoteStream, TrackSource } from '../protocol/messages.js';
import { ClientError } from './ClientError.js';
import { PEER_CONFIG, closePeer, waitForIceGathering } from './rtc.js';

export interface RemoteTrack {
  participantId: string;
  source: TrackSource;
  kind: 'audio' | 'video';
  mid: string;
  track: MediaStreamTrack;
  receiver: RTCRtpReceiver;
  /** A stream holding just this track, stable for as long as the track keeps this owner. */
  stream: MediaStream;
}

export type AnswerFn = (answer: { type: 'answer'; sdp: string }) => void;

export class Subscriber {
  private pc: RTCPeerConnection | null = null;
  private queue: Promise<void> = Promise.resolve();
  private remote: RemoteTrack[] = [];
  /** Streams by `participantId/source/trackId`, so a video element keeps its srcObject across offers. */
  private readonly streams = new Map<string, MediaStream>();
  private closed = false;

  /** Called after every applied offer with the current remote tracks. */
  onTracks: ((tracks: readonly RemoteTrack[]) => void) | null = null;
  /** Called when applying an offer failed. */
  onError: ((error: ClientError) => void) | null = null;
  onConnectionState: ((state: RTCPeerConnectionState) => void) | null = null;
  /**
   * Called with every new receiver right after the offer that creates it is applied and before the
   * answer goes out, so a transform (end-to-end decryption) is in place before the first frame.
   */
  onReceiver: ((receiver: RTCRtpReceiver, kind: 'audio' | 'video', mid: string) => void) | null = null;
  private readonly knownReceivers = new WeakSet<RTCRtpReceiver>();

  constructor(private readonly sendAnswer: AnswerFn) {}

  get tracks(): readonly RemoteTrack[] {
    return this.remote;
  }

  get peerConnection(): RTCPeerConnection | null {
    return this.pc;
  }

  /** Every receiver of the PeerConnection (also those not carrying a stream right now). */
  receivers(): RTCRtpReceiver[] {
    return this.pc?.getReceivers() ?? [];
  }

  /** Audio receivers by participant (for the active speaker detector). */
  audioReceivers(): Array<{ participantId: string; receiver: RTCRtpReceiver }> {
    return this.remote
      .filter((track) => track.kind === 'audio')
      .map(({ participantId, receiver }) => ({ participantId, receiver }));
  }

  /** Queues an offer; resolves when it (and every earlier one) has been answered. */
  handleOffer(offer: { type: 'offer'; sdp: string }, streams: readonly RemoteStream[]): Promise<void> {
    const run = this.queue.then(() => this.apply(offer, streams));
    this.queue = run.catch((error: unknown) => {
      if (!this.closed) this.onError?.(ClientError.from(error, 'media_failed'));
    });
    return run;
  }

  close(): void {
    this.closed = true;
    closePeer(this.pc);
    this.pc = null;
    this.remote = [];
    this.streams.clear();
  }

  private ensurePeer(): RTCPeerConnection {
    if (this.pc) return this.pc;
    const pc = new RTCPeerConnection(PEER_CONFIG);
    pc.addEventListener('connectionstatechange', () => {
      if (this.pc === pc) this.onConnectionState?.(pc.connectionState);
    });
    this.pc = pc;
    return pc;
  }

  private async apply(
    offer: { type: 'offer'; sdp: string },
    streams: readonly RemoteStream[],
  ): Promise<void> {
    if (this.closed) return;
    const pc = this.ensurePeer();
    await pc.setRemoteDescription(offer);
    for (const transceiver of pc.getTransceivers()) {
      const receiver = transceiver.receiver;
      if (this.knownReceivers.has(receiver)) continue;
      this.knownReceivers.add(receiver);
      const kind = receiver.track.kind === 'audio' ? 'audio' : 'video';
      this.onReceiver?.(receiver, kind, transceiver.mid ?? '');
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await waitForIceGathering(pc);
    if (this.closed || this.pc !== pc) return;
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new ClientError('media_failed', 'No local answer after ICE gathering.');
    this.sendAnswer({ type: 'answer', sdp });
    this.update(pc, streams);
  }

  private update(pc: RTCPeerConnection, streams: readonly RemoteStream[]): void {
    const byMid = new Map<string, RTCRtpTransceiver>();
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.mid !== null) byMid.set(transceiver.mid, transceiver);
    }
    const next: RemoteTrack[] = [];
    const keep = new Set<string>();
    for (const info of streams) {
      if (!info.active) continue;
      const transceiver = byMid.get(info.mid);
      if (
        !transceiver ||
        transceiver.currentDirection === 'inactive' ||
        transceiver.currentDirection === 'stopped'
      ) {
        continue;
      }
      const track = transceiver.receiver.track;
      const key = `${info.participantId}/${info.source}/${track.id}`;
      let stream = this.streams.get(key);
      if (!stream) {
        stream = new MediaStream([track]);
        this.streams.set(key, stream);
      }
      keep.add(key);
      next.push({
        participantId: info.participantId,
        source: info.source,
        kind: info.kind,
        mid: info.mid,
        track,
        receiver: transceiver.receiver,
        stream,
      });
    }
    for (const key of this.streams.keys()) if (!keep.has(key)) this.streams.delete(key);
    this.remote = next;
    this.onTracks?.(next);
  }
}
