/**
 * A client for Janus's WebSocket API: one socket, request/response by transaction, sessions with
 * keepalives, plugin handles that receive their own events. Nothing here knows about rooms or meetings.
 */
import WebSocket from 'ws';
import { TypedEmitter } from '../../util/TypedEmitter.js';

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
  e2ee?: boolean;
  trickle?: boolean;
}
export type PluginData = Record<string, unknown>;

interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { plugin: string; data: PluginData };
  jsep?: Jsep;
  reason?: string;
  type?: string;
  receiving?: boolean;
}

export class JanusError extends Error {
  override name = 'JanusError';
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(`Janus error ${code}: ${reason}`);
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
const KEEPALIVE_MS = 20_000;

interface Pending {
  resolve: (msg: JanusMessage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  /** Plugin messages are answered with an `ack` first and the result later as an `event`. */
  async: boolean;
}

export class JanusConnection extends TypedEmitter<{ close: [] }> {
  readonly #ws: WebSocket;
  readonly #apiSecret: string | undefined;
  readonly #pending = new Map<string, Pending>();
  readonly #handles = new Map<number, JanusHandle>();
  #nextTx = 1;
  #closed = false;

  private constructor(ws: WebSocket, apiSecret: string | undefined) {
    super();
    this.#ws = ws;
    this.#apiSecret = apiSecret;
    ws.on('message', (data) => this.#onMessage(String(data)));
    ws.on('close', () => this.#onClose());
    ws.on('error', () => ws.terminate());
  }

  static connect(url: string, apiSecret: string | undefined, timeoutMs = 5000): Promise<JanusConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'janus-protocol', {
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
      });
      ws.once('open', () => resolve(new JanusConnection(ws, apiSecret)));
      ws.once('error', (err) => reject(err));
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a request and resolves with its final answer (`success`, or the `event` after an `ack`). */
  request(body: Record<string, unknown>, options: { async?: boolean } = {}): Promise<JanusMessage> {
    if (this.#closed) return Promise.reject(new JanusError(0, 'connection closed'));
    const transaction = String(this.#nextTx++);
    const message = { ...body, transaction, ...(this.#apiSecret ? { apisecret: this.#apiSecret } : {}) };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new JanusError(0, `request ${String(body.janus)} timed out`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(transaction, { resolve, reject, timer, async: options.async ?? false });
      this.#ws.send(JSON.stringify(message));
    });
  }

  async createSession(): Promise<JanusSession> {
    const res = await this.request({ janus: 'create' });
    const id = res.data?.id;
    if (typeof id !== 'number') throw new JanusError(0, 'create returned no session id');
    return new JanusSession(this, id);
  }

  /** @internal */
  registerHandle(handle: JanusHandle): void {
    this.#handles.set(handle.id, handle);
  }
  /** @internal */
  unregisterHandle(id: number): void {
    this.#handles.delete(id);
  }

  close(): void {
    if (this.#closed) return;
    this.#ws.terminate();
    this.#onClose();
  }

  #onMessage(text: string): void {
    let msg: JanusMessage;
    try {
      msg = JSON.parse(text) as JanusMessage;
    } catch {
      return;
    }
    const pending = msg.transaction ? this.#pending.get(msg.transaction) : undefined;
    if (pending) {
      if (msg.janus === 'ack' && pending.async) return;
      this.#pending.delete(msg.transaction as string);
      clearTimeout(pending.timer);
      if (msg.janus === 'error') {
        pending.reject(new JanusError(msg.error?.code ?? 0, msg.error?.reason ?? 'unknown error'));
        return;
      }
      const data = msg.plugindata?.data;
      if (data && typeof data.error_code === 'number') {
        pending.reject(new JanusError(data.error_code, String(data.error ?? 'plugin error')));
        return;
      }
      pending.resolve(msg);
      return;
    }
    if (msg.sender !== undefined) this.#handles.get(msg.sender)?.dispatch(msg);
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new JanusError(0, 'connection closed'));
    }
    this.#pending.clear();
    for (const handle of [...this.#handles.values()]) handle.dispatch({ janus: 'detached' });
    this.#handles.clear();
    this.emit('close');
  }
}

export class JanusSession {
  readonly #keepalive: NodeJS.Timeout;
  constructor(
    readonly connection: JanusConnection,
    readonly id: number,
  ) {
    this.#keepalive = setInterval(() => {
      connection.request({ janus: 'keepalive', session_id: id }).catch(() => undefined);
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
    connection.once('close', () => clearInterval(this.#keepalive));
  }

  async attach(plugin: string): Promise<JanusHandle> {
    const res = await this.connection.request({ janus: 'attach', plugin, session_id: this.id });
    const id = res.data?.id;
    if (typeof id !== 'number') throw new JanusError(0, 'attach returned no handle id');
    const handle = new JanusHandle(this, id);
    this.connection.registerHandle(handle);
    return handle;
  }

  destroy(): void {
    clearInterval(this.#keepalive);
    this.connection.request({ janus: 'destroy', session_id: this.id }).catch(() => undefined);
  }
}

export interface HandleEvents {
  /** An event from the plugin that was not the reply to a request of ours. */
  event: [data: PluginData, jsep: Jsep | undefined];
  webrtcup: [];
  hangup: [reason: string];
  /** The handle is gone: detached by us or Janus, or the connection closed. */
  detached: [];
}

export class JanusHandle extends TypedEmitter<HandleEvents> {
  #detached = false;
  constructor(
    readonly session: JanusSession,
    readonly id: number,
  ) {
    super();
  }

  get detached(): boolean {
    return this.#detached;
  }

  /** A synchronous plugin request (answered with `success`). */
  async request(body: Record<string, unknown>): Promise<PluginData> {
    const res = await this.session.connection.request({
      janus: 'message',
      session_id: this.session.id,
      handle_id: this.id,
      body,
    });
    return res.plugindata?.data ?? {};
  }

  /** An asynchronous plugin request (ack, then an event that may carry a JSEP). */
  async message(body: Record<string, unknown>, jsep?: Jsep): Promise<{ data: PluginData; jsep?: Jsep }> {
    const res = await this.session.connection.request(
      { janus: 'message', session_id: this.session.id, handle_id: this.id, body, ...(jsep ? { jsep } : {}) },
      { async: true },
    );
    return { data: res.plugindata?.data ?? {}, ...(res.jsep ? { jsep: res.jsep } : {}) };
  }

  /**
   * Detaches from the plugin (which also leaves any room); idempotent. Resolves when Janus has
   * destroyed the handle, so callers can order later room-level requests after it.
   */
  detach(): Promise<void> {
    if (this.#detached) return Promise.resolve();
    const connection = this.session.connection;
    const done = connection.closed
      ? Promise.resolve()
      : connection.request({ janus: 'detach', session_id: this.session.id, handle_id: this.id }).then(
          () => undefined,
          () => undefined,
        );
    this.dispatch({ janus: 'detached' });
    return done;
  }

  /** @internal */
  dispatch(msg: JanusMessage): void {
    if (this.#detached) return;
    switch (msg.janus) {
      case 'event':
        if (msg.plugindata) this.emit('event', msg.plugindata.data, msg.jsep);
        break;
      case 'webrtcup':
        this.emit('webrtcup');
        break;
      case 'hangup':
        this.emit('hangup', msg.reason ?? '');
        break;
      case 'detached':
        this.#detached = true;
        this.session.connection.unregisterHandle(this.id);
        this.emit('detached');
        this.removeAllListeners();
        break;
      default:
        break;
    }
  }
}
