/**
 * What the Janus adapter sends and releases, against a recording stand-in for a Janus session: a
 * failed plugin request must not leave a handle attached, and requests carry named fields only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Jsep } from '../../src/media/janus/JanusConnection.js';
import { JanusParticipant } from '../../src/media/janus/JanusParticipant.js';
import { JanusRoom } from '../../src/media/janus/JanusRoom.js';
import type { JanusNode } from '../../src/media/janus/JanusNode.js';
import type { SessionDescription } from '../../src/media/types.js';
import { TypedEmitter } from '../../src/util/TypedEmitter.js';

class FakeHandle extends TypedEmitter<{ event: []; hangup: [] }> {
  detached = false;
  readonly sent: Array<{ body: Record<string, unknown>; jsep?: Jsep }> = [];
  readonly requests: Array<Record<string, unknown>> = [];
  constructor(private readonly fail: boolean) {
    super();
  }
  async message(body: Record<string, unknown>, jsep?: Jsep) {
    this.sent.push({ body, ...(jsep ? { jsep } : {}) });
    if (this.fail) throw new Error('janus refused');
    return { data: { private_id: 7 }, jsep: { type: 'answer', sdp: 'v=0 answer' } as Jsep };
  }
  async request(body: Record<string, unknown>) {
    this.requests.push(body);
    return {};
  }
  async detach() {
    this.detached = true;
  }
}

function fakeNode(fail: () => boolean) {
  const attached: FakeHandle[] = [];
  const control = new FakeHandle(false);
  const node = {
    up: true,
    adminKey: 'k',
    rooms: new Set(),
    control,
    session: {
      attach: async () => {
        const h = new FakeHandle(fail());
        attached.push(h);
        return h;
      },
    },
  };
  return { node: node as unknown as JanusNode, attached, control };
}

const log = { warn: () => undefined } as unknown as ConstructorParameters<typeof JanusRoom>[2];

describe('Janus handles are released when a request fails', () => {
  test('a refused publisher join detaches the handle it attached and revokes the token on close', async () => {
    const { node, attached, control } = fakeNode(() => true);
    const room = new JanusRoom(node, 10, log);
    const p = new JanusParticipant(room, 'p1', 'Ada', 1, 'tok');
    await assert.rejects(p.publish({ type: 'offer', sdp: 'v=0' }, []), /janus refused/);
    assert.equal(attached.length, 1);
    assert.equal(attached[0]!.detached, true);
    p.close();
    await p.teardown;
    assert.deepEqual(
      control.requests.map((r) => [r.request, r.action]),
      [
        ['allowed', 'add'],
        ['allowed', 'remove'],
      ],
    );
  });

  test('a monitor handle that fails to join is detached', async () => {
    const { node, attached } = fakeNode(() => true);
    const room = new JanusRoom(node, 10, log);
    await assert.rejects(room.create(), /janus refused/);
    assert.equal(attached.length, 1);
    assert.equal(attached[0]!.detached, true);
  });
});

describe('Janus requests carry named fields only', () => {
  test('publish sends type and sdp of the offer, nothing else a client added', async () => {
    const { node, attached } = fakeNode(() => false);
    const room = new JanusRoom(node, 10, log);
    const p = new JanusParticipant(room, 'p1', 'Ada', 1, 'tok');
    const offer = { type: 'offer', sdp: 'v=0 offer', e2ee: true, nested: { x: 1 } } as SessionDescription;
    await p.publish(offer, [{ mid: '0', source: 'mic' }]);
    const sent = attached[0]!.sent.at(-1);
    assert.deepEqual(sent?.jsep, { type: 'offer', sdp: 'v=0 offer', trickle: false });
    assert.deepEqual(sent?.body, { request: 'publish', descriptions: [{ mid: '0', description: 'mic' }] });
  });
});

describe('A participant holds a publisher handle only once it publishes', () => {
  // Janus 1.1.2 sends every publisher participant of a room two events for each one that leaves, so a
  // publisher handle per seat made each leave cost N events (bench:storm lost 44% of a join storm).
  test('a seat that never publishes attaches no publisher handle, allows no token and revokes none', async () => {
    const { node, attached, control } = fakeNode(() => false);
    const room = new JanusRoom(node, 10, log);
    await room.create();
    const before = control.requests.length;
    const p = await room.addParticipant('p1', 'Ada');
    p.close();
    await p.teardown;
    assert.equal(attached.length, 1, 'only the monitor handle was attached');
    assert.deepEqual(control.requests.slice(before), []);
  });

  test('the first publish allows the token and joins once, even when two publishes race', async () => {
    const { node, attached, control } = fakeNode(() => false);
    const room = new JanusRoom(node, 10, log);
    const p = new JanusParticipant(room, 'p1', 'Ada', 1, 'tok');
    const offer = { type: 'offer', sdp: 'v=0' } as SessionDescription;
    await Promise.all([p.publish(offer, []), p.publish(offer, [])]);
    await p.publish(offer, []);
    assert.equal(attached.length, 1);
    const bodies = attached[0]!.sent.map((m) => m.body.request);
    assert.equal(bodies[0], 'join');
    assert.equal(bodies.filter((r) => r === 'join').length, 1);
    assert.deepEqual(
      control.requests.map((r) => [r.request, r.action, r.allowed]),
      [['allowed', 'add', ['tok']]],
    );
    p.close();
    await p.teardown;
    assert.equal(attached[0]!.detached, true);
    assert.deepEqual(control.requests.at(-1), {
      request: 'allowed',
      room: room.roomId,
      secret: room.secret,
      action: 'remove',
      allowed: ['tok'],
    });
  });

  test('a close while the publisher joins detaches the new handle and revokes the token', async () => {
    const { node, attached, control } = fakeNode(() => false);
    const room = new JanusRoom(node, 10, log);
    const p = new JanusParticipant(room, 'p1', 'Ada', 1, 'tok');
    const publishing = p.publish({ type: 'offer', sdp: 'v=0' }, []);
    p.close();
    await assert.rejects(publishing, /closed/);
    await p.teardown;
    assert.ok(attached.every((h) => h.detached));
    assert.deepEqual(
      control.requests.map((r) => r.action),
      ['add', 'remove'],
    );
  });

  test('a seat is refused while the room is not up in Janus', async () => {
    const { node } = fakeNode(() => false);
    const room = new JanusRoom(node, 10, log);
    await assert.rejects(room.addParticipant('p1', 'Ada'), /not available/);
  });
});
