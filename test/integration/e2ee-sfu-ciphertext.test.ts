/**
 * Ciphertext at the SFU (issue 8, "How it must be shown to work"): two headless MLS members publish and
 * subscribe through a real Convene and a real Janus (`require_e2ee` room), and a third headless client
 * outside the MLS group (`e2ee: false`, no KeyPackage) subscribes in the same meeting.
 *
 * - The members decrypt each other's audio and video: their stamps are read after SFrame decryption.
 * - The outsider receives the RTP through Janus, but no payload holds a stamp; every frame it
 *   reassembles is exactly a frame the publisher sent after SFrame, whose bytes beyond the codec's clear
 *   prefix (VP8 frame tag and keyframe header, Opus TOC) are not the publisher's plaintext; its SFrame
 *   header names the publisher's key id (leaf index, KID context, epoch). A wrong key fails
 *   authentication, no key is `noKey`, and only the group's key for that epoch recovers the plaintext.
 * A publisher that sent plaintext fails the stamp check, the header check and the comparison.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RtpPacket } from 'werift';
import type { EpochInfo } from '../../src/client/e2ee/MlsSession.js';
import { SFrameKeyRing } from '../../src/e2ee/sframe/keyRing.js';
import { DEFAULT_KID_LAYOUT, parseMlsKid } from '../../src/e2ee/sframe/mls.js';
import { decodeHeader } from '../../src/e2ee/sframe/header.js';
import { clearPrefixLength, decryptFrame, type MediaCodec } from '../../src/e2ee/sframe/media.js';
import { toHex, type Bytes } from '../../src/e2ee/sframe/bytes.js';
import { HeadlessClient, type MediaKind } from '../support/HeadlessClient.js';
import { Vp8Depacketizer } from '../support/headless/frames.js';
import { STAMP_MAGIC, readStamp } from '../support/rtp.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
const clients: HeadlessClient[] = [];
before(async () => {
  server = await startTestServer({});
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});

const codecOf = (kind: MediaKind): MediaCodec => (kind === 'video' ? 'vp8' : 'opus');
const MAGIC = Buffer.alloc(4);
MAGIC.writeUInt32BE(STAMP_MAGIC);

/** Share of positions where two byte strings agree (1/256 expected for ciphertext against plaintext). */
/** Bytes at the same position that are equal, and how many were compared. */
function sameBytes(a: Uint8Array, b: Uint8Array): { same: number; compared: number } {
  const n = Math.min(a.length, b.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return { same, compared: n };
}

test('members decrypt each other; a subscriber outside the group gets only ciphertext through Janus', async () => {
  const meetingId = await server.createMeeting('ciphertext');
  const join = async (displayName: string, e2ee = true) => {
    const c = await HeadlessClient.join({ url: server.url, meetingId, displayName, e2ee, publish: e2ee });
    clients.push(c);
    return c;
  };
  const ada = await join('Ada');
  // Ada's frames as built and as sent (after SFrame), by the hex of the sent bytes; and her epochs.
  const sentByAda = new Map<string, { kind: MediaKind; plain: Bytes }>();
  ada.events.on('frameSent', (kind, plain, sent) => {
    if (sentByAda.size < 5000) sentByAda.set(toHex(sent), { kind, plain: Uint8Array.from(plain) });
  });
  const adaEpochs = new Map<bigint, EpochInfo>();
  ada.events.on('e2eeEpoch', (info) => adaEpochs.set(info.epoch, info));
  // Her first epoch (the group of one she created) may have begun before the listener: keep it too, as
  // her frames of that epoch can still be in flight when the outsider starts receiving.
  const first = ada.e2ee?.epoch;
  if (first) adaEpochs.set(first.epoch, first);
  const bo = await join('Bo');
  const outsider = await join('Outsider', false);
  assert.equal(outsider.e2ee, undefined, 'the outsider runs no MLS');

  // What Janus forwards to the outsider, reassembled into frames.
  const received: Record<MediaKind, Bytes[]> = { audio: [], video: [] };
  const rawPayloads: Buffer[] = [];
  const depacketizer = new Vp8Depacketizer();
  outsider.events.on('rtpReceived', (from, kind, rtp: RtpPacket) => {
    if (from !== ada.id) return;
    rawPayloads.push(Buffer.from(rtp.payload));
    const frame = kind === 'video' ? depacketizer.push(rtp) : rtp.payload;
    if (frame && received[kind].length < 200) received[kind].push(Uint8Array.from(frame));
  });

  // Both members hold the same epoch with both in the group, and decrypt each other.
  await ada.waitFor(() => {
    const [x, y] = [ada.e2ee?.epoch, bo.e2ee?.epoch];
    return x !== undefined && x.epoch === y?.epoch && x.roster.length === 2;
  }, 15_000);
  assert.equal(ada.e2ee?.epoch?.safetyCode, bo.e2ee?.epoch?.safetyCode);
  await ada.waitForMediaFrom([bo.id], { timeoutMs: 15_000 });
  await bo.waitForMediaFrom([ada.id], { timeoutMs: 15_000 });
  await outsider.waitForMediaFrom([ada.id, bo.id], { timeoutMs: 15_000 });
  await outsider.waitFor(() => received.video.length >= 40 && received.audio.length >= 40, 15_000);

  // Members: once keyed, every frame decrypts and carries a stamp read from the plaintext.
  const undecryptable = (c: HeadlessClient, from: HeadlessClient) =>
    c.received(from.id, 'audio').undecryptable + c.received(from.id, 'video').undecryptable;
  const before = [undecryptable(ada, bo), undecryptable(bo, ada)];
  const decryptedBefore = bo.received(ada.id, 'video').decrypted;
  await bo.waitFor(() => bo.received(ada.id, 'video').decrypted >= decryptedBefore + 25, 10_000);
  assert.deepEqual([undecryptable(ada, bo), undecryptable(bo, ada)], before, 'no failures once keyed');
  for (const [me, other] of [
    [ada, bo],
    [bo, ada],
  ] as const) {
    for (const kind of ['audio', 'video'] as const) {
      const r = me.received(other.id, kind);
      assert.ok(r.decrypted > 0 && r.stamped > 0, `${kind} decrypted with stamps: ${JSON.stringify(r)}`);
    }
    assert.ok(me.stats().latency.count > 0, 'latency measured from decrypted stamps');
  }

  // The outsider: RTP arrives, but no stamp and no stamp magic anywhere in it.
  for (const kind of ['audio', 'video'] as const) {
    const r = outsider.received(ada.id, kind);
    assert.ok(r.packets > 0, `${kind} packets reach the outsider`);
    assert.equal(r.stamped, 0, `no ${kind} stamp readable outside the group`);
  }
  assert.ok(rawPayloads.length > 100);
  for (const p of rawPayloads) assert.equal(p.indexOf(MAGIC), -1, 'stamp magic in a forwarded payload');

  const adaLeaf = ada.e2ee?.epoch?.leafIndex;
  const adaContext = ada.e2ee?.senderContext;
  // The rest is offline: stop the media so the checks below do not queue behind it.
  await Promise.all(clients.map((c) => c.close()));
  let checked = 0;
  const sameTotal = { audio: { same: 0, compared: 0 }, video: { same: 0, compared: 0 } };
  for (const kind of ['audio', 'video'] as const) {
    const codec = codecOf(kind);
    for (const frame of received[kind]) {
      // Exactly a frame Ada sent after SFrame: Janus forwarded it unchanged.
      const sent = sentByAda.get(toHex(frame));
      assert.ok(sent, `the outsider's ${kind} frame is one Ada sent`);
      assert.equal(sent.kind, kind);
      const n = clearPrefixLength(codec, frame);
      assert.deepEqual(frame.subarray(0, n), sent.plain.subarray(0, n), 'only the allowed clear bytes');
      const header = decodeHeader(frame.subarray(n));
      assert.ok(header, 'an SFrame header follows the clear bytes');
      const kid = parseMlsKid(DEFAULT_KID_LAYOUT, header.kid);
      assert.equal(kid.senderIndex, adaLeaf, "the KID names Ada's leaf");
      assert.equal(kid.context, adaContext, "the KID carries Ada's key ring context");
      const body = frame.subarray(n + header.bytes.length, frame.length - 16);
      const plainBody = sent.plain.subarray(n);
      assert.equal(body.length, plainBody.length);
      // Counted over all frames of the kind (below): a short audio body of 20 random bytes matches its
      // plaintext in at least one place 7% of the time, so a per-frame share would be noise.
      const match = sameBytes(body, plainBody);
      assert.ok(match.compared > 0, 'a body to compare');
      sameTotal[kind].same += match.same;
      sameTotal[kind].compared += match.compared;
      assert.equal(readStamp(Buffer.from(frame)), undefined);

      const epoch = [...adaEpochs.values()].find((e) => Number(e.epoch & 15n) === kid.epochLow);
      assert.ok(epoch, 'Ada held the epoch the KID names');
      const ring = (secret: Uint8Array) => {
        const r = new SFrameKeyRing();
        r.setEpoch(epoch.epoch, secret, kid.senderIndex + 1); // as a receiver: not Ada's own index
        return r;
      };
      const wrong = Uint8Array.from(epoch.secret, (b) => b ^ 0x5a);
      assert.deepEqual(await decryptFrame(ring(wrong), codec, frame), { ok: false, reason: 'authFailed' });
      assert.deepEqual(await decryptFrame(new SFrameKeyRing(), codec, frame), { ok: false, reason: 'noKey' });
      const right = await decryptFrame(ring(epoch.secret), codec, frame);
      assert.ok(right.ok, 'the group key of that epoch decrypts it');
      assert.deepEqual(right.data, sent.plain);
      checked++;
    }
  }
  assert.ok(checked >= 80, `checked ${checked} frames`);
  // Ciphertext matches its plaintext at a position by chance, 1 in 256; plaintext sent as is would be 100%.
  for (const kind of ['audio', 'video'] as const) {
    const { same, compared } = sameTotal[kind];
    assert.ok(
      compared > 0 && same / compared < 0.05,
      `${kind} payloads beyond the clear bytes are not plaintext (${same} of ${compared} bytes equal)`,
    );
  }
});
