/**
 * A socket a test drives, for the client library's SignalingClient (`createSocket`): it opens on the
 * next tick, records what the client sends, and delivers frames on demand, several in one go as `ws`
 * does in Node (every frame of one TCP read emitted synchronously).
 */
import assert from 'node:assert/strict';
import { SignalingClient, type SignalingOptions } from '../../src/client/SignalingClient.js';
import type { SocketLike } from '../../src/client/socket.js';
import { participantInfo } from './participants.js';

/** A socket the test drives: opens on the next tick, records what is sent, delivers frames on demand. */
export class BurstSocket implements SocketLike {
  readyState = 0;
  onopen: ((event: never) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: never) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];

  constructor() {
    setTimeout(() => {
      this.readyState = 1;
      this.onopen?.(undefined as never);
    }, 0);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.readyState = 3;
  }

  /** Delivers every frame synchronously, one after the other, like one TCP read in `ws`. */
  burst(...frames: object[]): void {
    for (const frame of frames) this.onmessage?.({ data: JSON.stringify({ v: 1, ...frame }) });
  }

  /** The connection ends with `code` (1006: dropped without a close frame). */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  async sentJoin(): Promise<{ rid: string; resume?: string }> {
    for (let i = 0; i < 100 && !this.sent.some((m) => m.type === 'join'); i++)
      await new Promise((r) => setTimeout(r, 5));
    const join = this.sent.find((m) => m.type === 'join');
    assert.ok(join, 'the client sent join');
    return join as unknown as { rid: string; resume?: string };
  }
}

export const person = (id: string) => participantInfo(id);

export const joinedFrame = (rid: string, resumed: boolean, others: string[]) => ({
  type: 'joined',
  rid,
  meetingId: 'm',
  meeting: {},
  lobby: [],
  self: person('me'),
  participants: others.map(person),
  resumeToken: 'token',
  resumeWindowMs: 60_000,
  resumed,
});

/** A SignalingClient whose every socket is a BurstSocket, in the order it opened them. */
export function clientOverBurstSockets(options: Omit<SignalingOptions, 'createSocket'> = {}): {
  client: SignalingClient;
  sockets: BurstSocket[];
} {
  const sockets: BurstSocket[] = [];
  const client = new SignalingClient({
    url: 'ws://test/ws',
    ...options,
    createSocket: () => {
      const s = new BurstSocket();
      sockets.push(s);
      return s;
    },
  });
  return { client, sockets };
}
