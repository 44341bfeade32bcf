/**
 * The headless client's signaling: one WebSocket to /ws, requests matched to their replies by rid, the
 * join, and reconnecting with resume (or a fresh join when the seat is gone) after the socket drops.
 */
import WebSocket from 'ws';
import { FrameHold } from '../../../src/client/frameHold.js';
import type {
  ClientMessageType,
  ClientPayload,
  JoinedMessage,
  ServerMessage,
} from '../../../src/protocol/messages.js';
import type { ResolvedOptions } from './options.js';
import { SignalingError, sleep, type MarkMilestone } from './types.js';

export interface SignalingCallbacks {
  /** True once the client is closing: no reconnecting, no background work. */
  closed(): boolean;
  mark: MarkMilestone;
  /** Every message from the server, replies included. */
  onMessage(msg: ServerMessage): void;
  /** A message that is not the reply to a pending request. */
  onNotification(msg: ServerMessage): void;
  onReconnecting(attempt: number): void;
  /** Joined again after a drop: `sameSeat` when resumed, otherwise joined fresh with a new id. */
  onRejoined(joined: JoinedMessage, sameSeat: boolean): void;
  /** The socket closed and will not be reopened. */
  onDisconnected(): void;
  onError(err: Error): void;
}

type SignalingOptions = Pick<
  ResolvedOptions,
  | 'url'
  | 'meetingId'
  | 'displayName'
  | 'reconnect'
  | 'requestTimeoutMs'
  | 'passcode'
  | 'hostKey'
  | 'cookie'
  | 'forwardedFor'
  | 'lobbyTimeoutMs'
>;

