/**
 * The Janus adapter on its own, against a real Janus: removals stick at the media layer.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { JanusConnection, JanusError, type JanusSession } from '../../src/media/janus/JanusConnection.js';
import { JanusNode, VIDEOROOM } from '../../src/media/janus/JanusNode.js';
import { JanusProcess, defaultMediaIp } from '../../src/media/janus/JanusProcess.js';
import { JanusRoom } from '../../src/media/janus/JanusRoom.js';

const logger = pino({ level: 'silent' });
let dataDir: string;
let janus: JanusProcess;
let node: JanusNode;
let outsider: JanusSession;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-media-'));
  janus = new JanusProcess({
    binary: '/usr/bin/janus',
    dataDir,
    mediaIp: defaultMediaIp() ?? '127.0.0.1',
    rtpPortRange: '41000-42000',
    eventLoops: 1,
    logger,
  });
  await janus.start();
  node = new JanusNode(janus.url, janus.apiSecret, janus.adminKey, logger);
  await node.start(Date.now() + 15_000);
  // A second, independent API client: what someone holding a participant's old token could do.
  outsider = await (await JanusConnection.connect(janus.url, janus.apiSecret)).createSession();
});
after(async () => {
  outsider?.connection.close();
  node?.close();
  await janus?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function joinWith(room: JanusRoom, token: string | undefined): Promise<unknown> {
  const handle = await outsider.attach(VIDEOROOM);
  try {
    return await handle.message({
      request: 'join',
      ptype: 'publisher',
      room: room.roomId,
      ...(token ? { token } : {}),
    });
  } finally {
    handle.detach();
  }
}

const refused = async (p: Promise<unknown>) => {
  await assert.rejects(
    p,
    (err: unknown) => err instanceof JanusError && /allowed|unauthorized/i.test(err.message),
  );
};

test('the room admits only tokens Convene issued', async () => {
  const room = new JanusRoom(node, 10, logger);
  await room.create();
  const a = await room.addParticipant('a', 'Alice');
  await refused(joinWith(room, undefined));
  await refused(joinWith(room, 'made-up-token'));
  // The issued token works (proving the refusals above are about the token, not the request).
  await joinWith(room, a.token);
  room.close();
});

test('a kicked participant is gone from the room and its token no longer admits anyone', async () => {
  const room = new JanusRoom(node, 10, logger);
  await room.create();
  const a = await room.addParticipant('a', 'Alice');
  const b = await room.addParticipant('b', 'Bob');
  const before = (await node.control.request({ request: 'listparticipants', room: room.roomId })) as {
    participants: Array<{ id: number }>;
  };
  assert.ok(before.participants.some((p) => p.id === a.feedId));
  await a.kick();
  assert.equal(a.closed, true);
  const afterKick = (await node.control.request({ request: 'listparticipants', room: room.roomId })) as {
    participants: Array<{ id: number }>;
  };
  assert.ok(!afterKick.participants.some((p) => p.id === a.feedId), 'kicked participant left the Janus room');
  assert.ok(
    afterKick.participants.some((p) => p.id === b.feedId),
    'the others stay',
  );
  await refused(joinWith(room, a.token));
  room.close();
});

test('closing a room destroys it in Janus; close is idempotent', async () => {
  const room = new JanusRoom(node, 10, logger);
  await room.create();
  await room.addParticipant('a', 'Alice');
  let closes = 0;
  room.on('close', () => closes++);
  room.close();
  room.close();
  assert.equal(closes, 1);
  await new Promise((r) => setTimeout(r, 200));
  const exists = (await node.control.request({ request: 'exists', room: room.roomId })) as {
    exists: boolean;
  };
  assert.equal(exists.exists, false);
});
