/**
 * Issue 8: when the others are told about a seated participant. Without MLS wired in, a seat is
 * announced when taken; with it (Meeting.announceWithKeys), only when the caller says so (its KeyPackage
 * was accepted) or after the wait, and nothing about an unannounced seat reaches anyone else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { Meeting } from '../../src/app/Meeting.js';
import { broadcastMeeting } from '../../src/app/MeetingBroadcaster.js';
import { Participant } from '../../src/app/Participant.js';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { meeting as storeMeeting } from '../support/storeFixtures.js';

const MEETING = 'AAAAAAAAAAAAAAAAAAAAAA';

function fixture() {
  const meeting = new Meeting(storeMeeting({ id: MEETING }), new MemoryEngine(), pino({ level: 'silent' }));
  broadcastMeeting(meeting);
  const inbox = new Map<string, ServerMessage[]>();
  const person = (name: string) => {
    const p = new Participant(
      MEETING,
      name,
      'DE',
      { accountId: undefined, guestKey: name, clientKey: name },
      'participant',
    );
    const got: ServerMessage[] = [];
    inbox.set(name, got);
    p.attach({ send: (m) => got.push(m), replaced: () => undefined, terminate: () => undefined });
    return p;
  };
  /** What `name` was told about others, as `type id` strings. */
  const heard = (name: string) =>
    (inbox.get(name) ?? []).flatMap((m) => {
      if (m.type === 'participantJoined' || m.type === 'participantUpdated')
        return [`${m.type} ${m.participant.displayName}`];
      if (m.type === 'participantsLeft') return [`${m.type} ${m.participantIds.length}`];
      return [];
    });
  /** MLS wired in with this wait: Ada seated and announced (her KeyPackage came), Bo and Cy only seated. */
  const seatThree = async (waitMs: number) => {
    meeting.announceWithKeys(waitMs);
    const [ada, bo, cy] = [person('Ada'), person('Bo'), person('Cy')];
    await meeting.add(ada);
    meeting.announce(ada);
    await meeting.add(bo);
    await meeting.add(cy);
    return { ada, bo, cy };
  };
  return { meeting, person, heard, seatThree };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('without MLS wired in, a seat is announced when it is taken', async () => {
  const { meeting, person, heard } = fixture();
  const ada = person('Ada');
  const bo = person('Bo');
  await meeting.add(ada);
  await meeting.add(bo);
  assert.deepEqual(heard('Ada'), ['participantJoined Bo']);
  assert.deepEqual(
    meeting.announced().map((p) => p.displayName),
    ['Ada', 'Bo'],
  );
  await meeting.shutdown();
});

test('with MLS wired in, nothing about a seat reaches the others until it is announced', async () => {
  const { meeting, heard, seatThree } = fixture();
  const { bo, cy } = await seatThree(60_000);
  bo.setHand(true);
  assert.deepEqual(heard('Ada'), [], 'Bo is seated but not announced: Ada hears nothing of Bo');
  assert.deepEqual(heard('Bo'), ['participantUpdated Bo'], 'Bo itself sees its own change');
  assert.deepEqual(
    meeting.announced().map((p) => p.displayName),
    ['Ada'],
  );
  meeting.announce(bo);
  meeting.announce(bo);
  assert.deepEqual(heard('Ada'), ['participantJoined Bo'], 'announced once');
  assert.deepEqual(heard('Cy'), ['participantJoined Bo']);
  // Bo (announced) and Cy (not) leave together: the others are told of Bo only.
  await meeting.remove([bo, cy], { kind: 'left' });
  assert.deepEqual(heard('Ada'), ['participantJoined Bo', 'participantsLeft 1']);
  // A seat that left is never announced afterwards.
  meeting.announce(cy);
  assert.deepEqual(heard('Ada'), ['participantJoined Bo', 'participantsLeft 1']);
  await meeting.shutdown();
});

test('a seat whose KeyPackage never comes is announced after the wait; one that left first is not', async () => {
  const { meeting, heard, seatThree } = fixture();
  const { cy } = await seatThree(40);
  await meeting.remove([cy], { kind: 'left' });
  assert.deepEqual(heard('Ada'), []);
  for (let i = 0; i < 100 && heard('Ada').length === 0; i++) await sleep(20);
  await sleep(100);
  assert.deepEqual(heard('Ada'), ['participantJoined Bo']);
  await meeting.shutdown();
});
