/**
 * The signaling connection: one WebSocket to the Convene server at /ws, request/response by `rid`,
 * typed events for every server message, and automatic reconnect + resume after a dropped socket.
 *
 * Reconnect: when the socket closes without `leave()`, the client retries with exponential backoff
 * (250 ms doubling to 5 s, with jitter) and sends `join` with the last `resumeToken`. A resumed join
 * emits `resumed` (the media keeps flowing, nothing to redo). If the server answers `resume_expired`
 * the client joins again without a token and emits `sessionReset` (the caller must republish). That is
 * also what follows a server restart: the new process has no seats. A rejoin refused for a passing
 * reason (`storage_unavailable`, `media_unavailable`, `rate_limited`, `internal`, a timeout) is
 * retried with the same backoff; any other refusal ends the client.
 * Messages sent while reconnecting are queued and flushed after a successful resume.
 */
import type { ClientMessageType, ClientPayload, JoinedMessage, ServerMessage } from '../protocol/messages.js';
import type { MlsServerMessage } from '../protocol/mlsMessages.js';
import { ClientError, errorCode } from './ClientError.js';
import { FrameHold } from './frameHold.js';
import { backoffDelay, isTransient } from './reconnectPolicy.js';
import { RequestTracker } from './RequestTracker.js';
import {
  FORWARDED_TYPES,
  MLS_TYPES,
  type ForwardedMessage,
  type JoinCredentials,
  type ReplyOf,
  type SignalingEvents,
  type SignalingOptions,
  type SignalingState,
} from './signalingTypes.js';
import { sessionEnd, sessionEndFromClose, sessionEndText } from './sessionEnd.js';
import { OPEN, defaultSignalingUrl, parseServerFrame, type SocketLike } from './socket.js';
import type { SessionEnd } from './types.js';
import { TypedEmitter } from '../util/TypedEmitter.js';

export type { SocketLike } from './socket.js';
export type { JoinCredentials, SignalingEvents, SignalingOptions, SignalingState } from './signalingTypes.js';

const VERSION = 1;

export class SignalingClient extends TypedEmitter<SignalingEvents> {
  private readonly options: Required<Omit<SignalingOptions, 'url'>> & { url: string | undefined };
  private socket: SocketLike | null = null;
  private stateValue: SignalingState = 'idle';
  private readonly requests: RequestTracker;
  private meetingId = '';
  private displayName = '';
  private credentials: JoinCredentials = {};
  private resumeToken: string | null = null;
  private resumeWindowMs = 0;
  private disconnectedAt = 0;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** What arrives after a join's answer waits until the joiner has taken it in (frameHold.ts). */
  private readonly hold = new FrameHold();
  private readonly onOnline = (): void => {
    if (this.stateValue === 'reconnecting' && this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      void this.reconnect();
    }
  };

  constructor(options: SignalingOptions = {}) {
    super();
    this.options = {
      url: options.url,
      createSocket: options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
      requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
      backoffInitialMs: options.backoffInitialMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 5_000,
    };
    this.requests = new RequestTracker(this.options.requestTimeoutMs);
  }

  get state(): SignalingState {
    return this.stateValue;
  }

  /**
   * Opens the socket and joins. Rejects with a ClientError (e.g. code `meeting_not_found`). When the
   * meeting has a lobby, `lobbyWait` is emitted and the promise waits (without timeout) for the host:
   * it resolves when let in, and rejects with `session_ended` when denied.
   */
  async join(
    meetingId: string,
    displayName: string,
    credentials: JoinCredentials = {},
  ): Promise<JoinedMessage> {
    if (this.stateValue !== 'idle')
      throw new ClientError('already_joined', 'This client has already joined.');
    this.meetingId = meetingId;
    this.displayName = displayName;
    this.credentials = { ...credentials };
    this.setState('connecting');
    try {
      await this.open();
    } catch (error) {
      this.shutdown(null);
      throw ClientError.from(error, 'connection_failed');
    }
    try {
      const joined = await this.sendJoin(false);
      this.acceptJoin(joined);
      this.setState('joined');
      globalThis.addEventListener?.('online', this.onOnline);
      this.emit('joined', joined);
      // After the code awaiting this join has run (microtasks), before anything that came after it.
      setTimeout(() => this.releaseHeld(), 0);
      return joined;
    } catch (error) {
      this.shutdown(null);
      this.releaseHeld();
      throw ClientError.from(error, 'connection_failed');
    }
  }

