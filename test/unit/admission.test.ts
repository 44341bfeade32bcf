import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admit, regionAllowed, type AdmissionRequest } from '../../src/app/admission.js';
import type { MeetingRecord } from '../../src/app/MeetingRecord.js';

const meeting = (settings: MeetingRecord['settings'] = {}, endedAt?: number): MeetingRecord => ({
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  title: 't',
  createdAt: 0,
  settings,
  ...(endedAt === undefined ? {} : { endedAt }),
});
const request = (over: Partial<AdmissionRequest>): AdmissionRequest => ({
  meeting: meeting(),
  jurisdiction: 'US',
  participantCount: 0,
  serverMaxParticipants: 500,
  ...over,
});
const refusal = (r: AdmissionRequest) => {
  const d = admit(r);
  return d.admitted ? 'admitted' : d.error.code;
};

describe('admit', () => {
  test('admits into an open meeting', () => assert.equal(refusal(request({})), 'admitted'));
  test('a missing meeting is meeting_not_found', () =>
    assert.equal(refusal(request({ meeting: undefined })), 'meeting_not_found'));
  test('an ended meeting looks exactly like a missing one', () => {
    const ended = admit(request({ meeting: meeting({}, 1) }));
    const missing = admit(request({ meeting: undefined }));
    assert.ok(!ended.admitted && !missing.admitted);
    assert.equal(ended.error.code, missing.error.code);
    assert.equal(ended.error.message, missing.error.message);
  });
  test('server ceiling and meeting limit: the lower one applies', () => {
    assert.equal(refusal(request({ participantCount: 499 })), 'admitted');
    assert.equal(refusal(request({ participantCount: 500 })), 'meeting_full');
    assert.equal(
      refusal(request({ meeting: meeting({ maxParticipants: 3 }), participantCount: 3 })),
      'meeting_full',
    );
    assert.equal(
      refusal(request({ meeting: meeting({ maxParticipants: 900 }), participantCount: 500 })),
      'meeting_full',
    );
  });
  test('deny list refuses only the listed jurisdictions', () => {
    const m = meeting({ regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } });
    assert.equal(refusal(request({ meeting: m, jurisdiction: 'CN' })), 'region_not_allowed');
    assert.equal(refusal(request({ meeting: m, jurisdiction: 'HK' })), 'admitted');
    assert.equal(refusal(request({ meeting: m, jurisdiction: 'ZZ' })), 'admitted');
  });
  test('allow list admits only the listed jurisdictions, and not unknown ones', () => {
    const m = meeting({ regionPolicy: { mode: 'allow', jurisdictions: ['US', 'HK'] } });
    assert.equal(refusal(request({ meeting: m, jurisdiction: 'HK' })), 'admitted');
    assert.equal(refusal(request({ meeting: m, jurisdiction: 'CN' })), 'region_not_allowed');
    assert.equal(refusal(request({ meeting: m, jurisdiction: 'ZZ' })), 'region_not_allowed');
  });
  test('the region check comes before capacity, so a refused region never learns the head count', () => {
    const m = meeting({ maxParticipants: 2, regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } });
    assert.equal(
      refusal(request({ meeting: m, jurisdiction: 'CN', participantCount: 2 })),
      'region_not_allowed',
    );
  });
  test('regionAllowed is the same predicate for re-checks', () => {
    assert.equal(regionAllowed({ mode: 'deny', jurisdictions: ['CN'] }, 'CN'), false);
    assert.equal(regionAllowed({ mode: 'allow', jurisdictions: ['CN'] }, 'CN'), true);
  });
});
