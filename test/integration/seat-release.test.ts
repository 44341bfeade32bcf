/**
 * A seat counts against its client key from admission until the participant closes, whichever way it
 * ends; these are the ways out that no socket closes for. In-process over the in-memory media engine
 * (the subject is the app layer's bookkeeping; the socket-level caps are in connection-limits).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConveneError } from '../../src/errors.js';
import { newIdentity, settle, startApp, type AppHarness } from '../support/app.js';

let app: AppHarness;
before(async () => {
  app = await startApp({ maxSeatsPerClient: 1 });
});
after(() => app.close());

test('admission from the lobby refused for capacity gives the seat back', async () => {
  const { id, hostKey } = await app.meeting({ lobby: true, maxParticipants: 2 });
  const host = await app.join(id, 'US', { hostKey });
  const waiter = newIdentity();
  const first = await app.join(id, 'DE', { identity: waiter });
  const other = await app.join(id, 'DE');
  // The other one takes the last place; then the first is let in, and the meeting is full.
  await app.service.hostControl(host.participant!, {
    v: 1,
    type: 'admit',
    participantIds: [other.participant!.id],
  });
  await settle();
  await app.service.hostControl(host.participant!, {
    v: 1,
    type: 'admit',
    participantIds: [first.participant!.id],
  });
  await settle();
  assert.equal(first.of('error')[0]?.code, 'meeting_full');
  // The refused participant is gone, so once there is room the same client may wait again: its one
  // seat was given back.
  await app.service.leave(other.participant!);
  const again = await app.join(id, 'DE', { identity: waiter });
  assert.equal(again.outcome?.kind, 'lobby');
});

test('the N+1th seat is refused with too_many_seats and takes no media participant', async () => {
  const { id } = await app.meeting();
  const me = newIdentity();
  await app.join(id, 'DE', { identity: me });
  const media = app.engine.participantCount;
  await assert.rejects(
    app.join(id, 'DE', { identity: me }),
    (err: unknown) => err instanceof ConveneError && err.code === 'too_many_seats',
  );
  assert.equal(app.engine.participantCount, media);
});
