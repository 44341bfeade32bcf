import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admit, regionAllowed, type AdmissionRequest, type Joiner } from '../../src/app/admission.js';
import type { MeetingRow, MeetingSettings } from '../../src/store/types.js';

const meeting = (settings: Partial<MeetingSettings> = {}, extra: Partial<MeetingRow> = {}): MeetingRow => ({
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  title: 't',
  hostAccountId: 'host',
  hostKeyHash: null,
  scheduledFor: null,
  createdAt: new Date(0),
  endedAt: null,
  locked: false,
  settings: {
    lobby: false,
    passcode: null,
    webinar: false,
    maxParticipants: null,
    regionPolicy: null,
    ...settings,
  },
  ...extra,
});
const guest: Joiner = { jurisdiction: 'US', isHost: false, passcodeOk: true, banned: false };
const request = (
  over: Partial<Omit<AdmissionRequest, 'joiner'>> & { joiner?: Partial<Joiner> },
): AdmissionRequest => ({
  meeting: meeting(),
  participantCount: 0,
  serverMaxParticipants: 500,
  phase: 'join',
  ...over,
  joiner: { ...guest, ...over.joiner },
});
const outcome = (r: AdmissionRequest): string => {
  const d = admit(r);
  return d.admitted ? `${d.role}${d.lobby ? '+lobby' : ''}` : d.error.code;
};

describe('admit', () => {
  test('admits into an open meeting as a participant', () =>
    assert.equal(outcome(request({})), 'participant'));

  test('missing, ended and wrong-passcode meetings answer identically', () => {
    const answers = [
      admit(request({ meeting: undefined })),
      admit(request({ meeting: meeting({}, { endedAt: new Date(1) }) })),
      admit(request({ meeting: meeting({ passcode: 'x' }), joiner: { passcodeOk: false } })),
    ];
    for (const a of answers) {
      assert.ok(!a.admitted);
      assert.equal(a.error.code, 'meeting_not_found');
      assert.equal(a.error.message, (answers[0] as { error: Error }).error.message);
    }
  });

  test('the host skips passcode, lock, ban, regions, capacity and lobby', () => {
    const strict = meeting(
      {
        passcode: 'x',
        lobby: true,
        maxParticipants: 2,
        regionPolicy: { mode: 'allow', jurisdictions: ['HK'] },
      },
      { locked: true },
    );
    const host = { isHost: true, passcodeOk: false, banned: true, jurisdiction: 'CN' };
    assert.equal(outcome(request({ meeting: strict, joiner: host, participantCount: 2 })), 'host');
  });

  test('a locked meeting refuses newcomers but not live re-checks', () => {
    const locked = meeting({}, { locked: true });
    assert.equal(outcome(request({ meeting: locked })), 'meeting_locked');
    assert.equal(outcome(request({ meeting: locked, phase: 'live' })), 'participant');
  });

  test('a barred person is refused', () =>
    assert.equal(outcome(request({ joiner: { banned: true } })), 'banned'));

  test('server ceiling and meeting limit: the lower one applies', () => {
    assert.equal(outcome(request({ participantCount: 499 })), 'participant');
    assert.equal(outcome(request({ participantCount: 500 })), 'meeting_full');
    assert.equal(
      outcome(request({ meeting: meeting({ maxParticipants: 3 }), participantCount: 3 })),
      'meeting_full',
    );
    assert.equal(
      outcome(request({ meeting: meeting({ maxParticipants: 900 }), participantCount: 500 })),
      'meeting_full',
    );
  });

  test('deny list refuses only the listed jurisdictions, at join and on re-check', () => {
    const m = meeting({ regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } });
    assert.equal(outcome(request({ meeting: m, joiner: { jurisdiction: 'CN' } })), 'region_not_allowed');
    assert.equal(
      outcome(request({ meeting: m, joiner: { jurisdiction: 'CN' }, phase: 'live' })),
      'region_not_allowed',
    );
    assert.equal(outcome(request({ meeting: m, joiner: { jurisdiction: 'HK' } })), 'participant');
    assert.equal(outcome(request({ meeting: m, joiner: { jurisdiction: 'ZZ' } })), 'participant');
  });

  test('allow list admits only the listed jurisdictions, and not unknown ones', () => {
    const m = meeting({ regionPolicy: { mode: 'allow', jurisdictions: ['US', 'HK'] } });
    assert.equal(outcome(request({ meeting: m, joiner: { jurisdiction: 'HK' } })), 'participant');
    assert.equal(outcome(request({ meeting: m, joiner: { jurisdiction: 'CN' } })), 'region_not_allowed');
    assert.equal(outcome(request({ meeting: m, joiner: { jurisdiction: 'ZZ' } })), 'region_not_allowed');
  });

  test('the region check comes before capacity, so a refused region never learns the head count', () => {
    const m = meeting({ maxParticipants: 2, regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } });
    assert.equal(
      outcome(request({ meeting: m, joiner: { jurisdiction: 'CN' }, participantCount: 2 })),
      'region_not_allowed',
    );
  });

  test('lobby sends newcomers to wait; webinar makes them attendees', () => {
    assert.equal(outcome(request({ meeting: meeting({ lobby: true }) })), 'participant+lobby');
    assert.equal(outcome(request({ meeting: meeting({ webinar: true }) })), 'attendee');
    assert.equal(outcome(request({ meeting: meeting({ webinar: true, lobby: true }) })), 'attendee+lobby');
    assert.equal(outcome(request({ meeting: meeting({ lobby: true }), phase: 'live' })), 'participant');
  });

  test('regionAllowed is the same predicate for re-checks', () => {
    assert.equal(regionAllowed({ mode: 'deny', jurisdictions: ['CN'] }, 'CN'), false);
    assert.equal(regionAllowed({ mode: 'allow', jurisdictions: ['CN'] }, 'CN'), true);
  });
});
