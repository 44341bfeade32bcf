/**
 * One meeting, as a UI sees it: composes the signaling client, the publisher, the subscriber, local
 * media and the active speaker detector, and keeps an immutable SessionState snapshot that changes
 * with every event (`change`). The UI calls the methods and renders the state; it never touches
 * WebRTC itself.
 */
import type { ChatMessage, JoinedMessage, ParticipantInfo } from '../protocol/messages.js';
import { ActiveSpeakerDetector, LocalAudioLevel } from './activeSpeaker.js';
import { ClientError, errorCode } from './ClientError.js';
import { openScreen } from './devices.js';
import { LocalMedia } from './LocalMedia.js';
import { Publisher } from './Publisher.js';
import { SignalingClient, type SignalingOptions } from './SignalingClient.js';
import { Subscriber } from './Subscriber.js';
import { TypedEmitter } from '../util/TypedEmitter.js';
import {
  groupRemote,
  initialSessionState,
  localView,
  newChatEntries,
  rosterFromJoined,
} from './sessionState.js';
import type { ChatEntry, ParticipantView, SessionState, SessionStatus } from './types.js';

export interface SessionEvents {
  change: [state: SessionState];
  status: [status: SessionStatus, previous: SessionStatus];
  participantJoined: [participant: ParticipantView];
  participantLeft: [participant: ParticipantView, reason: 'left' | 'disconnected'];
  chat: [entry: ChatEntry];
  /** A problem that does not end the session (publishing failed, screen share failed...). */
  problem: [error: ClientError];
}

export interface MeetingSessionOptions {
  /** Shared with the pre-join screen; created (and started) on join when absent. */
  localMedia?: LocalMedia;
  signaling?: SignalingOptions;
}

export class MeetingSession extends TypedEmitter<SessionEvents> {
  readonly localMedia: LocalMedia;
  private readonly signalingOptions: SignalingOptions;
  private signaling: SignalingClient | null = null;
  private publisher: Publisher | null = null;
  private subscriber: Subscriber | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private republishNeeded = false;
  private readonly localLevel = new LocalAudioLevel();
  private readonly speakers: ActiveSpeakerDetector;
  private readonly cleanups: Array<() => void> = [];
  private stateValue: SessionState;

  constructor(options: MeetingSessionOptions = {}) {
    super();
    this.localMedia = options.localMedia ?? new LocalMedia();
    this.signalingOptions = options.signaling ?? {};
    this.stateValue = initialSessionState(localView(this.localMedia.state, null));
    this.speakers = new ActiveSpeakerDetector({
      remote: () => this.subscriber?.audioReceivers() ?? [],
      local: () =>
        this.stateValue.self
          ? { participantId: this.stateValue.self.id, level: this.localLevel.level() }
          : null,
      onChange: (speaking, activeSpeakerId) => this.update({ speaking: [...speaking], activeSpeakerId }),
    });
  }

  get state(): SessionState {
    return this.stateValue;
  }

  private hasLeft(): boolean {
    return this.stateValue.status === 'left';
  }

  /** Joins `meetingId` and starts publishing. Rejects with a ClientError (e.g. `meeting_not_found`). */
  async join(meetingId: string, displayName: string): Promise<void> {
    if (this.signaling) throw new ClientError('already_joined', 'This session has already joined.');
    this.update({
      status: 'joining',
      meetingId,
      error: null,
      mediaProblem: null,
      chat: [],
      participants: [],
    });
    this.watchLocalMedia();
    await this.localMedia.ensureStarted();
    if (this.stateValue.status !== 'joining') throw new ClientError('closed', 'Left before joining.');
    const signaling = new SignalingClient(this.signalingOptions);
    this.signaling = signaling;
    this.wireSignaling(signaling);
    let joined: JoinedMessage;
    try {
      joined = await signaling.join(meetingId, displayName.trim());
    } catch (error) {
      const clientError = ClientError.from(error, 'connection_failed');
      if (this.hasLeft()) throw clientError; // leave() while joining
      this.teardown();
      this.localMedia.stop();
      this.update({ status: 'error', error: { code: clientError.code, message: clientError.message } });
      throw clientError;
    }
    this.acceptJoined(joined, true);
    this.update({ status: 'joined' });
    this.sendMediaState();
    this.speakers.start();
    const onPageHide = (): void => this.leave();
    globalThis.addEventListener?.('pagehide', onPageHide);
    this.cleanups.push(() => globalThis.removeEventListener?.('pagehide', onPageHide));
    await this.publish();
  }

  setAudioMuted(muted: boolean): void {
    this.localMedia.setAudioMuted(muted);
    this.sendMediaState();
  }

  toggleAudio(): void {
    this.setAudioMuted(!this.localMedia.state.audioMuted);
  }

  /** Camera off: the track is disabled (black frames) and everyone is told to show the avatar. */
  setVideoMuted(muted: boolean): void {
    this.localMedia.setVideoMuted(muted);
    this.sendMediaState();
  }

