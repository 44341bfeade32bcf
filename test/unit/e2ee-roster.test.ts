/**
 * The client's comparison of the MLS group it verified with the roster the server announced
 * (src/client/e2ee/rosterView.ts): unannounced members, missing participants after the grace period
 * (short without a proposal, longer and bounded once this client processed the server's Add or Remove),
 * duplicate names, identities, and when the comparison must be looked at again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareRoster,
  type AnnouncedParticipant,
  type ProposedChange,
  type RosterInput,
} from '../../src/client/e2ee/rosterView.js';
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

const timings = { graceMs: 500, proposedGraceMs: 10_000 };
/** Compares with no proposals seen, as a member since time 0, unless told otherwise. */
const compare = (
  group: RosterMember[],
  server: Map<string, AnnouncedParticipant>,
  selfId: string,
  now: number,
  more: Partial<RosterInput> = {},
) =>
  compareRoster({
    group,
    announced: server,
    selfId,
    now,
    proposed: new Map<string, ProposedChange>(),
    memberSince: 0,
    timings,
    ...more,
  });

test('the group and the server agree: no flags', () => {
  const r = compare(
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
  assert.equal(r.nextCheck, null);
  assert.deepEqual(
    r.members.map((m) => [m.participantId, m.isLocal, m.identity, m.unannounced, m.duplicateName]),
    [
      ['a', true, 'guest', false, false],
      ['b', false, 'account', false, false],
    ],
  );
});

test('a member the server never announced is shown and flagged at once', () => {
  const r = compare([leaf('a'), leaf('ghost')], announced([['a', {}]]), 'a', 0);
  assert.deepEqual(r.unannounced, ['ghost']);
  assert.equal(r.members.find((m) => m.participantId === 'ghost')?.unannounced, true);
  assert.equal(r.members.length, 2, 'the ghost is in the list');
});

test('an announced participant with no Add proposal is missing once the short grace ends', () => {
  const group = [leaf('a')];
  const server = announced([
    ['a', {}],
    ['phantom', { since: 1_000 }],
  ]);
  assert.deepEqual(compare(group, server, 'a', 1_499).missing, []);
  assert.equal(compare(group, server, 'a', 1_200).nextCheck, 1_500, 'looked at again when the grace ends');
  assert.deepEqual(compare(group, server, 'a', 1_500).missing, ['phantom']);
  assert.equal(compare(group, server, 'a', 1_500).nextCheck, null, 'already due');
});

test('a joiner whose Add proposal this client processed waits for the commit, for a bounded time', () => {
  const group = [leaf('a')];
  const server = announced([
    ['a', {}],
    ['joiner', { since: 1_000 }],
  ]);
  const proposed = new Map<string, ProposedChange>([['joiner', 'add']]);
  assert.deepEqual(compare(group, server, 'a', 5_000, { proposed }).missing, []);
  assert.equal(compare(group, server, 'a', 5_000, { proposed }).nextCheck, 11_000);
  assert.deepEqual(compare(group, server, 'a', 11_000, { proposed }).missing, ['joiner']);
  // A Remove proposal for them is no reason to wait for an Add.
  const wrongKind = new Map<string, ProposedChange>([['joiner', 'remove']]);
  assert.deepEqual(compare(group, server, 'a', 1_500, { proposed: wrongKind }).missing, ['joiner']);
});

test('the grace starts when this client became a member, if that is later', () => {
  const group = [leaf('a')];
  const server = announced([
    ['a', {}],
    ['joiner', { since: 1_000 }],
  ]);
  // We held our first epoch at 4,000: before that we could not have seen the joiner's Add proposal.
  assert.deepEqual(compare(group, server, 'a', 4_400, { memberSince: 4_000 }).missing, []);
  assert.equal(compare(group, server, 'a', 4_400, { memberSince: 4_000 }).nextCheck, 4_500);
  assert.deepEqual(compare(group, server, 'a', 4_500, { memberSince: 4_000 }).missing, ['joiner']);
});

test('a participant who left without a Remove proposal is a ghost once the short grace ends', () => {
  const group = [leaf('a'), leaf('gone')];
  const server = announced([
    ['a', {}],
    ['gone', { leftAt: 5_000 }],
  ]);
  assert.deepEqual(compare(group, server, 'a', 5_400).unannounced, []);
  assert.equal(compare(group, server, 'a', 5_400).nextCheck, 5_500);
  assert.deepEqual(compare(group, server, 'a', 5_500).unannounced, ['gone']);
  assert.equal(compare(group, server, 'a', 5_500).members[1]?.unannounced, true, 'still shown, flagged');
  // Out of the group after leaving: neither missing nor unannounced.
  const out = compare([leaf('a')], server, 'a', 60_000);
  assert.deepEqual([out.unannounced, out.missing, out.nextCheck], [[], [], null]);
});

test('a leaver whose Remove proposal this client processed stays unflagged until the bounded grace ends', () => {
  const group = [leaf('a'), leaf('gone')];
  const server = announced([
    ['a', {}],
    ['gone', { leftAt: 5_000 }],
  ]);
  const proposed = new Map<string, ProposedChange>([['gone', 'remove']]);
  assert.deepEqual(compare(group, server, 'a', 9_000, { proposed }).unannounced, []);
  assert.equal(compare(group, server, 'a', 9_000, { proposed }).nextCheck, 15_000);
  assert.deepEqual(compare(group, server, 'a', 15_000, { proposed }).unannounced, ['gone']);
  // An Add proposal does not excuse a leaver who is still in the group.
  const wrongKind = new Map<string, ProposedChange>([['gone', 'add']]);
  assert.deepEqual(compare(group, server, 'a', 5_500, { proposed: wrongKind }).unannounced, ['gone']);
});

test('the earliest of several deadlines is the next check', () => {
  const group = [leaf('a'), leaf('gone')];
  const server = announced([
    ['a', {}],
    ['gone', { leftAt: 2_000 }],
    ['joiner', { since: 1_000 }],
    ['phantom', { since: 1_800 }],
  ]);
  const proposed = new Map<string, ProposedChange>([
    ['joiner', 'add'],
    ['gone', 'remove'],
  ]);
  const r = compare(group, server, 'a', 2_000, { proposed });
  assert.deepEqual([r.missing, r.unannounced, r.nextCheck], [[], [], 2_300]);
  const later = compare(group, server, 'a', 2_300, { proposed });
  assert.deepEqual([later.missing, later.unannounced, later.nextCheck], [['phantom'], [], 11_000]);
});

test('duplicate display names are flagged on every holder', () => {
  const r = compare(
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
  const r = compare([], announced([['me', {}]]), 'me', 100_000);
  assert.deepEqual(r.missing, []);
  const alone = compare([leaf('me')], new Map(), 'me', 0);
  assert.deepEqual(alone.unannounced, []);
});
