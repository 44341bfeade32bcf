/**
 * MLS group basics through our wrapper: the server's external Adds committed by a member, batched adds,
 * removes, exporter (SFrame base key) agreement, the safety code, the verified roster and chat.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MLS_EXPORTER_LABEL, SFrameKeyRing, CipherSuite } from '../../../src/e2ee/sframe/index.js';
import { compareWithAnnounced, safetyCode } from '../../../src/e2ee/mls/index.js';
import { admit, deliver, newMeeting } from './harness.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function agreeOnEpoch(
  members: Iterable<{ epoch: bigint; sframeBaseKey(): Promise<Uint8Array>; safetyCode(): Promise<string> }>,
) {
  const keys = new Set<string>();
  const codes = new Set<string>();
  const epochs = new Set<bigint>();
  for (const m of members) {
    keys.add(hex(await m.sframeBaseKey()));
    codes.add(await m.safetyCode());
    epochs.add(m.epoch);
  }
  assert.equal(epochs.size, 1, 'every member is in the same epoch');
  assert.equal(keys.size, 1, 'every member derives the same SFrame base key');
  assert.equal(codes.size, 1, 'every member shows the same safety code');
  return { key: [...keys][0]!, code: [...codes][0]! };
}

test('server-proposed adds committed by a member: all agree on the exporter, code and roster', async () => {
  const h = await newMeeting('alice');
  await admit(h, 'alice', ['bob']);
  const one = await agreeOnEpoch(h.members.values());
  assert.match(one.code, /^\d{5}( \d{5}){5}$/);
  assert.equal((await h.members.get('bob')!.sframeBaseKey()).length, 16);

  // A batch of three joins costs one commit.
  await admit(h, 'bob', ['carol', 'dave', 'erin']);
  const two = await agreeOnEpoch(h.members.values());
  assert.equal(h.members.get('erin')!.epoch, 2n);
  assert.notEqual(two.key, one.key, 'a new epoch has a new SFrame key');
  assert.notEqual(two.code, one.code, 'the safety code changes when membership changes');

  const roster = h.members.get('carol')!.roster();
  assert.deepEqual(
    roster.map((m) => [m.leafIndex, m.participantId, m.displayName]),
    [
      [0, 'alice', 'Name alice'],
      [1, 'bob', 'Name bob'],
      [2, 'carol', 'Name carol'],
      [3, 'dave', 'Name dave'],
      [4, 'erin', 'Name erin'],
    ],
  );
  assert.deepEqual(compareWithAnnounced(roster, ['alice', 'bob', 'carol', 'dave', 'erin']), {
    unannounced: [],
    notInGroup: [],
  });
  const ghost = compareWithAnnounced(roster, ['alice', 'bob', 'carol', 'dave', 'frank']);
  assert.deepEqual(
    ghost.unannounced.map((m) => m.participantId),
    ['erin'],
  );
  assert.deepEqual(ghost.notInGroup, ['frank']);
});

test('a remove changes the epoch, the key and the code; the leaf is reused by the next join', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c', 'd']);
  const before = await agreeOnEpoch(h.members.values());
  const pending = await h.members.get('a')!.commit({ remove: ['b'] });
  assert.deepEqual(
    pending.change.removed.map((m) => m.participantId),
    ['b'],
  );
  await deliver(h, 'a', pending);
  assert.equal(h.members.get('b')!.active, false);
  h.members.delete('b');
  const after = await agreeOnEpoch(h.members.values());
  assert.notEqual(after.key, before.key);
  assert.notEqual(after.code, before.code);
  await admit(h, 'c', ['e']);
  assert.equal(h.members.get('e')!.leafIndex, 1, 'MLS fills the leftmost blank leaf');
  await agreeOnEpoch(h.members.values());
});

test('the exporter is RFC 9605 §5.2 base_key and feeds the SFrame key ring', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b']);
  const a = h.members.get('a')!;
  const b = h.members.get('b')!;
  assert.equal(hex(await a.sframeBaseKey()), hex(await a.export(MLS_EXPORTER_LABEL, new Uint8Array(0), 16)));
  const ringA = new SFrameKeyRing({ suite: CipherSuite.AES_128_GCM_SHA256_128 });
  const ringB = new SFrameKeyRing({ suite: CipherSuite.AES_128_GCM_SHA256_128 });
  ringA.setEpoch(a.epoch, await a.sframeBaseKey(), a.leafIndex);
  ringB.setEpoch(b.epoch, await b.sframeBaseKey(), b.leafIndex);
  const frame = new TextEncoder().encode('a video frame');
  const result = await ringB.decrypt(await ringA.encrypt(frame, new Uint8Array(0)), new Uint8Array(0));
  assert.equal(result.ok, true);
  if (result.ok) assert.equal(result.senderIndex, a.leafIndex);
});

test('application messages (chat) decrypt for members; the ciphertext does not carry the text', async () => {
  const h = await newMeeting('a');
  await admit(h, 'a', ['b', 'c']);
  const text = 'meet at the square at nine';
  const ct = await h.members.get('b')!.encryptApplication(new TextEncoder().encode(text));
  assert.ok(!Buffer.from(ct).includes(Buffer.from('square')));
  for (const id of ['a', 'c']) {
    const { data, sender } = await h.members.get(id)!.decryptApplication(ct);
    assert.equal(new TextDecoder().decode(data), text);
    // The sender is the leaf whose signature the message carries, named by its credential.
    assert.equal(sender.participantId, 'b');
    assert.equal(sender.leafIndex, h.members.get('b')!.leafIndex);
  }
  // And from another sender, the other name: the sender is not a constant.
  const fromC = await h.members.get('c')!.encryptApplication(new TextEncoder().encode('here'));
  assert.equal((await h.members.get('a')!.decryptApplication(fromC)).sender.participantId, 'c');
});

test('safety code derivation: known answer, computed independently of our code', async () => {
  // epoch_authenticator of epoch 0 of the RFC 9420 key-schedule vectors, suite 1
  // (test/fixtures/mls/key-schedule.json). Expected value computed with Python's hashlib:
  //   h = sha256(b"Convene safety code v1" + ea); [int.from_bytes(h[5*i:5*i+5], "big") % 100000 for i in range(6)]
  const ea = Buffer.from('74C3E7B084DA632EB40C304DB7686446AD385DF82CC85EC16E22253E9B3076A0', 'hex');
  assert.equal(await safetyCode(ea), EXPECTED_CODE);
  const flipped = Uint8Array.from(ea);
  flipped[0]! ^= 1;
  assert.notEqual(await safetyCode(flipped), EXPECTED_CODE);
});

const EXPECTED_CODE = '94590 40504 67118 74129 33242 95118';
