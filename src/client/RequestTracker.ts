/**
 * Bookkeeping for the signaling client: requests waiting for the reply with their `rid` (with a
 * timeout), and frames waiting for the connection to come back (the outbox).
 */
import type { ServerMessage } from '../protocol/messages.js';
import { ClientError } from './ClientError.js';

interface Pending {
  resolve: (message: ServerMessage) => void;
  reject: (error: ClientError) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Whether the request went out on the current socket (else it waits in the outbox). */
  sent: boolean;
}

export class RequestTracker {
  private readonly pending = new Map<string, Pending>();
  private outbox: Array<{ frame: string; rid: string | undefined }> = [];
  private counter = 0;

  constructor(private readonly timeoutMs: number) {}

  /**
   * Registers a request and hands its frame to `deliver`, which returns whether it was sent now
   * (else the caller queued or dropped it). Resolves with the reply; rejects with a ClientError.
   */
  request(
    type: string,
    payload: object,
    deliver: (frame: string, rid: string) => boolean,
  ): Promise<ServerMessage> {
    const rid = `r${++this.counter}`;
    const frame = JSON.stringify({ v: 1, type, rid, ...payload });
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        this.outbox = this.outbox.filter((queued) => queued.rid !== rid);
        reject(new ClientError('timeout', `No reply to ${type} within ${this.timeoutMs} ms.`));
      }, this.timeoutMs);
      const entry: Pending = { resolve, reject, timer, sent: false };
      this.pending.set(rid, entry);
      entry.sent = deliver(frame, rid);
    });
  }

  /** Settles the request this message answers; false when it answers none of ours. */
  settle(message: ServerMessage): boolean {
    const rid = 'rid' in message ? message.rid : undefined;
    if (rid === undefined) return false;
    const entry = this.pending.get(rid);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.pending.delete(rid);
    if (message.type === 'error') entry.reject(new ClientError(message.code, message.message));
    else entry.resolve(message);
    return true;
  }

  /** Keeps waiting for the reply to `rid` without a timeout (e.g. a join waiting in the lobby). */
  hold(rid: string): void {
    const entry = this.pending.get(rid);
    if (entry) clearTimeout(entry.timer);
  }

  enqueue(frame: string, rid?: string): void {
    this.outbox.push({ frame, rid });
  }

  /** Takes every queued frame, in order, marking the requests among them as sent. */
  drain(): string[] {
    const queued = this.outbox;
    this.outbox = [];
    for (const { rid } of queued) {
      const entry = rid === undefined ? undefined : this.pending.get(rid);
      if (entry) entry.sent = true;
    }
    return queued.map(({ frame }) => frame);
  }

  fail(rid: string, error: ClientError): void {
    const entry = this.pending.get(rid);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(rid);
    entry.reject(error);
  }

  /** The socket dropped: requests sent on it will never be answered. */
  failSent(error: ClientError): void {
    for (const [rid, entry] of this.pending) if (entry.sent) this.fail(rid, error);
  }

  /** Drops the outbox, rejecting the requests in it. */
  failQueued(error: ClientError): void {
    for (const { rid } of this.outbox) if (rid !== undefined) this.fail(rid, error);
    this.outbox = [];
  }

  failAll(error: ClientError): void {
    this.outbox = [];
    for (const rid of [...this.pending.keys()]) this.fail(rid, error);
  }
}
