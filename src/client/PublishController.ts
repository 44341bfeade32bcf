/**
 * What the local participant sends: the publisher PeerConnection and the screen share, switched on and
 * off with the role (webinar attendees send nothing: no PeerConnection, no device prompts). Used by
 * MeetingSession; the UI never sees it.
 */
import { ClientError, errorCode } from './ClientError.js';
import { openScreen } from './devices.js';
import type { LocalMedia, LocalMediaOptions } from './LocalMedia.js';
import { Publisher } from './Publisher.js';
import type { SignalingClient } from './SignalingClient.js';
import type { TrackSource } from '../protocol/messages.js';

export interface PublishContext {
  localMedia: LocalMedia;
  /** The current signaling client (null once the session is over). */
  signaling(): SignalingClient | null;
  /** The session left or ended: stop whatever is in progress. */
  isOver(): boolean;
  /** The screen share started or stopped (update the local view and tell the others). */
  onScreenChange(): void;
  setMediaProblem(text: string | null): void;
  problem(error: ClientError): void;
  /** Whether media may be sent at all (false when it could not be encrypted end to end). */
  mayPublish(): boolean;
  /** Every new sender, before negotiation (attaches the end-to-end encryption transform). */
  attachSender(sender: RTCRtpSender, kind: 'audio' | 'video', source: TrackSource): void;
}

export class PublishController {
  private publisher: Publisher | null = null;
  private screen: MediaStreamTrack | null = null;
  private republishNeeded = false;
  private enabledValue = false;

  constructor(private readonly ctx: PublishContext) {}

  /** Whether the role allows publishing (set by enable/disable). */
  get enabled(): boolean {
    return this.enabledValue;
  }

  get screenTrack(): MediaStreamTrack | null {
    return this.screen;
  }

  /**
   * Starts sending: opens the camera and microphone if they are not open yet (with `media`), then
   * publishes. Resolves when the first negotiation is done (or failed: reported as a media problem).
   */
  async enable(media: LocalMediaOptions = {}): Promise<void> {
    if (this.enabledValue) return;
    this.enabledValue = true;
    await this.ctx.localMedia.ensureStarted(media);
    if (!this.enabledValue || this.ctx.isOver()) return;
    await this.publish();
  }

  /** Stops sending: ends a screen share, closes the publisher and releases camera and microphone. */
  disable(): void {
    this.enabledValue = false;
    this.stopScreenTrack();
    this.closePublisher();
    this.ctx.localMedia.stop();
    this.ctx.setMediaProblem(null);
  }

  /** Publishes from scratch with a new PeerConnection (first publish, or after a session reset). */
  async publish(): Promise<void> {
    const signaling = this.ctx.signaling();
    if (!signaling || !this.enabledValue) return;
    this.publisher?.close();
    if (!this.ctx.mayPublish()) {
      // Never in the clear: without end-to-end encryption nothing is sent (state.e2ee says why).
      this.publisher = null;
      return;
    }
    const publisher = new Publisher(async (offer, tracks) => {
      const reply = await signaling.request('publish', { jsep: offer, tracks });
      return reply.jsep;
    });
    this.publisher = publisher;
    publisher.onSender = (sender, kind, source) => this.ctx.attachSender(sender, kind, source);
    publisher.onConnectionState = (state) => {
      if (state === 'failed') this.ctx.setMediaProblem('Your audio and video are not reaching the meeting.');
      else if (state === 'connected') this.ctx.setMediaProblem(null);
    };
    this.ctx.localMedia.attach(publisher);
    const { mic, camera } = this.ctx.localMedia.state;
    try {
      await publisher.start(mic, camera, this.screen);
      this.republishNeeded = false;
    } catch (error) {
      this.onError(error);
    }
  }

  /** After a resumed reconnect: redo a negotiation that the dropped socket interrupted. */
  resumed(): void {
    if (this.republishNeeded) void this.renegotiate();
  }

  /** The media server restarted: publish again on a new PeerConnection. */
  mediaRestart(): void {
    if (!this.enabledValue) return;
    if (!this.publisher) return void this.publish();
    this.publisher.restart().then(
      () => this.ctx.setMediaProblem(null),
      (error: unknown) => this.onError(error),
    );
  }

  async startScreenShare(): Promise<void> {
    if (this.screen || !this.publisher) return;
    let track: MediaStreamTrack;
    try {
      track = await openScreen();
    } catch (error) {
      this.ctx.problem(ClientError.from(error, 'device_failed'));
      return;
    }
    if (!this.publisher || this.ctx.isOver()) return track.stop();
    this.screen = track;
    track.addEventListener('ended', () => void this.stopScreenShare());
    this.ctx.onScreenChange();
    try {
      await this.publisher.startScreen(track);
    } catch (error) {
      this.onError(error);
    }
  }

  async stopScreenShare(): Promise<void> {
    if (!this.stopScreenTrack()) return;
    try {
      await this.publisher?.stopScreen();
    } catch (error) {
      this.onError(error);
    }
  }

  /** Closes the PeerConnection (the media objects stay; `publish()` starts again). */
  closePublisher(): void {
    this.publisher?.close();
    this.publisher = null;
    this.ctx.localMedia.attach(null);
  }

  /** Closes everything for good (the session is over). */
  close(): void {
    this.enabledValue = false;
    this.closePublisher();
    this.stopScreenTrack();
  }

  private stopScreenTrack(): boolean {
    const track = this.screen;
    if (!track) return false;
    this.screen = null;
    track.stop();
    this.ctx.onScreenChange();
    return true;
  }

  private async renegotiate(): Promise<void> {
    const publisher = this.publisher;
    if (!publisher) return;
    this.republishNeeded = false;
    try {
      await publisher.negotiate();
    } catch (error) {
      this.onError(error);
    }
  }

  private onError(error: unknown): void {
    const code = errorCode(error);
    if (code === 'closed' || code === 'session_ended' || this.ctx.isOver()) return;
    if (
      code === 'connection_lost' ||
      code === 'session_reset' ||
      this.ctx.signaling()?.state === 'reconnecting'
    ) {
      // Redone after the reconnect (resumed: renegotiate; reset: a fresh publish anyway).
      this.republishNeeded = true;
      return;
    }
    if (!this.enabledValue) return; // e.g. `not_allowed` right after a demotion
    this.ctx.setMediaProblem('Your camera and microphone could not be connected to the meeting.');
    this.ctx.problem(ClientError.from(error, 'media_failed'));
  }
}