  /** Sends a request and resolves with the server's reply to it (`ack` for most; rejects on `error`). */
  request<K extends Exclude<ClientMessageType, 'join'>>(
    type: K,
    payload: ClientPayload<K>,
  ): Promise<ReplyOf<K>> {
    return this.requestRaw(type, payload) as Promise<ReplyOf<K>>;
  }

  /**
   * Sends a message that expects no reply. While reconnecting it is queued (sent after a resume) unless
   * `queue` is false: a `subscribeAnswer` must not be queued, because the server sends the unanswered
   * offer again after a resume. Dropped once closed.
   */
  send<K extends Exclude<ClientMessageType, 'join' | 'publish'>>(
    type: K,
    payload: ClientPayload<K>,
    options: { queue?: boolean } = {},
  ): void {
    this.transmit(JSON.stringify({ v: VERSION, type, ...payload }), undefined, options.queue ?? true);
  }

  /** Sends `leave` (when connected) and closes the client for good. */
  leave(): void {
    if (this.stateValue === 'closed') return;
    if (this.socket?.readyState === OPEN && this.stateValue === 'joined') {
      try {
        this.socket.send(JSON.stringify({ v: VERSION, type: 'leave' }));
      } catch {
        // The socket is going away anyway.
      }
    }
    this.shutdown(null);
  }

  // ---- internals ------------------------------------------------------------------------------------

