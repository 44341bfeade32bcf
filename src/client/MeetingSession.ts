/**
 * One meeting, as a UI sees it: composes the signaling client, what we send (PublishController),
 * the subscriber, local media and the active speaker detector, and keeps an immutable SessionState
 * snapshot that changes with every event (`change`). The UI calls the methods and renders the state;
 * it never touches WebRTC itself. Host controls are on `session.host`.
 */
import type { JoinedMessage, ParticipantInfo, Reaction } from '../protocol/messages.js';
import { ActiveSpeakerDetector, LocalAudioLevel } from './activeSpeaker.js';
import { ClientError } from './ClientError.js';
import { E2eeController, type E2eeOptions, type SFrameTotals } from './e2ee/E2eeController.js';
import { HostControls } from './HostControls.js';
import { LocalMedia, type LocalMediaOptions } from './LocalMedia.js';
import { PublishController } from './PublishController.js';
import { SessionStore } from './SessionStore.js';
import { SignalingClient, type SignalingOptions } from './SignalingClient.js';
import { Subscriber } from './Subscriber.js';
import { groupRemote, initialSessionState, localView, nextLobby, roleCanPublish } from './sessionState.js';
import type { JoinOptions } from './types.js';

export type { SessionEvents } from './SessionStore.js';

export interface MeetingSessionOptions {
  /** Shared with the pre-join screen; started after joining when the role may publish. */
  localMedia?: LocalMedia;
  /** How to open the camera and microphone when they are not open yet (start muted, device ids). */
  media?: LocalMediaOptions;
  signaling?: SignalingOptions;
  /** End-to-end encryption (always on; these only tune it, e.g. the SFrame worker for tests). */
  e2ee?: E2eeOptions;
}

export class MeetingSession extends SessionStore {
  readonly localMedia: LocalMedia;
  /** Host controls (host and co-hosts). */
  readonly host: HostControls;
  private readonly signalingOptions: SignalingOptions;
  private readonly mediaOptions: LocalMediaOptions;
  private signaling: SignalingClient | null = null;
  private readonly media: PublishController;
  private subscriber: Subscriber | null = null;
  private readonly localLevel = new LocalAudioLevel();
  private readonly speakers: ActiveSpeakerDetector;
  private readonly cleanups: Array<() => void> = [];
  /** MLS group, SFrame worker and chat over MLS: `state.e2ee` (docs/e2ee.md "The browser client"). */
  private readonly encryption: E2eeController;

  constructor(options: MeetingSessionOptions = {}) {
    const localMedia = options.localMedia ?? new LocalMedia();
    super(initialSessionState(localView(localMedia.state, null)));
    this.localMedia = localMedia;
    this.signalingOptions = options.signaling ?? {};
    this.mediaOptions = options.media ?? {};
    this.encryption = new E2eeController(
      {
        setView: (e2ee) => this.update({ e2ee }),
        chat: (message) => this.addChat([message], true),
        send: (type, payload) => this.signaling?.send(type, payload),
      },
      options.e2ee,
    );
    this.media = new PublishController({
      localMedia: this.localMedia,
      signaling: () => this.signaling,
      isOver: () => this.isOver(),
      onScreenChange: () => {
        this.updateLocal();
        this.sendMediaState();
      },
      setMediaProblem: (mediaProblem) => this.update({ mediaProblem }),
      problem: (error) => this.emit('problem', error),
      mayPublish: () => this.encryption.usable,
      attachSender: (sender, kind, source) => this.encryption.attach(sender, kind, `pub-${source}`),
    });
    this.host = new HostControls(async (type, payload) => {
      if (!this.signaling) throw new ClientError('not_joined', 'Not in a meeting.');
      await this.signaling.request(type, payload);
    });
    this.speakers = new ActiveSpeakerDetector({
      remote: () => this.subscriber?.audioReceivers() ?? [],
      local: () =>
        this.stateValue.self
          ? { participantId: this.stateValue.self.id, level: this.localLevel.level() }
          : null,
      onChange: (speaking, activeSpeakerId) => this.update({ speaking: [...speaking], activeSpeakerId }),
    });
  }

