/**
 * Reactions, the host spotlight and the host hand-over, in-process over the in-memory media engine:
 * who may do what, what everyone is told, and that every refusal is typed and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Participant } from '../../src/app/Participant.js';
import type { RoomActionMessage } from '../../src/app/RoomActions.js';
import { ConveneError } from '../../src/errors.js';
import type { ClientPayload } from '../../src/protocol/messages.js';
import { startApp, type AppHarness, type FakeConnection } from '../support/app.js';

let app: AppHarness;
before(async () => {
  app = await startApp();
});
after(() => app.close());

function seat(c: FakeConnection): Participant {
  assert.ok(c.participant, 'seated');
  return c.participant;
}

function send<K extends RoomActionMessage['type']>(
  c: FakeConnection,
  type: K,
  payload: ClientPayload<K>,
): Promise<void> {
  return app.service.hostControl(seat(c), { v: 1, type, ...payload } as RoomActionMessage);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConveneError, `a typed error, got ${String(err)}`);
    return err.code;
  }
  return 'no error';
}

async function meetingOfThree() {
  const { id, hostKey } = await app.meeting();
  const host = await app.join(id, 'US', { hostKey, name: 'Hana' });
  const ann = await app.join(id, 'DE', { name: 'Ann' });
  const bo = await app.join(id, 'HK', { name: 'Bo' });
  return { id, host, ann, bo };
}

describe('reactions', () => {
  test('a reaction reaches everyone, the sender too, with who sent it', async () => {
    const { host, ann, bo } = await meetingOfThree();
    await send(ann, 'react', { reaction: 'clap' });
    for (const c of [host, ann, bo]) {
      const got = c.of('reaction');
      assert.equal(got.length, 1);
      assert.equal(got[0]?.from, seat(ann).id);
      assert.equal(got[0]?.reaction, 'clap');
    }
  });

  test('past the limit a reaction is refused with rate_limited and nobody sees it', async () => {
    const { host, ann } = await meetingOfThree();
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push(await refusal(send(ann, 'react', { reaction: 'heart' })));
    assert.deepEqual(codes.slice(0, 5), Array(5).fill('no error'), 'a burst of 5 is fine');
    assert.ok(codes.slice(5).includes('rate_limited'), `later ones are limited: ${codes.join(',')}`);
    const accepted = codes.filter((c) => c === 'no error').length;
    assert.equal(host.of('reaction').length, accepted, 'refused reactions are not sent');
    // The limit is per participant: the host can still react.
    await send(host, 'react', { reaction: 'joy' });
    assert.equal(ann.of('reaction').at(-1)?.reaction, 'joy');
  });
});

describe('host spotlight', () => {
  test('only the host and co-hosts may spotlight; others get not_allowed and nothing changes', async () => {
    const { id, host, ann, bo } = await meetingOfThree();
    const before = host.of('meetingUpdated').length;
    assert.equal(await refusal(send(ann, 'spotlight', { participantId: seat(bo).id })), 'not_allowed');
    assert.equal(app.service.liveMeeting(id)?.spotlight, null);
    assert.equal(host.of('meetingUpdated').length, before);
    assert.equal(await refusal(send(host, 'spotlight', { participantId: 'nobody-here' })), 'not_found');
    assert.equal(app.service.liveMeeting(id)?.spotlight, null);
  });

  test('a webinar attendee cannot be spotlighted; a spotlighted panelist made attendee leaves the spotlight', async () => {
    const { id, hostKey } = await app.meeting({ webinar: true });
    const host = await app.join(id, 'US', { hostKey, name: 'Hana' });
    const att = await app.join(id, 'DE', { name: 'Ann' });
    assert.equal(seat(att).role, 'attendee');
    assert.equal(await refusal(send(host, 'spotlight', { participantId: seat(att).id })), 'bad_request');
    const setRole = (role: 'panelist' | 'attendee') =>
      app.service.hostControl(seat(host), { v: 1, type: 'setRole', participantId: seat(att).id, role });
    await setRole('panelist');
    await send(host, 'spotlight', { participantId: seat(att).id });
    assert.equal(app.service.liveMeeting(id)?.spotlight, seat(att).id);
    await setRole('attendee');
    assert.equal(app.service.liveMeeting(id)?.spotlight, null);
    assert.equal(att.of('meetingUpdated').at(-1)?.meeting.spotlight, null);
  });

  test('everyone is told, a late joiner gets it in joined, and it ends when they leave', async () => {
    const { id, host, ann, bo } = await meetingOfThree();
    await app.service.hostControl(seat(host), {
      v: 1,
      type: 'setRole',
      participantId: seat(ann).id,
      role: 'cohost',
    });
    await send(ann, 'spotlight', { participantId: seat(bo).id });
    for (const c of [host, ann, bo])
      assert.equal(c.of('meetingUpdated').at(-1)?.meeting.spotlight, seat(bo).id);
    const late = await app.join(id, 'TW', { name: 'Late' });
    assert.equal(late.of('joined')[0]?.meeting.spotlight, seat(bo).id);
    await app.service.leave(seat(bo));
    for (const c of [host, ann, late]) assert.equal(c.of('meetingUpdated').at(-1)?.meeting.spotlight, null);
    await send(host, 'spotlight', { participantId: seat(ann).id });
    await send(host, 'spotlight', { participantId: null });
    assert.equal(late.of('meetingUpdated').at(-1)?.meeting.spotlight, null);
  });
});

describe('handing the host role over', () => {
  test('refusals are typed and change nothing', async () => {
    const { host, ann, bo } = await meetingOfThree();
    await app.service.hostControl(seat(host), {
      v: 1,
      type: 'setRole',
      participantId: seat(ann).id,
      role: 'cohost',
    });
    assert.equal(await refusal(send(ann, 'handOver', { participantId: seat(bo).id })), 'not_allowed');
    assert.equal(await refusal(send(bo, 'handOver', { participantId: seat(bo).id })), 'not_allowed');
    assert.equal(await refusal(send(host, 'handOver', { participantId: seat(host).id })), 'bad_request');
    assert.equal(await refusal(send(host, 'handOver', { participantId: 'nobody-here' })), 'not_found');
    assert.deepEqual([seat(host).role, seat(ann).role, seat(bo).role], ['host', 'cohost', 'participant']);
  });

  test('the target becomes host and the sender a participant; the new host can end the meeting', async () => {
    const { id, host, ann, bo } = await meetingOfThree();
    await send(host, 'handOver', { participantId: seat(bo).id });
    assert.equal(seat(bo).role, 'host');
    assert.equal(seat(host).role, 'participant');
    const roles = new Map(ann.of('participantUpdated').map((m) => [m.participant.id, m.participant.role]));
    assert.equal(roles.get(seat(bo).id), 'host');
    assert.equal(roles.get(seat(host).id), 'participant');
    // The old host has no host powers any more.
    assert.equal(await refusal(send(host, 'handOver', { participantId: seat(ann).id })), 'not_allowed');
    assert.equal(
      await refusal(app.service.hostControl(seat(host), { v: 1, type: 'endMeeting' })),
      'not_allowed',
    );
    await app.service.leave(seat(host));
    await app.service.hostControl(seat(bo), { v: 1, type: 'endMeeting' });
    assert.equal(ann.of('sessionEnded')[0]?.reason, 'ended');
    assert.ok((await app.store.meetings.get(id))?.endedAt, 'stored as ended');
  });
});
