/**
 * A bare signaling WebSocket for tests about the transport itself (bad input, limits): it records
 * every frame (and its size) and its close, and can stop reading or stop answering pings.
 */
import WebSocket, { type ClientOptions } from 'ws';

export interface Reply {
  type: string;
  code?: string;
  rid?: string;
  [k: string]: unknown;
}

export class RawSocket {
  readonly messages: Reply[] = [];
  /** Bytes of every frame received, in order. */
  readonly sizes: number[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  isClosed = false;
  #waiters: Array<() => void> = [];
  #read = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const text = String(d);
      this.sizes.push(Buffer.byteLength(text));
      this.messages.push(JSON.parse(text) as Reply);
      this.#wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.isClosed = true;
        this.#wake();
        resolve({ code, reason: String(reason) });
      }),
    );
  }

  /**
   * Opens a socket to a server's /ws. `headers` may carry an Origin, a Cookie or, behind a trusted
   * proxy, X-Forwarded-For; `options.autoPong: false` makes a peer that never answers pings.
   */
  static open(
    url: string,
    headers: Record<string, string> = {},
    options: ClientOptions = {},
  ): Promise<RawSocket> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { ...options, headers });
    const raw = new RawSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(raw));
      ws.once('error', reject);
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves when `ready()` holds (checked on every frame and on close); rejects after `timeoutMs`. */
  async until(ready: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next message not read yet (which may already have arrived). */
  async next(timeoutMs = 5000): Promise<Reply> {
    await this.until(() => this.messages.length > this.#read || this.isClosed, timeoutMs, 'a message');
    const message = this.messages[this.#read];
    if (!message) throw new Error('socket closed');
    this.#read++;
    return message;
  }

  /** Sends a frame and resolves with the reply carrying its rid (other traffic, e.g. offers, is skipped). */
  async request(frame: string, timeoutMs = 5000): Promise<Reply> {
    let rid: string | undefined;
    try {
      rid = (JSON.parse(frame) as { rid?: string }).rid;
    } catch {
      rid = undefined; // deliberately malformed frames have no rid to match
    }
    this.ws.send(frame);
    for (;;) {
      const m = await this.next(timeoutMs);
      if (rid === undefined ? m.type === 'error' : m.rid === rid) return m;
    }
  }

  /** Sends a protocol message (`v: 1` added) and resolves with its reply. */
  ask(message: Record<string, unknown>, timeoutMs = 5000): Promise<Reply> {
    return this.request(JSON.stringify({ v: 1, ...message }), timeoutMs);
  }
}
