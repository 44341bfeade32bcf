/**
 * The client's comparison of the MLS group it verified with the roster the server announced
 * (src/client/e2ee/rosterView.ts): unannounced members, missing participants after the grace period,
 * duplicate names, identities, and when the comparison must be looked at again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRoster, type AnnouncedParticipant } from '../../src/client/e2ee/rosterView.js';
import type { RosterMember } from '../../src/e2ee/mls/index.js';

let leaves = 0;
const leaf = (participantId: string, displayName = participantId): RosterMember => ({
  participantId,
  displayName,
  leafIndex: leaves++,
  signaturePublicKey: new Uint8Array(32),
});
const announced = (
  entries: Array<[string, Partial<AnnouncedParticipant>]>,
): Map<string, AnnouncedParticipant> =>
  new Map(entries.map(([id, p]) => [id, { displayName: id, signedIn: false, since: 0, leftAt: null, ...p }]));

test('the group and the server agree: no flags', () => {
  const r = compareRoster(
    [leaf('a'), leaf('b')],
    announced([
      ['a', {}],
      ['b', { signedIn: true }],
    ]),
    'a',
    10_000,
  );
  assert.deepEqual(r.unannounced, []);
  assert.deepEqual(r.missing, []);
  assert.deepEqual(
    r.members.map((m) => [m.participantId, m.isLocal, m.identity, m.unannounced, m.duplicateName]),
    [
      ['a', true, 'guest', false, false],
      ['b', false, 'account', false, false],
    ],
  );
});

test('a member the server never announced is shown and flagged', () => {
  const r = compareRoster([leaf('a'), leaf('ghost')], announced([['a', {}]]), 'a', 0);
  assert.deepEqual(r.unannounced, ['ghost']);
  assert.equal(r.members.find((m) => m.participantId === 'ghost')?.unannounced, true);
  assert.equal(r.members.length, 2, 'the ghost is in the list');
});

test('an announced participant outside the group is missing only after the grace period', () => {
  const group = [leaf('a')];
  const server = announced([
    ['a', {}],
    ['late', { since: 1_000 }],
  ]);
  assert.deepEqual(compareRoster(group, server, 'a', 2_999, 2_000).missing, []);
  assert.deepEqual(compareRoster(group, server, 'a', 3_000, 2_000).missing, ['late']);
  assert.equal(compareRoster(group, server, 'a', 1_500, 2_000).nextCheck, 3_000);
  assert.equal(compareRoster(group, server, 'a', 3_500, 2_000).nextCheck, null, 'already due');
});

test('a participant who left stays in the group for the grace period without being a ghost', () => {
  const group = [leaf('a'), leaf('gone')];
  const server = announced([
    ['a', {}],
    ['gone', { leftAt: 5_000 }],
  ]);
  assert.deepEqual(compareRoster(group, server, 'a', 6_000, 2_000).unannounced, []);
  assert.equal(compareRoster(group, server, 'a', 6_000, 2_000).nextCheck, 7_000);
  assert.deepEqual(compareRoster(group, server, 'a', 7_000, 2_000).unannounced, ['gone']);
  // Out of the group after leaving: neither missing nor unannounced.
  const out = compareRoster([leaf('a')], server, 'a', 60_000, 2_000);
  assert.deepEqual([out.unannounced, out.missing], [[], []]);
});

test('duplicate display names are flagged on every holder', () => {
  const r = compareRoster(
    [leaf('a', 'Sam'), leaf('b', 'Sam'), leaf('c', 'Kim')],
    announced([
      ['a', {}],
      ['b', {}],
      ['c', {}],
    ]),
    'a',
    0,
  );
  assert.deepEqual(
    r.members.map((m) => m.duplicateName),
    [true, true, false],
  );
});

test('we are never missing or unannounced to ourselves', () => {
  const r = compareRoster([], announced([['me', {}]]), 'me', 100_000);
  assert.deepEqual(r.missing, []);
  const alone = compareRoster([leaf('me')], new Map(), 'me', 0);
  assert.deepEqual(alone.unannounced, []);
});
