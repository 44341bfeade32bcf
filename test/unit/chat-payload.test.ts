/**
 * Chat over MLS (src/client/e2ee/chatPayload.ts): a receiver keeps a message only when the payload's
 * `from` is the sender MLS authenticated, and shows that sender's credential name.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptChat, encodeChat } from '../../src/client/e2ee/chatPayload.js';

const bo = { participantId: 'p-bo', displayName: 'Bo' };
const entry = {
  id: 'm1',
  from: 'p-bo',
  displayName: 'whatever the sender says',
  text: 'hello',
  sentAt: 1_700_000_000_000,
};

test('a chat payload from its authenticated sender is shown with the credential name', () => {
  const shown = acceptChat(encodeChat(entry), bo, 'p-ada');
  assert.deepEqual(shown, { id: 'm1', from: 'p-bo', displayName: 'Bo', text: 'hello', sentAt: entry.sentAt });
});

test('a payload naming someone other than its sender is dropped (no speaking for another member)', () => {
  assert.equal(acceptChat(encodeChat({ ...entry, from: 'p-ada' }), bo, 'p-cy'), null);
  assert.equal(acceptChat(encodeChat(entry), { participantId: 'p-cy', displayName: 'Cy' }, 'p-ada'), null);
});

test('our own echo and malformed payloads are dropped', () => {
  assert.equal(acceptChat(encodeChat(entry), bo, 'p-bo'), null);
  const bad = (x: unknown) => acceptChat(new TextEncoder().encode(JSON.stringify(x)), bo, null);
  assert.equal(acceptChat(new TextEncoder().encode('not json'), bo, null), null);
  assert.equal(bad({ v: 2, kind: 'chat', id: 'a', text: 't', sentAt: 1, from: 'p-bo' }), null);
  assert.equal(bad({ v: 1, kind: 'note', id: 'a', text: 't', sentAt: 1, from: 'p-bo' }), null);
  assert.equal(bad({ v: 1, kind: 'chat', id: 'a', text: 'x'.repeat(4001), sentAt: 1, from: 'p-bo' }), null);
  assert.equal(bad({ v: 1, kind: 'chat', id: 'a', text: 't', sentAt: '1', from: 'p-bo' }), null);
  assert.notEqual(bad({ v: 1, kind: 'chat', id: 'a', text: 't', sentAt: 1, from: 'p-bo' }), null);
});
