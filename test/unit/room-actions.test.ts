/** The reaction limit on a fake clock, and the schemas of the room actions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { Meeting } from '../../src/app/Meeting.js';
import { Participant } from '../../src/app/Participant.js';
import { MEETING_REACTION_LIMIT, REACTION_LIMIT, RoomActions } from '../../src/app/RoomActions.js';
import { ConveneError } from '../../src/errors.js';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { parseClientMessage } from '../../src/protocol/parse.js';
import { meeting as storeMeeting } from '../support/storeFixtures.js';

const MEETING = 'AAAAAAAAAAAAAAAAAAAAAA';

function fixture() {
  let now = 0;
  const meeting = new Meeting(storeMeeting({ id: MEETING }), new MemoryEngine(), pino({ level: 'silent' }));
  const sent: string[] = [];
  meeting.on('reaction', (m) => sent.push(m.reaction));
  const person = (name: string) =>
    new Participant(
      MEETING,
      name,
      'DE',
      { accountId: undefined, guestKey: name, clientKey: name },
      'participant',
    );
  const ann = person('Ann');
  const actions = new RoomActions(() => now);
  const react = (who: Participant = ann): string => {
    try {
      actions.apply(meeting, who, { v: 1, type: 'react', reaction: 'clap' });
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof ConveneError);
      return err.code;
    }
  };
  return { sent, react, person, advance: (ms: number) => (now += ms) };
}

describe('reaction limit', () => {
  test(`a burst of ${REACTION_LIMIT.burst}, then ${REACTION_LIMIT.perSecond} a second; refused ones are not sent`, () => {
    const { sent, react, advance } = fixture();
    const burst = Array.from({ length: REACTION_LIMIT.burst + 2 }, () => react());
    assert.deepEqual(burst, [...Array(REACTION_LIMIT.burst).fill('ok'), 'rate_limited', 'rate_limited']);
    assert.equal(sent.length, REACTION_LIMIT.burst);
    advance(999);
    assert.equal(react(), 'rate_limited');
    advance(1);
    assert.equal(react(), 'ok');
    assert.equal(react(), 'rate_limited');
    advance(60_000);
    assert.equal(
      Array.from({ length: 10 }, () => react()).filter((r) => r === 'ok').length,
      REACTION_LIMIT.burst,
    );
  });

  test(`a whole meeting: a burst of ${MEETING_REACTION_LIMIT.burst}, then ${MEETING_REACTION_LIMIT.perSecond} a second`, () => {
    const { sent, react, person, advance } = fixture();
    const crowd = Array.from({ length: 100 }, (_, i) => person(`p${i}`));
    const first = crowd.map((p) => react(p));
    assert.equal(first.filter((r) => r === 'ok').length, MEETING_REACTION_LIMIT.burst);
    assert.equal(sent.length, MEETING_REACTION_LIMIT.burst);
    advance(1000);
    const next = crowd.map((p) => react(p));
    assert.equal(next.filter((r) => r === 'ok').length, MEETING_REACTION_LIMIT.perSecond);
  });
});

describe('room action schemas', () => {
  const parse = (body: object) => parseClientMessage(JSON.stringify({ v: 1, ...body }));
  const code = (body: object): string => {
    try {
      parse(body);
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof ConveneError);
      return err.code;
    }
  };
  test('react takes one of the named reactions only', () => {
    assert.equal(code({ type: 'react', reaction: 'heart' }), 'ok');
    assert.equal(code({ type: 'react', reaction: '💩' }), 'bad_message');
    assert.equal(code({ type: 'react' }), 'bad_message');
  });
  test('spotlight takes a participant id or null; handOver a participant id', () => {
    assert.equal(code({ type: 'spotlight', participantId: 'abc_DEF-1' }), 'ok');
    assert.equal(code({ type: 'spotlight', participantId: null }), 'ok');
    assert.equal(code({ type: 'spotlight', participantId: 'not an id!' }), 'bad_message');
    assert.equal(code({ type: 'handOver', participantId: 'abc' }), 'ok');
    assert.equal(code({ type: 'handOver', participantId: null }), 'bad_message');
    assert.equal(code({ type: 'handOver', participantId: 'abc', extra: 1 }), 'bad_message');
  });
});
