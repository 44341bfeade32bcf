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
  constructor(private readonly fail: boolean) {
    super();
  }
  async message(body: Record<string, unknown>, jsep?: Jsep) {
    this.sent.push({ body, ...(jsep ? { jsep } : {}) });
    if (this.fail) throw new Error('janus refused');
    return { data: { private_id: 7 }, jsep: { type: 'answer', sdp: 'v=0 answer' } as Jsep };
  }
  async request() {
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
  return { node: node as unknown as JanusNode, attached };
}

const log = { warn: () => undefined } as unknown as ConstructorParameters<typeof JanusRoom>[2];

describe('Janus handles are released when a request fails', () => {
  test('a refused participant join detaches the handle it attached', async () => {
    const { node, attached } = fakeNode(() => true);
    const room = new JanusRoom(node, 10, log);
    const p = new JanusParticipant(room, 'p1', 'Ada', 1, 'tok');
    await assert.rejects(p.join(), /janus refused/);
    assert.equal(attached.length, 1);
    assert.equal(attached[0]!.detached, true);
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
    await p.join();
    const offer = { type: 'offer', sdp: 'v=0 offer', e2ee: true, nested: { x: 1 } } as SessionDescription;
    await p.publish(offer, [{ mid: '0', source: 'mic' }]);
    const sent = attached[0]!.sent.at(-1);
    assert.deepEqual(sent?.jsep, { type: 'offer', sdp: 'v=0 offer', trickle: false });
    assert.deepEqual(sent?.body, { request: 'publish', descriptions: [{ mid: '0', description: 'mic' }] });
  });
});