  private isOver(): boolean {
    return this.stateValue.status === 'left' || this.stateValue.status === 'ended';
  }

  /**
   * Joins `meetingId` (through the lobby when the meeting has one: status `lobby` until let in) and,
   * when the role may publish, opens the camera and microphone and starts sending. Rejects with a
   * ClientError (e.g. `meeting_not_found`, or `session_ended` when the host did not let you in).
   */
  async join(meetingId: string, displayName: string, options: JoinOptions = {}): Promise<void> {
    if (this.signaling) throw new ClientError('already_joined', 'This session has already joined.');
    this.update({
      ...initialSessionState(localView(this.localMedia.state, null)),
      status: 'joining',
      meetingId,
    });
    this.watchLocalMedia();
    const signaling = new SignalingClient(this.signalingOptions);
    this.signaling = signaling;
    this.wireSignaling(signaling);
    let joined: JoinedMessage;
    try {
      joined = await signaling.join(meetingId, displayName.trim(), options);
    } catch (error) {
      const clientError = ClientError.from(error, 'connection_failed');
      if (this.isOver()) throw clientError; // leave() while joining, or denied at the lobby
      this.teardown();
      this.localMedia.stop();
      this.update({ status: 'error', error: { code: clientError.code, message: clientError.message } });
      throw clientError;
    }
    this.acceptJoined(joined, true);
    this.encryption.start(joined.self, joined.participants);
    this.update({ status: 'joined' });
    this.sendMediaState();
    this.speakers.start();
    const onPageHide = (): void => this.leave();
    globalThis.addEventListener?.('pagehide', onPageHide);
    this.cleanups.push(() => globalThis.removeEventListener?.('pagehide', onPageHide));
    await this.syncPublishing(true);
  }

  setAudioMuted(muted: boolean): void {
    if (this.stateValue.self && !this.stateValue.canPublish) return; // attendees send nothing
    this.localMedia.setAudioMuted(muted);
    if (!muted && this.stateValue.unmuteRequest) this.update({ unmuteRequest: null });
    this.sendMediaState();
  }

  toggleAudio(): void {
    this.setAudioMuted(!this.localMedia.state.audioMuted);
  }

  /** Camera off: the track is disabled (black frames) and everyone is told to show the avatar. */
  setVideoMuted(muted: boolean): void {
    if (this.stateValue.self && !this.stateValue.canPublish) return;
    this.localMedia.setVideoMuted(muted);
    this.sendMediaState();
  }

  toggleVideo(): void {
    this.setVideoMuted(!this.localMedia.state.videoMuted);
  }

  startScreenShare(): Promise<void> {
    return this.media.startScreenShare();
  }

  stopScreenShare(): Promise<void> {
    return this.media.stopScreenShare();
  }

  /**
   * Sends chat end to end encrypted (an MLS application message the server relays as ciphertext);
   * nothing is sent before this client holds the group's keys (`state.e2ee.status`).
   */
  sendChat(text: string): void {
    const trimmed = text.trim();
    const self = this.stateValue.self;
    if (!trimmed || !this.signaling || !self) return;
    void this.encryption.sendChat(trimmed.slice(0, 4000), self).then((message) => {
      if (!message) return;
      if (this.signaling?.state === 'reconnecting') this.chatSentWhileDown(message.id);
      this.addChat([message], true);
    });
  }

  /** The SFrame worker's frame counters, summed (the last report; kept after the session ends). */
  sframeTotals(): SFrameTotals {
    return this.encryption.totals();
  }

  /** Raises or lowers your hand (shown to everyone; hosts see a queue). */
  raiseHand(raised = true): void {
    const self = this.stateValue.self;
    if (!this.signaling || !self) return;
    this.signaling.send('raiseHand', { raised });
    this.setRoster({ ...self, handRaised: raised }, this.stateValue.participants);
  }

