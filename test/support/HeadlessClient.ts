/**
 * A headless Convene participant for integration tests and load benchmarks. It joins a meeting through
 * the WebSocket signaling exactly like the web app (join, publish one sendonly PeerConnection, answer
 * every subscribeOffer on one recvonly PeerConnection, handle mediaRestart and resume), sends synthetic
 * RTP (see rtp.ts) with werift, and counts the RTP it receives per remote participant and kind.
 *
 * Media never leaves this machine: no STUN/TURN servers, IPv4 host candidates only.
 *
 * By default (`e2ee: true`) it is a member of the meeting's MLS group, like a browser: it runs the client
 * library's MlsSession and SFrame transforms (./headless/Encryption.ts), sends only SFrame-encrypted
 * frames and reads stamps only from frames it decrypted. `e2ee: false` makes a client outside the group
 * that sends plaintext synthetic RTP (load benchmarks; what an outsider receives).
 *
 * This class owns and wires its parts in ./headless/: Signaling (socket, requests, reconnect/resume),
 * Encryption (MLS member, SFrame key ring), Publisher (sendonly PeerConnection, packet sources) and
 * Subscriber (recvonly PeerConnection, decryption, counting).
 */
import type {
  ClientMessageType,
  ClientPayload,
  JoinedMessage,
  ParticipantInfo,
  RemoteStream,
  ServerMessage,
} from '../../src/protocol/messages.js';
import { MLS_TYPES } from '../../src/client/signalingTypes.js';
import type { MlsServerMessage } from '../../src/protocol/mlsMessages.js';
import { percentile } from './rtp.js';
import { Encryption, type E2eeState } from './headless/Encryption.js';
import { HeadlessEvents } from './headless/events.js';
import { resolveOptions, type HeadlessClientOptions, type ResolvedOptions } from './headless/options.js';
import { Publisher } from './headless/Publisher.js';
import { Signaling } from './headless/Signaling.js';
import { packetSources } from './headless/sources.js';
import { Subscriber } from './headless/Subscriber.js';
import {
  SignalingError,
  emptyCounters,
  sleep,
  type HeadlessClientStats,
  type HeadlessClientTimings,
  type MediaKind,
  type Milestone,
  type ReceivedCounters,
} from './headless/types.js';

export type { ParticipantInfo, RemoteStream };
export type { HeadlessClientEvents } from './headless/events.js';
export type { HeadlessClientOptions } from './headless/options.js';
export type { E2eeState } from './headless/Encryption.js';
export {
  SignalingError,
  type HeadlessClientStats,
  type HeadlessClientTimings,
  type LatencySummary,
  type MediaKind,
  type ReceivedCounters,
} from './headless/types.js';

export class HeadlessClient {
  readonly events = new HeadlessEvents();
  readonly #opts: ResolvedOptions;
  readonly #signaling: Signaling;
  readonly #publisher: Publisher;
  /** Publish now and after restarts: from the options, or since startPublishing(). */
  #publishWanted: boolean;
  readonly #subscriber: Subscriber;
  readonly #encryption: Encryption | undefined;
  #closing = false;
  readonly #participants = new Map<string, ParticipantInfo>();
  readonly #timings: HeadlessClientTimings = { start: performance.now() };
  #mediaRestarts = 0;