  private setState(state: SignalingState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.emit('state', state);
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let socket: SocketLike;
      try {
        socket = this.options.createSocket(this.options.url ?? defaultSignalingUrl());
      } catch (error) {
        reject(error);
        return;
      }
      this.socket = socket;
      let opened = false;
      socket.onopen = () => {
        opened = true;
        resolve();
      };
      socket.onerror = () => {
        // A close event always follows; it decides what happens.
      };
      socket.onmessage = (event) => {
        if (this.socket === socket && !this.hold.hold(event.data)) this.handleFrame(event.data);
      };
      socket.onclose = (event) => {
        if (!opened) reject(new ClientError('connection_failed', `WebSocket closed (${event.code})`));
        if (this.socket === socket) this.handleClose(event.code, event.reason);
      };
    });
  }

  private sendJoin(resume: boolean): Promise<JoinedMessage> {
    const payload: ClientPayload<'join'> = { meetingId: this.meetingId, displayName: this.displayName };
    if (this.credentials.passcode) payload.passcode = this.credentials.passcode;
    if (this.credentials.hostKey) payload.hostKey = this.credentials.hostKey;
    if (resume && this.resumeToken) payload.resume = this.resumeToken;
    return this.requestRaw('join', payload, true) as Promise<JoinedMessage>;
  }

  private acceptJoin(joined: JoinedMessage): void {
    this.resumeToken = joined.resumeToken;
    this.resumeWindowMs = joined.resumeWindowMs;
    this.attempt = 0;
  }

  private requestRaw(type: ClientMessageType, payload: object, immediate = false): Promise<ServerMessage> {
    if (this.stateValue === 'closed')
      return Promise.reject(new ClientError('closed', 'The client is closed.'));
    return this.requests.request(type, payload, (frame, rid) => {
      if (!immediate) return this.transmit(frame, rid);
      if (this.rawSend(frame)) return true;
      queueMicrotask(() =>
        this.requests.fail(rid, new ClientError('connection_lost', 'The connection dropped.')),
      );
      return false;
    });
  }

  /** Sends now when joined; else queues (if `queue`). Returns whether the frame went out. */
  private transmit(frame: string, rid?: string, queue = true): boolean {
    if (this.stateValue === 'closed') return false;
    if (this.stateValue === 'joined' && this.rawSend(frame)) return true;
    if (queue) this.requests.enqueue(frame, rid);
    return false;
  }

  private rawSend(frame: string): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    try {
      this.socket.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  private handleFrame(data: unknown): void {
    const message = parseServerFrame(data);
    if (!message) return;
    if (message.type === 'lobbyWait') {
      // Not the answer yet: `joined` (same rid) follows when admitted, however long that takes.
      if (message.rid !== undefined) this.requests.hold(message.rid);
      this.emit('lobbyWait', message);
      return;
    }
    if (message.type === 'sessionEnded') return this.endSession(sessionEnd(message));
    if (this.requests.settle(message)) {
      if (message.type === 'joined') this.hold.start();
      return;
    }
    if (message.type === 'forceMute') return this.emit('forceMute');
    if (message.type === 'mediaRestart') return this.emit('mediaRestart');
    if (message.type === 'error') {
      const error = new ClientError(message.code, message.message);
      // Refused before joining (e.g. bad_origin, then the socket closes): that is the join's answer.
      if (this.stateValue === 'connecting') this.requests.failAll(error);
      else this.emit('error', error);
      return;
    }
    if (MLS_TYPES.has(message.type)) return this.emit('mls', message as MlsServerMessage);
    if (FORWARDED_TYPES.has(message.type)) this.forward(message as ForwardedMessage);
    // Else `ack`, or a reply to a request that already timed out: nothing to do.
  }

  /** Emits a server message as the event of the same name (FORWARDED_TYPES). */
  private forward(message: ForwardedMessage): void {
    const emit = this.emit as (event: ForwardedMessage['type'], message: ForwardedMessage) => void;
    emit.call(this, message.type, message);
  }

  /** The seat ended by someone else's action: final, whatever the state (in the lobby too). */
  private endSession(end: SessionEnd): void {
    if (this.stateValue === 'closed') return;
    this.emit('sessionEnded', end);
    this.requests.failAll(new ClientError('session_ended', sessionEndText(end)));
    this.shutdown(null);
  }

  private handleClose(code: number, reason: string): void {
    this.socket = null;
    // Normally `sessionEnded` came first and this socket is already detached; this is the fallback.
    const ended = sessionEndFromClose(code);
    if (ended) return this.endSession(ended);
    this.requests.failSent(new ClientError('connection_lost', 'The connection dropped.'));
    if (this.stateValue !== 'joined' && this.stateValue !== 'reconnecting') return;
    if (code >= 4000 && code < 5000) {
      // Application close codes are deliberate refusals (e.g. 4003 bad_origin): retrying cannot help.
      this.shutdown(
        new ClientError(code === 4003 ? 'bad_origin' : 'connection_lost', reason || `Closed (${code})`),
      );
      return;
    }
    if (this.stateValue === 'joined') this.disconnectedAt = Date.now();
    this.setState('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt, this.options.backoffInitialMs, this.options.backoffMaxMs);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.stateValue !== 'reconnecting') return;
    try {
      await this.open();
    } catch {
      // handleClose already scheduled the next attempt.
      return;
    }
    if (this.stateValue !== 'reconnecting') return;
    const canResume =
      this.resumeToken !== null && Date.now() - this.disconnectedAt < Math.max(this.resumeWindowMs, 1);
    try {
      let joined: JoinedMessage;
      let reset = !canResume;
      try {
        joined = await this.sendJoin(canResume);
      } catch (error) {
        if (errorCode(error) !== 'resume_expired') throw error;
        reset = true;
        joined = await this.sendJoin(false);
      }
      if (this.stateValue !== 'reconnecting') return;
      if (!joined.resumed) reset = true;
      this.acceptJoin(joined);
      if (reset) this.requests.failQueued(new ClientError('session_reset', 'The session was reset.'));
      this.setState('joined');
      if (reset) {
        this.emit('sessionReset', joined);
      } else {
        for (const frame of this.requests.drain()) this.rawSend(frame);
        this.emit('resumed', joined);
      }
    } catch (error) {
      const code = errorCode(error);
      if (code === 'connection_lost') return;
      if (isTransient(code)) {
        // Try again (a timed-out socket is closed so its late reply cannot confuse us).
        this.dropSocket();
        return;
      }
      this.shutdown(ClientError.from(error, 'connection_lost'));
    } finally {
      // The `resumed` / `sessionReset` listeners ran synchronously: what followed `joined` comes now.
      this.releaseHeld();
    }
  }

  /** Ends a hold: held frames are handled now, or dropped once closed. */
  private releaseHeld(): void {
    this.hold.release(this.stateValue === 'closed' ? null : (frame) => this.handleFrame(frame));
  }

  /** Closes the current socket so that its close event schedules the next reconnect attempt. */
  private dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.handleClose(1006, 'retry');
    socket.onclose = null;
    socket.onmessage = null;
    try {
      socket.close();
    } catch {
      // Already closed.
    }
  }

  private shutdown(reason: ClientError | null): void {
    if (this.stateValue === 'closed') return;
    const wasActive = this.stateValue !== 'idle' && this.stateValue !== 'connecting';
    this.setState('closed');
    globalThis.removeEventListener?.('online', this.onOnline);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.requests.failAll(new ClientError('closed', 'Closed.'));
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      try {
        socket.close(1000, 'leave');
      } catch {
        // Already closed.
      }
    }
    if (wasActive) this.emit('closed', reason);
  }
}
