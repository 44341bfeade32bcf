/** The designated committer rule: lowest leaf, skipping those passed over. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { designatedCommitter } from '../../../src/e2ee/mls/index.js';

test('lowest leaf commits; passed-over members are skipped; nobody left gives undefined', () => {
  const members = [
    { leafIndex: 3, participantId: 'old' },
    { leafIndex: 0, participantId: 'newcomer-in-reused-leaf' },
    { leafIndex: 1, participantId: 'b' },
  ];
  assert.equal(designatedCommitter(members)?.participantId, 'newcomer-in-reused-leaf');
  assert.equal(designatedCommitter(members, new Set(['newcomer-in-reused-leaf']))?.participantId, 'b');
  assert.equal(designatedCommitter(members, new Set(['newcomer-in-reused-leaf', 'b', 'old'])), undefined);
  assert.equal(designatedCommitter([]), undefined);
});
