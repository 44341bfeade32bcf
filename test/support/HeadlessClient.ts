/**
 * A headless Convene participant for integration tests and load benchmarks. It joins a meeting through
 * the WebSocket signaling exactly like the web app (join, publish one sendonly PeerConnection, answer
 * every subscribeOffer on one recvonly PeerConnection, handle mediaRestart and resume), sends synthetic
 * RTP (see rtp.ts) with werift, and counts the RTP it receives per remote participant and kind.
 *
 * Media never leaves this machine: no STUN/TURN servers, IPv4 host candidates only.
 */
import WebSocket from 'ws';
import {
  RTCPeerConnection,
  MediaStreamTrack,
  SrtpAuthenticationError,
  type RTCDtlsTransport,
  type RTCRtpTransceiver,
  type RtpPacket,
  type RTCPeerConnectionConfig,
} from 'werift';
import type {
  ClientMessageType,
  ClientPayload,
  JoinedMessage,
  ParticipantInfo,
  PublishAnswerMessage,
  RemoteStream,
  ServerMessage,
  SubscribeOfferMessage,
  TrackSource,
} from '../../src/protocol/messages.js';
import { SyntheticAudio, SyntheticVideo, nowUs, percentile, readStamp } from './rtp.js';

export type { ParticipantInfo, RemoteStream };
export type MediaKind = 'audio' | 'video';

export interface HeadlessClientOptions {
  /** HTTP base URL of the Convene server, e.g. http://127.0.0.1:8080 (the socket is at /ws). */
  url: string;
  meetingId: string;
  displayName: string;
  /** Publish synthetic audio and video (default true). */
  publish?: boolean;
  /** Audio packets per second (default 50, i.e. 20 ms Opus frames). */
  audioPps?: number;
  /** Video packets per second (default 100: 25 fps, 4 packets per frame). */
  videoPps?: number;
  /** Bytes per video packet payload (default 1000). */
  videoPayloadBytes?: number;
  /** Bytes per audio packet payload (default 60). */
  audioPayloadBytes?: number;
  /** Reconnect and resume when the socket drops (default true). */
  reconnect?: boolean;
  /**
   * 'full' (default): every received packet goes through werift's SRTP decryption and RTP pipeline.
   * 'light': for load tests. Packets are counted by their clear-text SRTP header (SSRC, as announced in
   * the offer) and only every `lightDecryptEvery`-th packet is decrypted and parsed (for latency stamps);
   * the rest are dropped before decryption. This cuts the client's CPU per packet several times over.
   * `bytes` then counts whole SRTP packets, and stamp counters only cover the decrypted packets.
   */
  receiveMode?: 'full' | 'light';
  /** In 'light' mode, decrypt one packet in this many (default 25). */
  lightDecryptEvery?: number;
  /** Keep one latency sample per this many received packets (default 1 = every packet). */
  latencySampleEvery?: number;
  /** Most latency samples kept until takeLatencySamples() (default 100 000). */
  maxLatencySamples?: number;
  /** Timeout for joined / publishAnswer / ICE gathering (default 15 s). */
  requestTimeoutMs?: number;
  /** Extra werift PeerConnection settings (merged over the local-only defaults). */
  peerConfig?: RTCPeerConnectionConfig;
}

/** What one client has received from one remote participant's track of one kind. */
export interface ReceivedCounters {
  /** RTP packets received (all, stamped or not). */
  packets: number;
  /** RTP payload bytes received. */
  bytes: number;
  /** Date.now() of the last packet, 0 if none. */
  lastAt: number;
  /** Packets that carried a synthetic stamp (sent by a HeadlessClient). */
  stamped: number;
  /** Lowest and highest sender counter seen in stamps (undefined before the first stamp). */
  firstCounter: number | undefined;
  highestCounter: number | undefined;
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

export interface HeadlessClientEvents {
  joined: [JoinedMessage];
  resumed: [JoinedMessage];
  /** Reconnected but the seat was gone: joined fresh with a new participant id. */
  rejoined: [JoinedMessage];
  reconnecting: [attempt: number];
  disconnected: [];
  mediaRestart: [];
  published: [];
  subscribeOffer: [RemoteStream[]];
  participantJoined: [ParticipantInfo];
  participantUpdated: [ParticipantInfo];
  participantLeft: [participantId: string, reason: 'left' | 'disconnected'];
  /** First packet of a (participant, kind) since this client started receiving it. */
  firstMedia: [participantId: string, kind: MediaKind, atMs: number];
  chat: [from: string, text: string];
  /** A server `error` not tied to a pending request, or a background failure (republish, reconnect). */
  error: [Error];
  message: [ServerMessage];
}

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

type Listener<A extends unknown[]> = (...args: A) => void;

class Emitter<E extends { [K in keyof E]: unknown[] }> {
  readonly #listeners = new Map<keyof E, Set<unknown>>();

