import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextHands } from '../../src/client/sessionState.js';
import type { ParticipantView } from '../../src/client/types.js';
import { participantInfo } from '../support/participants.js';

const person = (id: string, handRaisedAt: number | null, joinedAt = 0): ParticipantView => ({
  ...participantInfo(id, { handRaised: handRaisedAt !== null, handRaisedAt, joinedAt }),
  isLocal: false,
});

test('the hand queue follows the server time hands went up, whatever order updates arrive in', () => {
  // A host who joins (or reloads) late sees hands already up in the order they went up.
  const fromSnapshot = nextHands([], [person('c', 300, 1), person('a', 100, 3), person('b', 200, 2)], 999);
  assert.deepEqual(
    fromSnapshot.map((h) => h.participantId),
    ['a', 'b', 'c'],
  );
  // Lowering one keeps the others in place; an unchanged queue is the same array.
  const lowered = nextHands(fromSnapshot, [person('a', null), person('b', 200), person('c', 300)], 999);
  assert.deepEqual(
    lowered.map((h) => h.participantId),
    ['b', 'c'],
  );
  assert.equal(nextHands(lowered, [person('b', 200), person('c', 300)], 999), lowered);
  // A hand raised again goes to the back.
  const again = nextHands(lowered, [person('a', 400), person('b', 200), person('c', 300)], 999);
  assert.deepEqual(
    again.map((h) => h.participantId),
    ['b', 'c', 'a'],
  );
});