  /**
   * Sends a reaction; everyone (you too) gets a `reaction` event. Rejects with `rate_limited` when
   * sent faster than the server allows (a burst of 5, then one a second).
   */
  async react(reaction: Reaction): Promise<void> {
    if (!this.signaling) throw new ClientError('not_joined', 'Not in a meeting.');
    await this.signaling.request('react', { reaction });
  }

  /** Answers the host's request to unmute: unmutes (`true`) or stays muted (`false`). */
  answerUnmuteRequest(unmute: boolean): void {
    this.update({ unmuteRequest: null });
    if (unmute) this.setAudioMuted(false);
  }

  /** The receiver of every remote track, by participant (read-only: for connection-quality stats). */
  remoteReceivers(): Array<{ participantId: string; kind: 'audio' | 'video'; receiver: RTCRtpReceiver }> {
    return (this.subscriber?.tracks ?? []).map(({ participantId, kind, receiver }) => ({
      participantId,
      kind,
      receiver,
    }));
  }

  /** Leaves the meeting (or the lobby) and releases camera, microphone and screen. */
  leave(): void {
    const { status } = this.stateValue;
    if (status === 'left' || status === 'ended' || status === 'idle') return;
    this.signaling?.leave();
    this.teardown();
    this.localMedia.stop();
    this.update({ status: 'left', speaking: [], activeSpeakerId: null, unmuteRequest: null });
  }

  private wireSignaling(signaling: SignalingClient): void {
    signaling.on('state', (state) => {
      if (state === 'reconnecting') this.update({ status: 'reconnecting' });
    });
    signaling.on('lobbyWait', (message) =>
      this.update({ status: 'lobby', lobbyTitle: message.meetingTitle }),
    );
    signaling.on('resumed', (joined) => {
      this.settleChatWhileDown(true);
      this.acceptJoined(joined, false);
      this.encryption.resync(joined.participants);
      this.update({ status: 'joined' });
      this.sendMediaState();
      this.media.resumed();
      void this.syncPublishing(false);
    });
    signaling.on('sessionReset', (joined) => {
      // The old seat is gone: a new participant id, so media starts from scratch.
      this.settleChatWhileDown(false);
      this.closePeers();
      this.acceptJoined(joined, false);
      this.encryption.start(joined.self, joined.participants);
      this.update({ status: 'joined' });
      this.sendMediaState();
      if (this.media.enabled && roleCanPublish(joined.self.role)) void this.media.publish();
      else void this.syncPublishing(false);
    });
    signaling.on('subscribeOffer', (message) => {
      const subscriber = this.ensureSubscriber(signaling);
      subscriber.handleOffer(message.jsep, message.streams).catch(() => undefined);
    });
    signaling.on('mediaRestart', () => {
      this.subscriber?.close();
      this.subscriber = null;
      this.update({ remoteMedia: {} });
      this.media.mediaRestart();
    });
    signaling.on('mls', (message) => this.encryption.handle(message));
    signaling.on('participantJoined', ({ participant }) => {
      this.encryption.announce(participant);
      this.addParticipant(participant);
    });
    signaling.on('participantUpdated', ({ participant }) => {
      const self = this.stateValue.self;
      if (participant.id !== self?.id) return this.updateParticipant(participant);
      this.setRoster({ ...participant, ...this.localFlags(), isLocal: true }, this.stateValue.participants);
      if (participant.role !== self.role) {
        this.emit('roleChanged', participant.role, self.role);
        void this.syncPublishing(false);
      }
    });
    signaling.on('participantsLeft', ({ participantIds, reason, withheld }) => {
      for (const id of participantIds) {
        this.encryption.withdraw(id);
        this.removeParticipant(id, reason);
      }
      if (withheld) this.emit('participantsWithheld', withheld);
    });
    signaling.on('reaction', ({ from, reaction, sentAt }) => {
      const self = this.stateValue.self;
      const sender = from === self?.id ? self : this.stateValue.participants.find((p) => p.id === from);
      this.emit('reaction', {
        participantId: from,
        displayName: sender?.displayName ?? '',
        reaction,
        sentAt,
        isLocal: from === self?.id,
      });
    });
    // The server sends the lobby once (in `joined`, or `lobbyUpdated` to a new co-host), then deltas.
    signaling.on('lobbyUpdated', ({ lobby }) => this.setLobby(lobby));
    signaling.on('lobbyAdded', ({ entries }) =>
      this.setLobby(nextLobby(this.stateValue.lobby, { added: entries })),
    );
    signaling.on('lobbyRemoved', ({ participantIds }) =>
      this.setLobby(nextLobby(this.stateValue.lobby, { removed: participantIds })),
    );
    signaling.on('meetingUpdated', ({ meeting }) => this.update({ meeting }));
    signaling.on('hostNotice', ({ notice }) => this.emit('hostNotice', notice));
    signaling.on('forceMute', () => {
      this.localMedia.setAudioMuted(true);
      this.update({ unmuteRequest: null });
      this.sendMediaState();
      this.emit('forceMuted');
    });
    signaling.on('unmuteRequest', ({ from }) => {
      if (!this.media.enabled) return;
      this.update({ unmuteRequest: { from } });
      this.emit('unmuteRequested', this.stateValue.participants.find((p) => p.id === from) ?? null);
    });
    signaling.on('sessionEnded', (end) => {
      if (this.isOver()) return;
      this.teardown();
      this.localMedia.stop();
      this.update({ status: 'ended', ended: end, speaking: [], activeSpeakerId: null, unmuteRequest: null });
      this.emit('ended', end);
    });
    signaling.on('error', (error) => console.warn('[convene] server error', error.code, error.message));
    signaling.on('closed', (reason) => {
      if (!reason || this.isOver()) return;
      this.teardown();
      this.localMedia.stop();
      this.update({ status: 'error', error: { code: reason.code, message: reason.message } });
    });
  }

