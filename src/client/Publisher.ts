/**
 * The publisher PeerConnection: one sendonly PC carrying mic audio (Opus), camera video (VP8) and,
 * while sharing, screen video (VP8). Every change that needs SDP goes through `negotiate()`: a full
 * offer after ICE gathering completes (no trickle), sent with the mid -> source map; the answer comes
 * back from the server. Negotiations are serialized.
 */
import type { TrackSource } from '../protocol/messages.js';
import { ClientError } from './ClientError.js';
import { PEER_CONFIG, closePeer, preferCodec, waitForIceGathering } from './rtc.js';

export interface PublishTrack {
  mid: string;
  source: TrackSource;
}

/** Sends the offer and the track map to the server; resolves with the answer SDP. */
export type PublishFn = (
  offer: { type: 'offer'; sdp: string },
  tracks: PublishTrack[],
) => Promise<{ type: 'answer'; sdp: string }>;

export class Publisher {
  private pc: RTCPeerConnection | null = null;
  private readonly transceivers = new Map<TrackSource, RTCRtpTransceiver>();
  private readonly tracks = new Map<TrackSource, MediaStreamTrack | null>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  /**
   * Called with every sender as soon as its transceiver exists, before any negotiation, so a transform
   * (end-to-end encryption) is in place before the first frame is sent.
   */
  onSender: ((sender: RTCRtpSender, kind: 'audio' | 'video', source: TrackSource) => void) | null = null;

  /** Called when the PC's connection state changes (e.g. to show a media problem). */
  onConnectionState: ((state: RTCPeerConnectionState) => void) | null = null;

  constructor(private readonly publish: PublishFn) {}

  get connectionState(): RTCPeerConnectionState | 'new' {
    return this.pc?.connectionState ?? 'new';
  }

  get peerConnection(): RTCPeerConnection | null {
    return this.pc;
  }

  /** Every sender, by source. */
  senders(): Array<{ source: TrackSource; sender: RTCRtpSender }> {
    return [...this.transceivers].map(([source, t]) => ({ source, sender: t.sender }));
  }

  /** The sender carrying `source`, e.g. for stats. */
  sender(source: TrackSource): RTCRtpSender | null {
    return this.transceivers.get(source)?.sender ?? null;
  }

  /**
   * Creates the PC with a mic and a camera transceiver (also without a track, so a device can be added
   * later with replaceTrack) and, if given, a screen transceiver; then negotiates.
   */
  async start(
    mic: MediaStreamTrack | null,
    camera: MediaStreamTrack | null,
    screen: MediaStreamTrack | null = null,
  ) {
    this.closed = false;
    this.tracks.set('mic', mic);
    this.tracks.set('camera', camera);
    this.tracks.set('screen', screen);
    this.createPeer();
    await this.negotiate();
  }

  /** Closes the PC and starts again with the same tracks (after a media server restart). */
  async restart(): Promise<void> {
    this.teardown();
    this.closed = false;
    this.createPeer();
    await this.negotiate();
  }

  /** Swaps the track of a source without renegotiation (device switch). */
  async replaceTrack(source: 'mic' | 'camera', track: MediaStreamTrack | null): Promise<void> {
    this.tracks.set(source, track);
    const transceiver = this.transceivers.get(source);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  /** Starts sending a screen track: reuses the screen transceiver of an earlier share, then renegotiates. */
  async startScreen(track: MediaStreamTrack): Promise<void> {
    this.tracks.set('screen', track);
    const pc = this.requirePeer();
    const existing = this.transceivers.get('screen');
    if (existing && existing.currentDirection !== 'stopped') {
      await existing.sender.replaceTrack(track);
      existing.direction = 'sendonly';
    } else {
      const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
      preferCodec(transceiver, 'video', 'video/VP8');
      this.addSender('screen', 'video', transceiver);
    }
    await this.negotiate();
  }

  /** Stops sending the screen track (the transceiver stays, inactive, for the next share). */
  async stopScreen(): Promise<void> {
    this.tracks.set('screen', null);
    const transceiver = this.transceivers.get('screen');
    if (!transceiver || !this.pc) return;
    await transceiver.sender.replaceTrack(null);
    transceiver.direction = 'inactive';
    await this.negotiate();
  }

  /** Runs one offer/answer round (serialized with any other). Rejects with a ClientError. */
  negotiate(): Promise<void> {
    const run = this.queue.then(() => this.negotiateNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.closed = true;
    this.teardown();
  }

  private createPeer(): void {
    const pc = new RTCPeerConnection(PEER_CONFIG);
    this.pc = pc;
    pc.addEventListener('connectionstatechange', () => {
      if (this.pc === pc) this.onConnectionState?.(pc.connectionState);
    });
    const mic = pc.addTransceiver(this.tracks.get('mic') ?? 'audio', { direction: 'sendonly' });
    preferCodec(mic, 'audio', 'audio/opus');
    this.addSender('mic', 'audio', mic);
    const camera = pc.addTransceiver(this.tracks.get('camera') ?? 'video', { direction: 'sendonly' });
    preferCodec(camera, 'video', 'video/VP8');
    this.addSender('camera', 'video', camera);
    const screen = this.tracks.get('screen');
    if (screen) {
      const transceiver = pc.addTransceiver(screen, { direction: 'sendonly' });
      preferCodec(transceiver, 'video', 'video/VP8');
      this.addSender('screen', 'video', transceiver);
    }
  }

  private addSender(source: TrackSource, kind: 'audio' | 'video', transceiver: RTCRtpTransceiver): void {
    this.transceivers.set(source, transceiver);
    this.onSender?.(transceiver.sender, kind, source);
  }

  private requirePeer(): RTCPeerConnection {
    if (!this.pc || this.closed) throw new ClientError('closed', 'The publisher is closed.');
    return this.pc;
  }

  private async negotiateNow(): Promise<void> {
    const pc = this.requirePeer();
    let offer: { type: 'offer'; sdp: string };
    try {
      if (pc.signalingState === 'have-local-offer') {
        // A previous round lost its answer (e.g. the socket dropped): start over.
        await pc.setLocalDescription({ type: 'rollback' });
      }
      await pc.setLocalDescription(await pc.createOffer());
      await waitForIceGathering(pc);
      const sdp = pc.localDescription?.sdp;
      if (!sdp) throw new Error('No local description after ICE gathering.');
      offer = { type: 'offer', sdp };
    } catch (error) {
      if (this.pc !== pc) throw new ClientError('closed', 'The publisher was closed.');
      throw ClientError.from(error, 'media_failed');
    }
    const answer = await this.publish(offer, this.trackMap());
    if (this.pc !== pc || pc.signalingState === 'closed')
      throw new ClientError('closed', 'Publisher closed.');
    try {
      await pc.setRemoteDescription(answer);
    } catch (error) {
      throw ClientError.from(error, 'media_failed');
    }
  }

  /** The mid -> source map of the transceivers that currently send. */
  private trackMap(): PublishTrack[] {
    const tracks: PublishTrack[] = [];
    for (const [source, transceiver] of this.transceivers) {
      if (transceiver.mid === null) continue;
      if (transceiver.direction !== 'sendonly' && transceiver.direction !== 'sendrecv') continue;
      tracks.push({ mid: transceiver.mid, source });
    }
    return tracks;
  }

  private teardown(): void {
    closePeer(this.pc);
    this.pc = null;
    this.transceivers.clear();
  }
}
