import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  admitJoin,
  entry,
  presence,
  regionAllowed,
  type EntryFacts,
  type PresenceFacts,
} from '../../src/app/admission.js';
import { RestrictionIndex, type ActiveRestriction } from '../../src/app/restrictions.js';
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
const restriction = (over: Partial<ActiveRestriction> = {}): ActiveRestriction => ({
  id: 'r1',
  caseId: 'c1',
  caseRef: 'CVN-2026-0001',
  jurisdiction: 'CN',
  scope: { kind: 'meeting', meetingId: 'AAAAAAAAAAAAAAAAAAAAAA' },
  expiresAt: new Date(Date.now() + 86_400_000),
  ...over,
});

interface Case {
  meeting?: MeetingRow | undefined;
  jurisdiction?: string;
  isHost?: boolean;
  passcodeOk?: boolean;
  banned?: boolean;
  participantCount?: number;
  restrictions?: ActiveRestriction[];
}
const facts = (c: Case): [EntryFacts, PresenceFacts] => {
  const m = 'meeting' in c ? c.meeting : meeting();
  const isHost = c.isHost ?? false;
  return [
    {
      meeting: m,
      isHost,
      passcodeOk: c.passcodeOk ?? true,
      participantCount: c.participantCount ?? 0,
      serverMaxParticipants: 500,
    },
    {
      jurisdiction: c.jurisdiction ?? 'US',
      isHost,
      banned: c.banned ?? false,
      restrictions: c.restrictions ?? [],
      regionPolicy: m?.settings.regionPolicy ?? null,
    },
  ];
};
const outcome = (c: Case): string => {
  const d = admitJoin(...facts(c));
  return d.admitted ? `${d.role}${d.lobby ? '+lobby' : ''}` : d.error.code;
};

describe('admitJoin (reachable, then presence, then entry)', () => {
  test('admits into an open meeting as a participant', () => assert.equal(outcome({}), 'participant'));

  test('missing, ended and wrong-passcode meetings answer identically, before any other rule', () => {
    const answers = [
      admitJoin(...facts({ meeting: undefined })),
      admitJoin(...facts({ meeting: meeting({}, { endedAt: new Date(1) }) })),
      admitJoin(
        ...facts({
          meeting: meeting({ passcode: 'x' }),
          passcodeOk: false,
          jurisdiction: 'CN',
          restrictions: [restriction()],
        }),
      ),
    ];
    for (const a of answers) {
      assert.ok(!a.admitted);
      assert.equal(a.error.code, 'meeting_not_found');
      assert.equal(a.error.message, (answers[0] as { error: Error }).error.message);
    }
  });

  test("the host skips the meeting's own rules: passcode, lock, ban, regions, capacity and lobby", () => {
    const strict = meeting(
      {
        passcode: 'x',
        lobby: true,
        maxParticipants: 2,
        regionPolicy: { mode: 'allow', jurisdictions: ['HK'] },
      },
      { locked: true },
    );
    assert.equal(
      outcome({
        meeting: strict,
        isHost: true,
        passcodeOk: false,
        banned: true,
        jurisdiction: 'CN',
        participantCount: 2,
      }),
      'host',
    );
  });

  test('operator restrictions bind the host too, and come before bans and region rules', () => {
    const m = meeting({ regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } });
    assert.equal(
      outcome({ meeting: m, isHost: true, jurisdiction: 'CN', restrictions: [restriction()] }),
      'withheld',
    );
    assert.equal(
      outcome({ meeting: m, banned: true, jurisdiction: 'CN', restrictions: [restriction()] }),
      'withheld',
    );
  });

  test('a withheld refusal carries the jurisdiction, the case and the public notice path', () => {
    const d = admitJoin(...facts({ jurisdiction: 'CN', restrictions: [restriction()] }));
    assert.ok(!d.admitted);
    assert.equal(d.error.details?.jurisdiction, 'CN');
    assert.equal(d.error.details?.caseRef, 'CVN-2026-0001');
    assert.equal(d.error.details?.noticePath, '/transparency/cases/CVN-2026-0001');
    assert.match(
      d.error.message,
      /not available in China in response to a legal demand\. Case CVN-2026-0001/,
    );
  });

  test('a restriction on one jurisdiction touches nobody from another, and never ZZ', () => {
    for (const j of ['US', 'HK', 'TW', 'DE', 'ZZ']) {
      assert.equal(outcome({ jurisdiction: j, restrictions: [restriction()] }), 'participant', j);
    }
  });

  test('a locked meeting refuses newcomers', () =>
    assert.equal(outcome({ meeting: meeting({}, { locked: true }) }), 'meeting_locked'));

  test('a barred person is refused', () => assert.equal(outcome({ banned: true }), 'banned'));

  test('server ceiling and meeting limit: the lower one applies', () => {
    assert.equal(outcome({ participantCount: 499 }), 'participant');
    assert.equal(outcome({ participantCount: 500 }), 'meeting_full');
    assert.equal(outcome({ meeting: meeting({ maxParticipants: 3 }), participantCount: 3 }), 'meeting_full');
    assert.equal(
      outcome({ meeting: meeting({ maxParticipants: 900 }), participantCount: 500 }),
      'meeting_full',
    );
  });

  test('deny list refuses only the listed jurisdictions; ZZ is admitted', () => {
    const m = meeting({ regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } });
    assert.equal(outcome({ meeting: m, jurisdiction: 'CN' }), 'region_not_allowed');
    assert.equal(outcome({ meeting: m, jurisdiction: 'HK' }), 'participant');
    assert.equal(outcome({ meeting: m, jurisdiction: 'ZZ' }), 'participant');
  });

  test('allow list admits only the listed jurisdictions, and not unknown ones', () => {
    const m = meeting({ regionPolicy: { mode: 'allow', jurisdictions: ['US', 'HK'] } });
    assert.equal(outcome({ meeting: m, jurisdiction: 'HK' }), 'participant');
    assert.equal(outcome({ meeting: m, jurisdiction: 'CN' }), 'region_not_allowed');
    assert.equal(outcome({ meeting: m, jurisdiction: 'ZZ' }), 'region_not_allowed');
  });

  test('presence comes before capacity and lock, so a refused person never learns the head count', () => {
    const m = meeting(
      { maxParticipants: 2, regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } },
      { locked: true },
    );
    assert.equal(outcome({ meeting: m, jurisdiction: 'CN', participantCount: 2 }), 'region_not_allowed');
  });

  test('lobby sends newcomers to wait; webinar makes them attendees', () => {
    assert.equal(outcome({ meeting: meeting({ lobby: true }) }), 'participant+lobby');
    assert.equal(outcome({ meeting: meeting({ webinar: true }) }), 'attendee');
    assert.equal(outcome({ meeting: meeting({ webinar: true, lobby: true }) }), 'attendee+lobby');
  });
});