  /** Starts or stops sending to match the role (webinar attendees send nothing). */
  private async syncPublishing(firstJoin: boolean): Promise<void> {
    const allowed = roleCanPublish(this.stateValue.role);
    if (this.isOver()) return;
    if (!allowed) {
      // Also on the first join: release what the pre-join preview opened.
      if (!this.media.enabled && !firstJoin) return;
      this.media.disable();
      this.updateLocal();
      this.sendMediaState();
      return;
    }
    if (this.media.enabled) return;
    // Promoted mid-meeting: the microphone starts muted, so nobody is put on air by surprise.
    const media = firstJoin ? this.mediaOptions : { ...this.mediaOptions, audioMuted: true };
    if (!firstJoin) this.localMedia.setAudioMuted(true);
    await this.media.enable(media);
  }

  private acceptJoined(joined: JoinedMessage, first: boolean): void {
    this.applyJoined(joined, { ...joined.self, ...this.localFlags(), isLocal: true }, first);
  }

  private ensureSubscriber(signaling: SignalingClient): Subscriber {
    if (this.subscriber) return this.subscriber;
    const subscriber = new Subscriber((answer) =>
      signaling.send('subscribeAnswer', { jsep: answer }, { queue: false }),
    );
    subscriber.onReceiver = (receiver, kind, mid) => this.encryption.attach(receiver, kind, `sub-${mid}`);
    subscriber.onTracks = (tracks) => this.update({ remoteMedia: groupRemote(tracks) });
    subscriber.onError = (error) => this.emit('problem', error);
    this.subscriber = subscriber;
    return subscriber;
  }

  private closePeers(): void {
    this.media.closePublisher();
    this.subscriber?.close();
    this.subscriber = null;
    this.update({ remoteMedia: {} });
  }

  private teardown(): void {
    this.speakers.stop();
    this.closePeers();
    this.media.close();
    this.localLevel.close();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.encryption.close();
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
      screenSharing: !!this.media.screenTrack,
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
    this.update({ local: localView(this.localMedia.state, this.media.screenTrack) });
  }
}