  on<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => this.off(event, fn);
  }

  once<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    const off = this.on(event, ((...args: E[K]) => {
      off();
      fn(...args);
    }) as Listener<E[K]>);
    return off;
  }

  off<K extends keyof E>(event: K, fn: Listener<E[K]>): void {
    this.#listeners.get(event)?.delete(fn);
  }

  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) (fn as Listener<E[K]>)(...args);
  }

  /** Resolves with the arguments of the next `event`; rejects after timeoutMs. */
  next<K extends keyof E>(event: K, timeoutMs: number): Promise<E[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${String(event)}"`));
      }, timeoutMs);
      const off = this.once(event, (...args: E[K]) => {
        clearTimeout(timer);
        resolve(args);
      });
    });
  }
}

interface Pending {
  resolve: (msg: ServerMessage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface StreamBinding {
  stream: RemoteStream;
  counters: ReceivedCounters;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function emptyCounters(): ReceivedCounters {
  return { packets: 0, bytes: 0, lastAt: 0, stamped: 0, firstCounter: undefined, highestCounter: undefined };
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

/** Local-only ICE: no STUN servers (no traffic off this machine), IPv4 host candidates only. */
const LOCAL_PEER_CONFIG: RTCPeerConnectionConfig = {
  iceServers: [],
  iceUseIpv4: true,
  iceUseIpv6: false,
  bundlePolicy: 'max-bundle',
};

export class HeadlessClient {
  readonly events = new Emitter<HeadlessClientEvents>();
  readonly #opts: Required<Omit<HeadlessClientOptions, 'peerConfig'>> & {
    peerConfig: RTCPeerConnectionConfig;
  };
  readonly #wsUrl: string;
  readonly #origin: string;
  #ws: WebSocket | undefined;
  #closing = false;
  #reconnecting = false;
  #nextRid = 1;
  readonly #pending = new Map<string, Pending>();

  #id = '';
  #resumeToken = '';
  #joined: JoinedMessage | undefined;
  readonly #participants = new Map<string, ParticipantInfo>();

  // ---- publishing ----
  #pubPc: RTCPeerConnection | undefined;
  #audioTrack: MediaStreamTrack | undefined;
  #videoTrack: MediaStreamTrack | undefined;
  readonly #audio: SyntheticAudio;
  readonly #video: SyntheticVideo;
  #sendTimer: NodeJS.Timeout | undefined;
  #sendStartedAt = 0;
  #audioDue = 0;
  #videoDue = 0;
  #pubChain: Promise<void> = Promise.resolve();
  /** Bumped whenever publishing must start over (mediaRestart, rejoin, close). */
  #pubEpoch = 0;

  // ---- receiving ----
  #subPc: RTCPeerConnection | undefined;
  #subChain: Promise<void> = Promise.resolve();
  readonly #bindings = new Map<string, StreamBinding>(); // by mid
  #midBySsrc = new Map<number, string>(); // from the offer's a=ssrc lines ('light' mode)
  readonly #patchedSrtp = new WeakSet<object>();
  readonly #hookedDtls = new WeakSet<RTCDtlsTransport>();
  #lightTick = 0;
  readonly #received = new Map<string, ReceivedCounters>(); // by `${participantId}:${kind}`
  readonly #hookedTracks = new WeakSet<MediaStreamTrack>();
  readonly #hookedTransceivers = new WeakSet<RTCRtpTransceiver>();
  #latency: number[] = [];
  #latencyTick = 0;
  readonly #timings: HeadlessClientTimings = { start: performance.now() };

  readonly #stats = {
    bytesSent: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    stampGaps: 0,
    reconnects: 0,
    resumes: 0,
    rejoins: 0,
    mediaRestarts: 0,
    publishes: 0,
    subscribeOffers: 0,
    keyframeRequests: 0,
  };

  private constructor(opts: HeadlessClientOptions) {
    this.#opts = {
      publish: true,
      audioPps: 50,
      videoPps: 100,
      videoPayloadBytes: 1000,
      audioPayloadBytes: 60,
      reconnect: true,
      latencySampleEvery: 1,
      maxLatencySamples: 100_000,
      receiveMode: 'full',
      lightDecryptEvery: 25,
      requestTimeoutMs: 15_000,
      // Options given as `undefined` keep their defaults.
      ...(Object.fromEntries(
        Object.entries(opts).filter(([, v]) => v !== undefined),
      ) as HeadlessClientOptions),
      peerConfig: {
        ...LOCAL_PEER_CONFIG,
        ...opts.peerConfig,
      },
    };
    const base = new URL(opts.url);
    this.#origin = base.origin;
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    base.pathname = '/ws';
    base.search = '';
    base.hash = '';
    this.#wsUrl = base.toString();
    this.#audio = new SyntheticAudio(this.#opts.audioPps, this.#opts.audioPayloadBytes);
    this.#video = new SyntheticVideo(this.#opts.videoPps, this.#opts.videoPayloadBytes);
  }

  /** Joins the meeting; resolves after `joined` and, when publishing, after the publishAnswer is applied. */
  static async join(opts: HeadlessClientOptions): Promise<HeadlessClient> {
    const client = new HeadlessClient(opts);
    try {
      await client.#connect();
      const joined = await client.#sendJoin(undefined);
      client.#applyJoined(joined);
      client.events.emit('joined', joined);
      if (client.#opts.publish) await client.#enqueuePublish();
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** Own participant id (changes only if a resume failed and the client joined fresh). */
  get id(): string {
    return this.#id;
  }

  get meetingId(): string {
    return this.#opts.meetingId;
  }

  /** Milestones of the first join, for join-latency benchmarks. */
  get timings(): Readonly<HeadlessClientTimings> {
    return this.#timings;
  }

  /** The last `joined` message. */
  get joinedMessage(): JoinedMessage | undefined {
    return this.#joined;
  }

  /** The roster, excluding this client. */
  participants(): Map<string, ParticipantInfo> {
    return new Map(this.#participants);
  }

  /** The current streams of the subscriber PeerConnection, by mid. */
  streams(): RemoteStream[] {
    return [...this.#bindings.values()].map((b) => b.stream);
  }

  /** RTP received from one remote participant's track of one kind (zeros if none). */
  received(participantId: string, kind: MediaKind): ReceivedCounters {
    const c = this.#received.get(`${participantId}:${kind}`);
    return c ? { ...c } : emptyCounters();
  }

  /** Packets sent so far by kind (only packets written while the publisher was connected). */
  sent(kind: MediaKind): number {
    return kind === 'audio' ? this.#audio.sent : this.#video.sent;
  }

  /** True once the publisher PeerConnection is connected (media flows). */
  get publishing(): boolean {
    return this.#pubPc?.connectionState === 'connected';
  }

  /**
   * Resolves when packets of every given kind (default audio and video) have arrived from every given
   * participant, counting only packets received after this call; rejects after timeoutMs (default 10 s).
   */
  async waitForMediaFrom(
    participantIds: string[],
    opts: { timeoutMs?: number; kinds?: MediaKind[] } = {},
  ): Promise<void> {
    const kinds = opts.kinds ?? ['audio', 'video'];
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const base = new Map<string, number>();
    for (const id of participantIds)
      for (const k of kinds) base.set(`${id}:${k}`, this.received(id, k).packets);
    const missing = () =>
      [...base].filter(([key, n]) => (this.#received.get(key)?.packets ?? 0) <= n).map(([key]) => key);
    try {
      await this.waitFor(() => missing().length === 0, timeoutMs);
    } catch {
      throw new Error(
        `${this.#opts.displayName}: no media within ${timeoutMs} ms from ${missing().join(', ')} ` +
          `(streams: ${JSON.stringify(this.streams())})`,
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
    this.#ws?.terminate();
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
    return {
      socket: this.#ws?.readyState === WebSocket.OPEN ? 'open' : 'closed',
      publisher: this.#pubPc?.connectionState ?? 'none',
      subscriber: this.#subPc?.connectionState ?? 'none',
      subscriberIce: this.#subPc?.iceConnectionState ?? 'none',
      subscribeOffers: this.#stats.subscribeOffers,
      streams: this.#bindings.size,
      packetsReceived: this.#stats.packetsReceived,
    };
  }

  /** Latency samples (ms) held since the last call, and forgets them. */
  takeLatencySamples(): number[] {
    const samples = this.#latency;
    this.#latency = [];
    return samples;
  }

  stats(): HeadlessClientStats {
    const s = this.#latency;
    return {
      audioSent: this.#audio.sent,
      videoSent: this.#video.sent,
      ...this.#stats,
      latency: {
        count: s.length,
        p50Ms: percentile(s, 50),
        p99Ms: percentile(s, 99),
        maxMs: s.length ? s.reduce((a, b) => Math.max(a, b), 0) : Number.NaN,
      },
    };
  }

  /** Sends a chat message (resolves when the server acknowledges it or replies otherwise). */
  async chat(text: string): Promise<void> {
    await this.#request('chat', { text });
  }

  /** Tells the server what is muted (media keeps flowing: this is signaling only). */
  async setMediaState(state: ClientPayload<'mediaState'>): Promise<void> {
    await this.#request('mediaState', state);
  }

  /** Sends `leave`, waits briefly for the acknowledgement, and closes everything. */
  async leave(): Promise<void> {
    if (this.#ws?.readyState === WebSocket.OPEN && !this.#closing) {
      await Promise.race([this.#request('leave', {}).catch(() => undefined), sleep(2000)]);
    }
    await this.close();
  }

  /** Closes the socket (no leave) and both PeerConnections; stops sending. Idempotent. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#pubEpoch++;
    this.#stopSending();
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('client closed'));
    }
    this.#pending.clear();
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(1000);
      });
    }
    await Promise.all([this.#closePublisher(), this.#closeSubscriber()]);
  }

  // ---- signaling ---------------------------------------------------------------------------------

  #connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.#wsUrl, {
        origin: this.#origin,
        handshakeTimeout: this.#opts.requestTimeoutMs,
      });
      const onError = (err: Error) => {
        ws.off('open', onOpen);
        reject(err);
      };
      const onOpen = () => {
        ws.off('error', onError);
        ws.on('error', () => undefined); // 'close' follows and drives reconnection
        this.#ws = ws;
        this.#timings.wsOpen ??= performance.now();
        resolve();
      };
      ws.once('open', onOpen);
      ws.once('error', onError);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg: ServerMessage;
        try {
          msg = JSON.parse(data.toString()) as ServerMessage;
        } catch {
          return;
        }
        this.#onMessage(msg);
      });
      ws.on('close', () => this.#onClose(ws));
    });
  }

  #send(type: ClientMessageType, payload: object, rid?: string): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error('socket is not open');
    ws.send(JSON.stringify({ v: 1, type, ...(rid === undefined ? {} : { rid }), ...payload }));
  }

  /** Sends a request with a fresh rid; resolves with the reply carrying that rid, rejects on `error`. */
  #request<K extends ClientMessageType>(type: K, payload: ClientPayload<K>): Promise<ServerMessage> {
    const rid = `r${this.#nextRid++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(rid);
        reject(new Error(`${type}: no reply within ${this.#opts.requestTimeoutMs} ms`));
      }, this.#opts.requestTimeoutMs);
      this.#pending.set(rid, { resolve, reject, timer });
      try {
        this.#send(type, payload, rid);
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(rid);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  async #sendJoin(resume: string | undefined): Promise<JoinedMessage> {
    const payload: ClientPayload<'join'> = {
      meetingId: this.#opts.meetingId,
      displayName: this.#opts.displayName,
      ...(resume ? { resume } : {}),
    };
    const reply = await this.#request('join', payload);
    if (reply.type !== 'joined') throw new Error(`join: unexpected reply ${reply.type}`);
    return reply;
  }

  #applyJoined(joined: JoinedMessage): void {
    this.#timings.joined ??= performance.now();
    this.#joined = joined;
    this.#id = joined.self.id;
    this.#resumeToken = joined.resumeToken;
    this.#participants.clear();
    for (const p of joined.participants) if (p.id !== this.#id) this.#participants.set(p.id, p);
  }

  #onMessage(msg: ServerMessage): void {
    this.events.emit('message', msg);
    const rid = 'rid' in msg ? msg.rid : undefined;
    if (rid !== undefined) {
      const pending = this.#pending.get(rid);
      if (pending) {
        this.#pending.delete(rid);
        clearTimeout(pending.timer);
        if (msg.type === 'error') pending.reject(new SignalingError(msg.code, msg.message));
        else pending.resolve(msg);
        return;
      }
    }
    switch (msg.type) {
      case 'subscribeOffer':
        this.#stats.subscribeOffers++;
        this.#subChain = this.#subChain
          .then(() => this.#onSubscribeOffer(msg))
          .catch((err: unknown) => {
            this.events.emit('error', err instanceof Error ? err : new Error(String(err)));
          });
        break;
      case 'mediaRestart':
        this.#stats.mediaRestarts++;
        this.events.emit('mediaRestart');
        this.#subChain = this.#subChain.then(() => this.#closeSubscriber());
        if (this.#opts.publish) void this.#enqueuePublish(true).catch(() => undefined);
        break;
      case 'participantJoined':
        if (msg.participant.id !== this.#id) this.#participants.set(msg.participant.id, msg.participant);
        this.events.emit('participantJoined', msg.participant);
        break;
      case 'participantUpdated':
        if (msg.participant.id !== this.#id) this.#participants.set(msg.participant.id, msg.participant);
        this.events.emit('participantUpdated', msg.participant);
        break;
      case 'participantLeft':
        this.#participants.delete(msg.participantId);
        this.events.emit('participantLeft', msg.participantId, msg.reason);
        break;
      case 'chat':
        this.events.emit('chat', msg.from, msg.text);
        break;
      case 'error':
        this.events.emit('error', new SignalingError(msg.code, msg.message));
        break;
      default:
        break;
    }
  }

  #onClose(ws: WebSocket): void {
    if (this.#ws !== ws) return; // an older socket, or closed by close()
    this.#ws = undefined;
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('socket closed'));
    }
    this.#pending.clear();
    if (this.#closing || !this.#opts.reconnect) {
      this.events.emit('disconnected');
      return;
    }
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let attempt = 1; attempt <= 30 && !this.#closing; attempt++) {
        this.events.emit('reconnecting', attempt);
        await sleep(Math.min(2000, 50 * 2 ** attempt));
        if (this.#closing) return;
        try {
          await this.#connect();
        } catch {
          continue;
        }
        this.#stats.reconnects++;
        let joined: JoinedMessage;
        try {
          try {
            joined = await this.#sendJoin(this.#resumeToken);
          } catch (err) {
            if (!(err instanceof SignalingError && err.code === 'resume_expired')) throw err;
            joined = await this.#sendJoin(undefined);
          }
        } catch {
          this.#ws?.terminate();
          this.#ws = undefined;
          continue;
        }
        const sameSeat = joined.resumed && joined.self.id === this.#id;
        this.#applyJoined(joined);
        if (sameSeat) {
          this.#stats.resumes++;
          this.events.emit('resumed', joined);
        } else {
          // A fresh seat: the server has no media sessions for us any more.
          this.#stats.rejoins++;
          this.#subChain = this.#subChain.then(() => this.#closeSubscriber());
          if (this.#opts.publish) void this.#enqueuePublish(true).catch(() => undefined);
          this.events.emit('rejoined', joined);
        }
        return;
      }
      if (!this.#closing) this.events.emit('error', new Error('could not reconnect'));
    } finally {
      this.#reconnecting = false;
    }
  }

  // ---- publishing --------------------------------------------------------------------------------

  /** Queues a (re)publish; `restart` closes the current publisher first. Retries transient failures. */
  #enqueuePublish(restart = false): Promise<void> {
    const epoch = restart ? ++this.#pubEpoch : this.#pubEpoch;
    const run = async () => {
      if (restart) await this.#closePublisher();
      let lastErr: unknown;
      for (let attempt = 0; attempt < 20; attempt++) {
        if (this.#closing || epoch !== this.#pubEpoch) return;
        try {
          await this.#publishOnce(epoch);
          return;
        } catch (err) {
          lastErr = err;
          await this.#closePublisher();
          if (!restart && attempt === 0 && err instanceof SignalingError) throw err; // initial join: report
          await sleep(Math.min(3000, 250 * 2 ** attempt));
        }
      }
      const err = lastErr instanceof Error ? lastErr : new Error(String(lastErr));
      this.events.emit('error', err);
      throw err;
    };
    const p = this.#pubChain.then(run);
    this.#pubChain = p.catch(() => undefined);
    return p;
  }

  async #publishOnce(epoch: number): Promise<void> {
    const pc = new RTCPeerConnection(this.#opts.peerConfig);
    this.#pubPc = pc;
    const audioTrack = new MediaStreamTrack({ kind: 'audio' });
    const videoTrack = new MediaStreamTrack({ kind: 'video' });
    const audioTx = pc.addTransceiver(audioTrack, { direction: 'sendonly' });
    const videoTx = pc.addTransceiver(videoTrack, { direction: 'sendonly' });
    videoTx.sender.onPictureLossIndication.subscribe(() => {
      this.#stats.keyframeRequests++;
      this.#video.requestKeyframe();
    });
    videoTx.sender.onRtcp.subscribe((rtcp) => {
      // FIR (PSFB FMT 4) also asks for a keyframe.
      if (rtcp.type === 206 && 'feedback' in rtcp && (rtcp.feedback as { count?: number }).count === 4) {
        this.#stats.keyframeRequests++;
        this.#video.requestKeyframe();
      }
    });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.#gathered(pc);
    const local = pc.localDescription;
    if (!local) throw new Error('publisher has no local description');
    const tracks: { mid: string; source: TrackSource }[] = [];
    if (audioTx.mid !== null) tracks.push({ mid: audioTx.mid, source: 'mic' });
    if (videoTx.mid !== null) tracks.push({ mid: videoTx.mid, source: 'camera' });
    const reply = await this.#request('publish', { jsep: { type: 'offer', sdp: local.sdp }, tracks });
    if (reply.type !== 'publishAnswer') throw new Error(`publish: unexpected reply ${reply.type}`);
    if (epoch !== this.#pubEpoch || this.#closing || this.#pubPc !== pc) {
      await pc.close();
      return;
    }
    await pc.setRemoteDescription((reply as PublishAnswerMessage).jsep);
    this.#audioTrack = audioTrack;
    this.#videoTrack = videoTrack;
    this.#stats.publishes++;
    this.#timings.published ??= performance.now();
    this.#startSending();
    this.events.emit('published');
  }

  async #closePublisher(): Promise<void> {
    const pc = this.#pubPc;
    this.#pubPc = undefined;
    this.#audioTrack = undefined;
    this.#videoTrack = undefined;
    if (pc) await pc.close().catch(() => undefined);
  }

  /** One timer for both streams; packets are paced by elapsed time, so timer jitter does not change rates. */
  #startSending(): void {
    if (this.#sendTimer) return;
    this.#sendStartedAt = performance.now();
    this.#audioDue = 0;
    this.#videoDue = 0;
    const { audioPps, videoPps } = this.#opts;
    this.#sendTimer = setInterval(() => {
      const elapsed = (performance.now() - this.#sendStartedAt) / 1000;
      const audioTarget = Math.floor(elapsed * audioPps);
      const videoTarget = Math.floor(elapsed * videoPps);
      // After a stall, skip rather than burst more than ~100 ms worth of packets.
      if (audioTarget - this.#audioDue > audioPps / 10 + 1)
        this.#audioDue = audioTarget - Math.ceil(audioPps / 10);
      if (videoTarget - this.#videoDue > videoPps / 10 + 1)
        this.#videoDue = videoTarget - Math.ceil(videoPps / 10);
      const pc = this.#pubPc;
      const live = pc?.connectionState === 'connected';
      while (this.#audioDue < audioTarget) {
        this.#audioDue++;
        if (live && this.#audioTrack) {
          const p = this.#audio.next();
          this.#stats.bytesSent += p.payload.length;
          this.#audioTrack.writeRtp(p);
        }
      }
      while (this.#videoDue < videoTarget) {
        this.#videoDue++;
        if (live && this.#videoTrack) {
          const p = this.#video.next();
          this.#stats.bytesSent += p.payload.length;
          this.#videoTrack.writeRtp(p);
        }
      }
    }, 5);
  }

  #stopSending(): void {
    if (this.#sendTimer) clearInterval(this.#sendTimer);
    this.#sendTimer = undefined;
  }

  // ---- receiving ---------------------------------------------------------------------------------

  async #onSubscribeOffer(msg: SubscribeOfferMessage): Promise<void> {
    if (this.#closing) return;
    this.#timings.firstOffer ??= performance.now();
    let pc = this.#subPc;
    if (!pc) {
      pc = new RTCPeerConnection(this.#opts.peerConfig);
      this.#subPc = pc;
      pc.iceConnectionStateChange.subscribe((state) => {
        if (state === 'connected') this.#timings.subscriberIceConnected ??= performance.now();
      });
      pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') this.#timings.subscriberConnected ??= performance.now();
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
    await this.#gathered(pc);
    const local = pc.localDescription;
    if (!local) throw new Error('subscriber has no local description');
    if (this.#subPc !== pc || this.#closing) return;
    this.#timings.firstAnswer ??= performance.now();
    this.events.emit('subscribeOffer', msg.streams);
    // Offers are applied strictly one at a time (this runs on a serial chain); the next offer may be
    // applied as soon as this answer is sent. A reply (ack or error) is not required; errors are reported.
    this.#request('subscribeAnswer', { jsep: { type: 'answer', sdp: local.sdp } }).catch((err: unknown) => {
      if (err instanceof SignalingError) this.events.emit('error', err);
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
    if (binding) this.#readStamp(binding.counters, rtp.payload);
  }

  #count(binding: StreamBinding | undefined, bytes: number): void {
    this.#stats.packetsReceived++;
    this.#stats.bytesReceived += bytes;
    if (!binding) return;
    const c = binding.counters;
    const now = Date.now();
    if (c.packets === 0) {
      const t = performance.now();
      this.#timings.firstMedia ??= t;
      if (binding.stream.kind === 'audio') this.#timings.firstAudio ??= t;
      else this.#timings.firstVideo ??= t;
      this.events.emit('firstMedia', binding.stream.participantId, binding.stream.kind, now);
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
      if (this.#opts.receiveMode === 'full') this.#stats.stampGaps += stamp.counter - c.highestCounter - 1;
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

  async #closeSubscriber(): Promise<void> {
    const pc = this.#subPc;
    this.#subPc = undefined;
    this.#bindings.clear();
    if (pc) await pc.close().catch(() => undefined);
  }

  /** Waits until ICE gathering is complete (no trickle: the SDP must carry every candidate). */
  async #gathered(pc: RTCPeerConnection): Promise<void> {
    if (pc.iceGatheringState === 'complete') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.unSubscribe();
        reject(new Error('ICE gathering did not complete'));
      }, this.#opts.requestTimeoutMs);
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
}
