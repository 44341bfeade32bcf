/**
 * One Janus server: a connection, a session, and the rooms placed on it. When the connection drops
 * (Janus died or restarted) the node reconnects and asks each of its rooms to rebuild itself on the new
 * session, so meetings survive a media-server restart without anyone rejoining by hand.
 */
import type { Logger } from 'pino';
import { TypedEmitter } from '../../util/TypedEmitter.js';
import { JanusConnection, type JanusHandle, type JanusSession } from './JanusConnection.js';

export const VIDEOROOM = 'janus.plugin.videoroom';

export interface NodeRoom {
  /** Re-creates the room and its participants on a fresh session after a restart. */
  rebuild(): Promise<void>;
  /** Marks the room's media as gone (handles are dead) before the rebuild. */
  markDown(): void;
  close(): void;
}

export class JanusNode extends TypedEmitter<{ down: []; restored: [] }> {
  readonly rooms = new Set<NodeRoom>();
  #connection: JanusConnection | undefined;
  #session: JanusSession | undefined;
  #control: JanusHandle | undefined;
  #closed = false;
  #recovering: Promise<void> | undefined;

  constructor(
    readonly url: string,
    readonly apiSecret: string | undefined,
    readonly adminKey: string | undefined,
    private readonly log: Logger,
  ) {
    super();
  }

  get up(): boolean {
    return this.#session !== undefined && !this.#connection?.closed;
  }

  /** The live session; throws when the node is down so callers fail fast instead of hanging. */
  get session(): JanusSession {
    if (!this.#session || this.#connection?.closed) throw new Error(`media node ${this.url} is down`);
    return this.#session;
  }

  /** A handle for room-level requests (create, destroy) that belong to no participant. */
  get control(): JanusHandle {
    if (!this.#control || this.#control.detached) throw new Error(`media node ${this.url} is down`);
    return this.#control;
  }

  /** Connects, retrying until `deadline` (ms since epoch). */
  async start(deadline: number): Promise<void> {
    await this.#connectUntil(deadline);
  }

  async #connectUntil(deadline: number): Promise<void> {
    let delay = 50;
    for (;;) {
      if (this.#closed) throw new Error('closed');
      try {
        const connection = await JanusConnection.connect(this.url, this.apiSecret, 2000);
        if (this.#closed) {
          connection.close();
          throw new Error('closed');
        }
        const session = await connection.createSession();
        const control = await session.attach(VIDEOROOM);
        this.#connection = connection;
        this.#session = session;
        this.#control = control;
        connection.once('close', () => this.#onConnectionLost());
        return;
      } catch (err) {
        if (this.#closed || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(1000, delay * 2);
      }
    }
  }

  #onConnectionLost(): void {
    this.#session = undefined;
    this.#control = undefined;
    if (this.#closed || this.#recovering) return;
    this.log.warn({ node: this.url }, 'lost connection to janus; recovering');
    for (const room of this.rooms) room.markDown();
    this.emit('down');
    this.#recovering = this.#recover().finally(() => {
      this.#recovering = undefined;
    });
  }

  async #recover(): Promise<void> {
    // Keep trying for as long as the node is open: a supervised Janus comes back within a second,
    // an external one may take longer.
    while (!this.#closed) {
      try {
        await this.#connectUntil(Date.now() + 60_000);
        break;
      } catch {
        if (this.#closed) return;
      }
    }
    if (this.#closed) return;
    const started = Date.now();
    const results = await Promise.allSettled([...this.rooms].map((room) => room.rebuild()));
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed)
      this.log.error({ err: (f as PromiseRejectedResult).reason }, 'room rebuild failed');
    this.log.info(
      { node: this.url, rooms: this.rooms.size, failed: failed.length, ms: Date.now() - started },
      'janus restored',
    );
    this.emit('restored');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session?.destroy();
    this.#connection?.close();
    this.removeAllListeners();
  }
}