interface Pending {
  resolve: (msg: ServerMessage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class Signaling {
  readonly #opts: SignalingOptions;
  readonly #cb: SignalingCallbacks;
  readonly #wsUrl: string;
  readonly #origin: string;
  #ws: WebSocket | undefined;
  #reconnecting = false;
  #nextRid = 1;
  readonly #pending = new Map<string, Pending>();
  #id = '';
  #resumeToken = '';
  #joined: JoinedMessage | undefined;
  /**
   * Frames after a `joined` reply, held until the client has taken it in (`releaseHeld`): `ws` emits
   * every frame of one TCP read at once, so a `participantJoined` right behind our `joined` would reach
   * the client before it had started its MLS session from `joined` (src/client/frameHold.ts).
   */
  readonly #hold = new FrameHold();
  readonly stats = { reconnects: 0, resumes: 0, rejoins: 0 };

  constructor(opts: SignalingOptions, callbacks: SignalingCallbacks) {
    this.#opts = opts;
    this.#cb = callbacks;
    const base = new URL(opts.url);
    this.#origin = base.origin;
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    base.pathname = '/ws';
    base.search = '';
    base.hash = '';
    this.#wsUrl = base.toString();
  }

  /** Handles the frames held since the last `joined` (dropped once closed); call once set up from it. */
  releaseHeld(): void {
    this.#hold.release(this.#cb.closed() ? null : (frame) => this.#onMessage(frame as ServerMessage));
  }

  /** Own participant id ('' before joining). */
  get id(): string {
    return this.#id;
  }

  /** The last `joined` message. */
  get joinedMessage(): JoinedMessage | undefined {
    return this.#joined;
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket and joins the meeting. */
  async join(): Promise<JoinedMessage> {
    await this.#connect();
    const joined = await this.#sendJoin(undefined);
    this.#applyJoined(joined);
    return joined;
  }

  /** Drops the WebSocket abruptly (no close frame); reconnecting follows unless closed. */
  drop(): void {
    this.#ws?.terminate();
  }

  /** Sends a request with a fresh rid; resolves with the reply carrying that rid, rejects on `error`. */
  request<K extends ClientMessageType>(type: K, payload: ClientPayload<K>): Promise<ServerMessage> {
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

  /** Sends a message that expects no reply (MLS messages, as the web app sends them); throws if closed. */
  send<K extends ClientMessageType>(type: K, payload: ClientPayload<K>): void {
    this.#send(type, payload);
  }

  /** Rejects the pending requests and closes the socket (no leave). Call once `closed()` is true. */
  async close(): Promise<void> {
    this.#rejectPending('client closed');
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
  }

  #connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.#wsUrl, {
        origin: this.#origin,
        headers: {
          ...(this.#opts.cookie ? { Cookie: this.#opts.cookie } : {}),
          ...(this.#opts.forwardedFor ? { 'X-Forwarded-For': this.#opts.forwardedFor } : {}),
        },
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
        this.#cb.mark('wsOpen');
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
        if (!this.#hold.hold(msg)) this.#onMessage(msg);
      });
      ws.on('close', (code) => this.#onClose(ws, code));
    });
  }

  #send(type: ClientMessageType, payload: object, rid?: string): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error('socket is not open');
    ws.send(JSON.stringify({ v: 1, type, ...(rid === undefined ? {} : { rid }), ...payload }));
  }

  async #sendJoin(resume: string | undefined): Promise<JoinedMessage> {
    const payload: ClientPayload<'join'> = {
      meetingId: this.#opts.meetingId,
      displayName: this.#opts.displayName,
      ...(this.#opts.passcode ? { passcode: this.#opts.passcode } : {}),
      ...(this.#opts.hostKey ? { hostKey: this.#opts.hostKey } : {}),
      ...(resume ? { resume } : {}),
    };
    const reply = await this.request('join', payload);
    if (reply.type !== 'joined') throw new Error(`join: unexpected reply ${reply.type}`);
    return reply;
  }

  #applyJoined(joined: JoinedMessage): void {
    this.#cb.mark('joined');
    this.#joined = joined;
    this.#id = joined.self.id;
    this.#resumeToken = joined.resumeToken;
  }

  #onMessage(msg: ServerMessage): void {
    this.#cb.onMessage(msg);
    const rid = 'rid' in msg ? msg.rid : undefined;
    if (rid !== undefined) {
      const pending = this.#pending.get(rid);
      if (pending && msg.type === 'lobbyWait') {
        // Waiting in the lobby: `joined` (same rid) follows when a host admits us.
        clearTimeout(pending.timer);
        pending.timer = setTimeout(() => {
          this.#pending.delete(rid);
          pending.reject(new Error(`not admitted from the lobby within ${this.#opts.lobbyTimeoutMs} ms`));
        }, this.#opts.lobbyTimeoutMs);
        this.#cb.onNotification(msg);
        return;
      }
      if (pending) {
        this.#pending.delete(rid);
        clearTimeout(pending.timer);
        if (msg.type === 'joined') this.#hold.start();
        if (msg.type === 'error') pending.reject(new SignalingError(msg.code, msg.message));
        else pending.resolve(msg);
        return;
      }
    }
    this.#cb.onNotification(msg);
  }

  #rejectPending(reason: string): void {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.#pending.clear();
  }

  #onClose(ws: WebSocket, code: number): void {
    if (this.#ws !== ws) return; // an older socket, or closed by close()
    this.#ws = undefined;
    this.#rejectPending('socket closed');
    // Removed, ended, denied or taken over elsewhere: final, never reconnect.
    const final = code === 4001 || code === 4004 || code === 4005 || code === 4006 || code === 4007;
    if (final || this.#cb.closed() || !this.#opts.reconnect) {
      this.#cb.onDisconnected();
      return;
    }
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let attempt = 1; attempt <= 30 && !this.#cb.closed(); attempt++) {
        this.#cb.onReconnecting(attempt);
        await sleep(Math.min(2000, 50 * 2 ** attempt));
        if (this.#cb.closed()) return;
        try {
          await this.#connect();
        } catch {
          continue;
        }
        this.stats.reconnects++;
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
        if (sameSeat) this.stats.resumes++;
        else this.stats.rejoins++;
        this.#cb.onRejoined(joined, sameSeat);
        this.releaseHeld();
        return;
      }
      if (!this.#cb.closed()) this.#cb.onError(new Error('could not reconnect'));
    } finally {
      this.#reconnecting = false;
    }
  }
}