  private constructor(opts: HeadlessClientOptions) {
    this.#opts = resolveOptions(opts);
    const closed = () => this.#closing;
    const mark = (milestone: Milestone, at = performance.now()) => {
      this.#timings[milestone] ??= at;
    };
    const onError = (err: Error) => this.events.emit('error', err);
    this.#signaling = new Signaling(this.#opts, {
      closed,
      mark,
      onMessage: (msg) => this.events.emit('message', msg),
      onNotification: (msg) => this.#onNotification(msg),
      onReconnecting: (attempt) => this.events.emit('reconnecting', attempt),
      onRejoined: (joined, sameSeat) => this.#onRejoined(joined, sameSeat),
      onDisconnected: () => this.events.emit('disconnected'),
      onError,
    });
    const request = this.#signaling.request.bind(this.#signaling);
    const encryption = this.#opts.e2ee
      ? new Encryption({
          send: (type, payload) => {
            // A message for a closed socket is lost, as in the browser; a rejoin starts a new session.
            if (this.#signaling.isOpen) this.#signaling.send(type, payload);
          },
          onEpoch: (info) => this.events.emit('e2eeEpoch', info),
          onFailed: (failure) => this.events.emit('e2eeFailed', failure),
        })
      : undefined;
    this.#encryption = encryption;
    this.#publishWanted = this.#opts.publish;
    const sources = packetSources(this.#opts, encryption, (...frame) =>
      this.events.emit('frameSent', ...frame),
    );
    this.#publisher = new Publisher(this.#opts, sources, {
      request,
      closed,
      mark,
      onPublished: () => this.events.emit('published'),
      onError,
    });
    this.#subscriber = new Subscriber(this.#opts, {
      request,
      closed,
      mark,
      onOffer: (streams) => this.events.emit('subscribeOffer', streams),
      onFirstMedia: (id, kind, atMs) => this.events.emit('firstMedia', id, kind, atMs),
      onError,
      onRtp: (id, kind, rtp) => this.events.emit('rtpReceived', id, kind, rtp),
      ...(encryption && { decryptor: (kind, id) => encryption.receiver(kind, id) }),
    });
  }

  /** Joins the meeting; resolves after `joined` and, when publishing, after the publishAnswer is applied. */
  static async join(opts: HeadlessClientOptions): Promise<HeadlessClient> {
    const client = new HeadlessClient(opts);
    try {
      const joined = await client.#signaling.join();
      client.#setRoster(joined);
      client.#encryption?.start(joined);
      client.events.emit('joined', joined);
      // Only now what came right behind `joined` (a participantJoined, an MLS message) is handled.
      client.#signaling.releaseHeld();
      if (client.#publishWanted) await client.#publisher.enqueue();
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** Own participant id (changes only if a resume failed and the client joined fresh). */
  get id(): string {
    return this.#signaling.id;
  }

  get meetingId(): string {
    return this.#opts.meetingId;
  }

  /** Milestones of the first join, for join-latency benchmarks. */
  get timings(): Readonly<HeadlessClientTimings> {
    return this.#timings;
  }

  /** Members: the MLS epoch held, the SFrame counters, a failure; undefined for `e2ee: false`. */
  get e2ee(): E2eeState | undefined {
    return this.#encryption?.state;
  }

  /** The last `joined` message. */
  get joinedMessage(): JoinedMessage | undefined {
    return this.#signaling.joinedMessage;
  }

  /** The roster, excluding this client. */
  participants(): Map<string, ParticipantInfo> {
    return new Map(this.#participants);
  }

  /** The current streams of the subscriber PeerConnection, by mid. */
  streams(): RemoteStream[] {
    return this.#subscriber.streams();
  }

  /** RTP received from one remote participant's track of one kind (zeros if none). */
  received(participantId: string, kind: MediaKind): ReceivedCounters {
    const c = this.#subscriber.counters(participantId, kind);
    return c ? { ...c } : emptyCounters();
  }

  /** Packets sent so far by kind (only packets written while the publisher was connected). */
  sent(kind: MediaKind): number {
    return this.#publisher.sent(kind);
  }

  /** True once the publisher PeerConnection is connected (media flows). */
  get publishing(): boolean {
    return this.#publisher.connectionState === 'connected';
  }

  /**
   * Resolves when media of every given kind (default audio and video) has arrived from every given
   * participant, counting only what arrived after this call; rejects after timeoutMs (default 10 s).
   * What counts: decrypted frames for a member in 'full' receive mode (so media that arrives but cannot
   * be decrypted does not count), RTP packets otherwise; `decrypted` overrides the choice.
   */
  async waitForMediaFrom(
    participantIds: string[],
    opts: { timeoutMs?: number; kinds?: MediaKind[]; decrypted?: boolean } = {},
  ): Promise<void> {
    const kinds = opts.kinds ?? ['audio', 'video'];
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const decrypted = opts.decrypted ?? (this.#encryption !== undefined && this.#opts.receiveMode === 'full');
    const count = (id: string, kind: MediaKind) => {
      const c = this.#subscriber.counters(id, kind);
      return (decrypted ? c?.decrypted : c?.packets) ?? 0;
    };
    const base = new Map<string, { id: string; kind: MediaKind; before: number }>();
    for (const id of participantIds)
      for (const kind of kinds) base.set(`${id}:${kind}`, { id, kind, before: count(id, kind) });
    const missing = () =>
      [...base].filter(([, { id, kind, before }]) => count(id, kind) <= before).map(([key]) => key);
    try {
      await this.waitFor(() => missing().length === 0, timeoutMs);
    } catch {
      const why = `${missing().join(', ')} (streams: ${JSON.stringify(this.streams())}${this.#encryption?.describe() ?? ''})`;
      throw new Error(
        `${this.#opts.displayName}: no ${decrypted ? 'decrypted ' : ''}media within ${timeoutMs} ms from ${why}`,
      );
    }
  }

  /** Polls `predicate` every 10 ms; rejects after timeoutMs. */
  async waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() >= deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  /** Drops the WebSocket abruptly (no close frame, no leave); the client reconnects and resumes by itself. */
  dropSocket(): void {
    this.#signaling.drop();
  }

  /** A snapshot of connection states, for diagnosing a client that receives nothing. */
  debugState(): {
    socket: 'open' | 'closed';
    publisher: string;
    subscriber: string;
    subscriberIce: string;
    subscribeOffers: number;
    streams: number;
    packetsReceived: number;
  } {
    const { subscriber, subscriberIce, streams } = this.#subscriber.debugState();
    return {
      socket: this.#signaling.isOpen ? 'open' : 'closed',
      publisher: this.#publisher.connectionState,
      subscriber,
      subscriberIce,
      subscribeOffers: this.#subscriber.stats.subscribeOffers,
      streams,
      packetsReceived: this.#subscriber.stats.packetsReceived,
    };
  }

  /** Latency samples (ms) held since the last call, and forgets them. */
  takeLatencySamples(): number[] {
    return this.#subscriber.takeLatencySamples();
  }

  stats(): HeadlessClientStats {
    const s = this.#subscriber.latencySamples;
    const sig = this.#signaling.stats;
    const pub = this.#publisher.stats;
    const sub = this.#subscriber.stats;
    return {
      audioSent: this.#publisher.sent('audio'),
      videoSent: this.#publisher.sent('video'),
      bytesSent: pub.bytesSent,
      packetsReceived: sub.packetsReceived,
      bytesReceived: sub.bytesReceived,
      stampGaps: sub.stampGaps,
      reconnects: sig.reconnects,
      resumes: sig.resumes,
      rejoins: sig.rejoins,
      mediaRestarts: this.#mediaRestarts,
      publishes: pub.publishes,
      subscribeOffers: sub.subscribeOffers,
      keyframeRequests: pub.keyframeRequests,
      latency: {
        count: s.length,
        p50Ms: percentile(s, 50),
        p99Ms: percentile(s, 99),
        maxMs: s.length ? s.reduce((a, b) => Math.max(a, b), 0) : Number.NaN,
      },
    };
  }

  /** Starts publishing after joining without it (e.g. an attendee promoted to panelist). */
  async startPublishing(): Promise<void> {
    this.#publishWanted = true;
    await this.#publisher.enqueue();
  }

  /** Any client message (host controls, raiseHand, ...); resolves with the reply, rejects on `error`. */
  request<K extends ClientMessageType>(type: K, payload: ClientPayload<K>): Promise<ServerMessage> {
    return this.#signaling.request(type, payload);
  }

  /** Tells the server what is muted (media keeps flowing: this is signaling only). */
  async setMediaState(state: ClientPayload<'mediaState'>): Promise<void> {
    await this.#signaling.request('mediaState', state);
  }

  /** Sends `leave`, waits briefly for the acknowledgement, and closes everything. */
  async leave(): Promise<void> {
    if (this.#signaling.isOpen && !this.#closing) {
      await Promise.race([this.#signaling.request('leave', {}).catch(() => undefined), sleep(2000)]);
    }
    await this.close();
  }

  /** Closes the socket (no leave) and both PeerConnections; stops sending. Idempotent. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#encryption?.stop();
    this.#publisher.stop();
    await this.#signaling.close();
    await Promise.all([this.#publisher.close(), this.#subscriber.close()]);
  }

  #setRoster(joined: JoinedMessage): void {
    this.#participants.clear();
    for (const p of joined.participants) if (p.id !== joined.self.id) this.#participants.set(p.id, p);
  }

  /** The server dropped our media sessions: start both PeerConnections over. */
  #restartMedia(): void {
    this.#subscriber.enqueueClose();
    if (this.#publishWanted) void this.#publisher.enqueue(true).catch(() => undefined);
  }

  #onRejoined(joined: JoinedMessage, sameSeat: boolean): void {
    this.#setRoster(joined);
    if (sameSeat) {
      this.#encryption?.resync(joined);
      this.events.emit('resumed', joined);
    } else {
      // A fresh seat: the server has no media sessions for us any more, and we are a new group member.
      this.#encryption?.start(joined);
      this.#restartMedia();
      this.events.emit('rejoined', joined);
    }
  }

  /** A server message that is not a reply to a request. */
  #onNotification(msg: ServerMessage): void {
    if (MLS_TYPES.has(msg.type)) {
      this.#encryption?.handle(msg as MlsServerMessage);
      return;
    }
    switch (msg.type) {
      case 'subscribeOffer':
        this.#subscriber.enqueueOffer(msg);
        break;
      case 'mediaRestart':
        this.#mediaRestarts++;
        this.events.emit('mediaRestart');
        this.#restartMedia();
        break;
      case 'participantJoined':
        if (msg.participant.id !== this.id) {
          this.#participants.set(msg.participant.id, msg.participant);
          this.#encryption?.announce(msg.participant);
        }
        this.events.emit('participantJoined', msg.participant);
        break;
      case 'participantUpdated':
        if (msg.participant.id !== this.id) this.#participants.set(msg.participant.id, msg.participant);
        this.events.emit('participantUpdated', msg.participant);
        break;
      case 'participantsLeft':
        for (const id of msg.participantIds) {
          this.#participants.delete(id);
          this.#encryption?.withdraw(id);
          this.events.emit('participantLeft', id, msg.reason);
        }
        this.events.emit('participantsLeft', msg);
        break;
      case 'error':
        this.events.emit('error', new SignalingError(msg.code, msg.message));
        break;
      default:
        break;
    }
  }
}