describe('presence and entry on their own', () => {
  test('presence is the whole re-check: restrictions, then bans, then regions', () => {
    const base: PresenceFacts = {
      jurisdiction: 'CN',
      isHost: false,
      banned: false,
      restrictions: [],
      regionPolicy: null,
    };
    assert.equal(presence(base), undefined);
    assert.equal(presence({ ...base, banned: true })?.code, 'banned');
    assert.equal(
      presence({ ...base, regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } })?.code,
      'region_not_allowed',
    );
    assert.equal(presence({ ...base, banned: true, restrictions: [restriction()] })?.code, 'withheld');
    assert.equal(presence({ ...base, isHost: true, banned: true }), undefined);
  });

  test('entry alone never looks at jurisdiction', () => {
    const d = entry({
      meeting: meeting(),
      isHost: false,
      passcodeOk: true,
      participantCount: 0,
      serverMaxParticipants: 5,
    });
    assert.ok(d.admitted);
  });

  test('regionAllowed is the predicate behind region rules', () => {
    assert.equal(regionAllowed({ mode: 'deny', jurisdictions: ['CN'] }, 'CN'), false);
    assert.equal(regionAllowed({ mode: 'allow', jurisdictions: ['CN'] }, 'CN'), true);
  });
});

describe('RestrictionIndex', () => {
  test('finds restrictions by meeting and by host, and ignores expired ones', () => {
    const index = new RestrictionIndex();
    const m = meeting();
    index.put(restriction());
    index.put(restriction({ id: 'r2', scope: { kind: 'host', hostAccountId: 'host' }, jurisdiction: 'RU' }));
    index.put(restriction({ id: 'r3', scope: { kind: 'host', hostAccountId: 'other' } }));
    index.put(restriction({ id: 'r4', expiresAt: new Date(Date.now() - 1) }));
    assert.deepEqual(
      index
        .forMeeting(m)
        .map((r) => r.id)
        .sort(),
      ['r1', 'r2'],
    );
    assert.deepEqual(index.forMeeting({ id: 'x', hostAccountId: null }), []);
    index.delete('r1');
    assert.deepEqual(
      index.forMeeting(m).map((r) => r.id),
      ['r2'],
    );
  });
});