  toggleVideo(): void {
    this.setVideoMuted(!this.localMedia.state.videoMuted);
  }

  async startScreenShare(): Promise<void> {
    if (this.screenTrack || !this.publisher) return;
    let track: MediaStreamTrack;
    try {
      track = await openScreen();
    } catch (error) {
      this.emit('problem', ClientError.from(error, 'device_failed'));
      return;
    }
    if (!this.publisher || this.stateValue.status === 'left') return track.stop();
    this.screenTrack = track;
    track.addEventListener('ended', () => void this.stopScreenShare());
    this.updateLocal();
    this.sendMediaState();
    try {
      await this.publisher.startScreen(track);
    } catch (error) {
      this.onPublishError(error);
    }
  }

  async stopScreenShare(): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    track.stop();
    this.updateLocal();
    this.sendMediaState();
    try {
      await this.publisher?.stopScreen();
    } catch (error) {
      this.onPublishError(error);
    }
  }

  sendChat(text: string): void {
    const trimmed = text.trim();
    if (!trimmed || !this.signaling) return;
    this.signaling.send('chat', { text: trimmed.slice(0, 4000) });
  }

  /** Leaves the meeting and releases camera, microphone and screen. */
  leave(): void {
    if (this.stateValue.status === 'left' || this.stateValue.status === 'idle') return;
    this.signaling?.leave();
    this.teardown();
    this.localMedia.stop();
    this.update({ status: 'left', speaking: [], activeSpeakerId: null });
  }

  private wireSignaling(signaling: SignalingClient): void {
    signaling.on('state', (state) => {
      if (state === 'reconnecting') this.update({ status: 'reconnecting' });
    });
    signaling.on('resumed', (joined) => {
      this.acceptJoined(joined, false);
      this.update({ status: 'joined' });
      this.sendMediaState();
      if (this.republishNeeded) void this.renegotiate();
    });
    signaling.on('sessionReset', (joined) => {
      // The old seat is gone: a new participant id, so media starts from scratch.
      this.closePeers();
      this.acceptJoined(joined, false);
      this.update({ status: 'joined' });
      this.sendMediaState();
      void this.publish();
    });
    signaling.on('subscribeOffer', (message) => {
      const subscriber = this.ensureSubscriber(signaling);
      subscriber.handleOffer(message.jsep, message.streams).catch(() => undefined);
    });
    signaling.on('mediaRestart', () => {
      this.subscriber?.close();
      this.subscriber = null;
      this.update({ remoteMedia: {} });
      if (!this.publisher) return void this.publish();
      this.publisher.restart().then(
        () => this.update({ mediaProblem: null }),
        (error: unknown) => this.onPublishError(error),
      );
    });
    signaling.on('participantJoined', ({ participant }) => {
      if (participant.id === this.stateValue.self?.id) return;
      const view = { ...participant, isLocal: false };
      this.update({ participants: [...this.stateValue.participants.filter((p) => p.id !== view.id), view] });
      this.emit('participantJoined', view);
    });
    signaling.on('participantUpdated', ({ participant }) => {
      if (participant.id === this.stateValue.self?.id) {
        this.update({ self: { ...participant, ...this.localFlags(), isLocal: true } });
        return;
      }
      this.update({
        participants: this.stateValue.participants.map((p) =>
          p.id === participant.id ? { ...participant, isLocal: false } : p,
        ),
      });
    });
    signaling.on('participantLeft', ({ participantId, reason }) => {
      const gone = this.stateValue.participants.find((p) => p.id === participantId);
      if (!gone) return;
      const remoteMedia = { ...this.stateValue.remoteMedia };
      delete remoteMedia[participantId];
      this.update({
        participants: this.stateValue.participants.filter((p) => p.id !== participantId),
        remoteMedia,
      });
      this.emit('participantLeft', gone, reason);
    });
    signaling.on('chat', (message) => this.addChat([message], true));
    signaling.on('error', (error) => console.warn('[convene] server error', error.code, error.message));
    signaling.on('closed', (reason) => {
      if (!reason || this.stateValue.status === 'left') return;
      this.teardown();
      this.localMedia.stop();
      this.update({ status: 'error', error: { code: reason.code, message: reason.message } });
    });
  }

  private acceptJoined(joined: JoinedMessage, first: boolean): void {
    const before = new Map(this.stateValue.participants.map((p) => [p.id, p]));
    const participants = rosterFromJoined(joined);
    const self: ParticipantView = { ...joined.self, ...this.localFlags(), isLocal: true };
    const ids = new Set(participants.map((p) => p.id));
    const remoteMedia = Object.fromEntries(
      Object.entries(this.stateValue.remoteMedia).filter(([id]) => ids.has(id)),
    );
    this.update({ meetingId: joined.meetingId, self, participants, remoteMedia });
    if (!first) {
      for (const p of participants) if (!before.has(p.id)) this.emit('participantJoined', p);
      for (const [id, p] of before) if (!ids.has(id)) this.emit('participantLeft', p, 'disconnected');
    }
    const history = (joined as { chatHistory?: unknown }).chatHistory;
    if (Array.isArray(history)) this.addChat(history as ChatMessage[], false);
  }

  private addChat(messages: readonly ChatMessage[], announce: boolean): void {
    const added = newChatEntries(this.stateValue.chat, messages, this.stateValue.self?.id);
    if (added.length === 0) return;
    this.update({ chat: [...this.stateValue.chat, ...added].sort((a, b) => a.sentAt - b.sentAt) });
    if (announce) for (const entry of added) this.emit('chat', entry);
  }

  private async publish(): Promise<void> {
    const signaling = this.signaling;
    if (!signaling) return;
    this.publisher?.close();
    const publisher = new Publisher(async (offer, tracks) => {
      const reply = await signaling.request('publish', { jsep: offer, tracks });
      return reply.jsep;
    });
    this.publisher = publisher;
    publisher.onConnectionState = (state) => {
      if (state === 'failed')
        this.update({ mediaProblem: 'Your audio and video are not reaching the meeting.' });
      else if (state === 'connected') this.update({ mediaProblem: null });
    };
    this.localMedia.attach(publisher);
    const { mic, camera } = this.localMedia.state;
    try {
      await publisher.start(mic, camera, this.screenTrack);
      this.republishNeeded = false;
    } catch (error) {
      this.onPublishError(error);
    }
  }

  private async renegotiate(): Promise<void> {
    const publisher = this.publisher;
    if (!publisher) return;
    this.republishNeeded = false;
    try {
      await publisher.negotiate();
    } catch (error) {
      this.onPublishError(error);
    }
  }

  private onPublishError(error: unknown): void {
    const code = errorCode(error);
    if (code === 'closed' || this.stateValue.status === 'left') return;
    if (code === 'connection_lost' || code === 'session_reset' || this.signaling?.state === 'reconnecting') {
      // Redone after the reconnect (resumed: renegotiate; reset: a fresh publish anyway).
      this.republishNeeded = true;
      return;
    }
    const clientError = ClientError.from(error, 'media_failed');
    this.update({ mediaProblem: 'Your camera and microphone could not be connected to the meeting.' });
    this.emit('problem', clientError);
  }

  private ensureSubscriber(signaling: SignalingClient): Subscriber {
    if (this.subscriber) return this.subscriber;
    const subscriber = new Subscriber((answer) =>
      signaling.send('subscribeAnswer', { jsep: answer }, { queue: false }),
    );
    subscriber.onTracks = (tracks) => this.update({ remoteMedia: groupRemote(tracks) });
    subscriber.onError = (error) => this.emit('problem', error);
    this.subscriber = subscriber;
    return subscriber;
  }

  private closePeers(): void {
    this.publisher?.close();
    this.publisher = null;
    this.subscriber?.close();
    this.subscriber = null;
    this.localMedia.attach(null);
    this.update({ remoteMedia: {} });
  }

  private teardown(): void {
    this.speakers.stop();
    this.closePeers();
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.localLevel.close();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.signaling = null;
    this.updateLocal();
  }

  private sendMediaState(): void {
    if (this.stateValue.status !== 'joined' && this.stateValue.status !== 'reconnecting') return;
    const flags = this.localFlags();
    this.signaling?.send('mediaState', flags);
    const self = this.stateValue.self;
    if (self) this.update({ self: { ...self, ...flags } });
  }

  private localFlags(): Pick<ParticipantInfo, 'audioMuted' | 'videoMuted' | 'screenSharing'> {
    const { audioMuted, videoMuted, mic, camera } = this.localMedia.state;
    return {
      audioMuted: audioMuted || !mic,
      videoMuted: videoMuted || !camera,
      screenSharing: !!this.screenTrack,
    };
  }

  private watchLocalMedia(): void {
    let previous = this.localMedia.state;
    const off = this.localMedia.on('change', (state) => {
      this.localLevel.setTrack(state.mic);
      this.updateLocal();
      // A device that appeared or vanished changes what the others should show.
      if (!previous.mic !== !state.mic || !previous.camera !== !state.camera) this.sendMediaState();
      previous = state;
    });
    this.localLevel.setTrack(this.localMedia.state.mic);
    this.cleanups.push(off);
  }

  private updateLocal(): void {
    this.update({ local: localView(this.localMedia.state, this.screenTrack) });
  }

  private update(patch: Partial<SessionState>): void {
    const previous = this.stateValue.status;
    this.stateValue = { ...this.stateValue, ...patch };
    this.emit('change', this.stateValue);
    if (patch.status !== undefined && patch.status !== previous) this.emit('status', patch.status, previous);
  }
}
