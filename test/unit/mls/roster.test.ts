/** diffRoster (src/e2ee/mls/roster.ts): who a commit added and removed, leaf by leaf. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffRoster, type RosterMember } from '../../../src/e2ee/mls/roster.js';

const member = (leafIndex: number, participantId: string, key: number): RosterMember => ({
  leafIndex,
  participantId,
  displayName: participantId,
  signaturePublicKey: new Uint8Array(32).fill(key),
});

test('diffRoster: unchanged leaves are neither added nor removed, whatever array holds their key', () => {
  const before = [member(0, 'a', 1), member(1, 'b', 2), member(2, 'c', 3)];
  const after = [member(0, 'a', 1), member(1, 'b', 2), member(2, 'c', 3)];
  assert.deepEqual(diffRoster(before, after), { added: [], removed: [] });
});

test('diffRoster: a removal, an addition, a reused leaf and a rejoin with a new key', () => {
  const before = [member(0, 'a', 1), member(1, 'b', 2), member(2, 'c', 3), member(3, 'd', 4)];
  const after = [
    member(0, 'a', 1),
    member(1, 'e', 5), // b removed, e took the leaf
    member(2, 'c', 9), // c rejoined on the same leaf with a new key
    member(4, 'f', 6), // d removed, f added on a new leaf
  ];
  const change = diffRoster(before, after);
  assert.deepEqual(
    change.added.map((m) => m.participantId),
    ['e', 'c', 'f'],
  );
  assert.deepEqual(
    change.removed.map((m) => m.participantId),
    ['b', 'c', 'd'],
  );
});
