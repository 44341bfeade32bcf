/**
 * The Janus adapter on its own, against a real Janus: removals stick at the media layer.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { JanusConnection, JanusError, type JanusSession } from '../../src/media/janus/JanusConnection.js';
import { JanusNode, VIDEOROOM } from '../../src/media/janus/JanusNode.js';
import { JanusProcess, defaultMediaIp } from '../../src/media/janus/JanusProcess.js';
import { JanusRoom } from '../../src/media/janus/JanusRoom.js';
import type { MediaParticipant } from '../../src/media/types.js';
import { iceGathered } from '../support/headless/types.js';

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

/** Publishes one audio track from a werift peer (a participant's publisher handle joins on its first publish). */
async function publishAudio(p: MediaParticipant): Promise<() => Promise<void>> {
  const pc = new RTCPeerConnection();
  const tx = pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await iceGathered(pc, 10_000);
  const answer = await p.publish({ type: 'offer', sdp: pc.localDescription?.sdp ?? '' }, [
    { mid: tx.mid ?? '0', source: 'mic' },
  ]);
  assert.equal(answer.type, 'answer');
  return () => pc.close();
}

const listParticipants = async (room: JanusRoom) =>
  (
    (await node.control.request({ request: 'listparticipants', room: room.roomId })) as {
      participants: Array<{ id: number }>;
    }
  ).participants.map((p) => p.id);

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
  const listener = await room.addParticipant('l', 'Lee');
  const stop = await publishAudio(a);
  await refused(joinWith(room, undefined));
  await refused(joinWith(room, 'made-up-token'));
  // A participant that has not published has no token in the room yet.
  await refused(joinWith(room, listener.token));
  // The issued token works (proving the refusals above are about the token, not the request).
  await joinWith(room, a.token);
  room.close();
  await stop();
});

test('a kicked participant is gone from the room and its token no longer admits anyone', async () => {
  const room = new JanusRoom(node, 10, logger);
  await room.create();
  const a = await room.addParticipant('a', 'Alice');
  const b = await room.addParticipant('b', 'Bob');
  const listener = await room.addParticipant('l', 'Lee');
  const stops = [await publishAudio(a), await publishAudio(b)];
  const before = await listParticipants(room);
  assert.ok(before.includes(a.feedId) && before.includes(b.feedId));
  assert.ok(!before.includes(listener.feedId), 'a participant that never published holds no publisher seat');
  await a.kick();
  assert.equal(a.closed, true);
  const afterKick = await listParticipants(room);
  assert.ok(!afterKick.includes(a.feedId), 'kicked participant left the Janus room');
  assert.ok(afterKick.includes(b.feedId), 'the others stay');
  await refused(joinWith(room, a.token));
  await listener.kick();
  assert.equal(listener.closed, true);
  await refused(joinWith(room, listener.token));
  room.close();
  for (const stop of stops) await stop();
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
