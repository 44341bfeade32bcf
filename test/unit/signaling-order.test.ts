/**
 * The client library's SignalingClient over a socket that delivers several frames in one go, as `ws`
 * does in Node (every frame of one TCP read emitted synchronously). Found by bench:mls-storm: headless
 * members failed (`keys_missing`, `mls_join_failed`) because a `participantJoined` that came in the same
 * read as our `joined` was emitted before the code awaiting the join had started E2EE, which then never
 * knew that participant and refused their Add. Whatever follows `joined` must be emitted after the
 * joiner (the code after `await join()`, or the `resumed` listeners) has taken `joined` in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignalingClient } from '../../src/client/SignalingClient.js';
import type { SocketLike } from '../../src/client/socket.js';

/** A socket the test drives: opens on the next tick, records what is sent, delivers frames on demand. */
class BurstSocket implements SocketLike {
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

  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }

  async sentJoin(): Promise<{ rid: string; resume?: string }> {
    for (let i = 0; i < 100 && !this.sent.some((m) => m.type === 'join'); i++)
      await new Promise((r) => setTimeout(r, 5));
    const join = this.sent.find((m) => m.type === 'join');
    assert.ok(join, 'the client sent join');
    return join as unknown as { rid: string; resume?: string };
  }
}

const person = (id: string) => ({
  id,
  displayName: id,
  role: 'participant',
  signedIn: false,
  handRaised: false,
  audioMuted: false,
  videoMuted: false,
});

const joinedFrame = (rid: string, resumed: boolean, others: string[]) => ({
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

const tick = () => new Promise((r) => setTimeout(r, 20));

test('what arrives with `joined` is emitted after the code awaiting the join has run', async () => {
  const sockets: BurstSocket[] = [];
  const client = new SignalingClient({
    url: 'ws://test/ws',
    createSocket: () => {
      const s = new BurstSocket();
      sockets.push(s);
      return s;
    },
  });
  const order: string[] = [];
  const joining = client.join('m', 'me');
  await tick();
  const socket = sockets[0]!;
  const { rid } = await socket.sentJoin();
  socket.burst(joinedFrame(rid, false, ['a']), {
    type: 'participantJoined',
    participant: person('b'),
  });
  const joined = await joining;
  // Set up from `joined` only now, as MeetingSession does (E2EE starts here).
  order.push(`joined with ${joined.participants.map((p) => p.id).join()}`);
  client.on('participantJoined', ({ participant }) => order.push(`participantJoined ${participant.id}`));
  await tick();
  assert.deepEqual(order, ['joined with a', 'participantJoined b']);
  client.leave();
});

test('what arrives with a resumed `joined` is emitted after the `resumed` listeners', async () => {
  const sockets: BurstSocket[] = [];
  const client = new SignalingClient({
    url: 'ws://test/ws',
    backoffInitialMs: 10,
    createSocket: () => {
      const s = new BurstSocket();
      sockets.push(s);
      return s;
    },
  });
  const order: string[] = [];
  client.on('resumed', (joined) => order.push(`resumed with ${joined.participants.map((p) => p.id).join()}`));
  client.on('participantJoined', ({ participant }) => order.push(`participantJoined ${participant.id}`));
  client.on('mls', (message) => order.push(message.type));
  const joining = client.join('m', 'me');
  await tick();
  sockets[0]!.burst(joinedFrame((await sockets[0]!.sentJoin()).rid, false, ['a']));
  await joining;
  sockets[0]!.drop();
  for (let i = 0; i < 100 && sockets.length < 2; i++) await tick();
  const again = sockets[1];
  assert.ok(again, 'the client reconnected');
  const join = await again.sentJoin();
  assert.equal(join.resume, 'token');
  again.burst(
    joinedFrame(join.rid, true, ['a']),
    { type: 'mlsStatus', state: 'none' },
    { type: 'participantJoined', participant: person('c') },
  );
  await tick();
  assert.deepEqual(order, ['resumed with a', 'mlsStatus', 'participantJoined c']);
  client.leave();
});
