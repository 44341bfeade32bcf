/**
 * The pre-join preview (app/preview.ts): what a viewer may see before joining, decided by admission
 * with the viewer's real facts. In-process over the in-memory media engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BusRestriction } from '../../src/bus/types.js';
import { newIdentity, startApp, type AppHarness } from '../support/app.js';

let app: AppHarness;
before(async () => {
  app = await startApp();
});
after(() => app.close());

const viewer = (jurisdiction = 'DE') => ({ jurisdiction, identity: newIdentity() });

describe('pre-join preview', () => {
  test('an open meeting shows its title, the count and the names', async () => {
    const { id, hostKey } = await app.meeting();
    assert.deepEqual(await app.service.preview(id, viewer()), {
      passcodeRequired: false,
      title: 'Meeting',
      entry: 'open',
      webinar: false,
      participants: { count: 0, names: [] },
    });
    await app.join(id, 'US', { hostKey, name: 'Hana' });
    await app.join(id, 'HK', { name: 'Bo' });
    const seen = await app.service.preview(id, viewer());
    assert.ok(!seen.passcodeRequired);
    assert.deepEqual(seen.participants, { count: 2, names: ['Hana', 'Bo'] });
  });

  test('a passcode meeting, an ended one and a made-up id answer alike', async () => {
    const withCode = await app.meeting({ passcode: 'june4th' });
    const ended = await app.meeting();
    await app.store.meetings.end(ended.id, new Date());
    const answers = await Promise.all(
      [withCode.id, ended.id, 'AAAAAAAAAAAAAAAAAAAAAA'].map((id) => app.service.preview(id, viewer())),
    );
    for (const a of answers) assert.deepEqual(a, { passcodeRequired: true });
  });

  test('behind a lobby, or in a webinar, the count without names; the host sees names', async () => {
    const account = await app.store.accounts.create({
      email: `preview${Date.now()}@example.org`,
      displayName: 'Hana',
      passwordHash: 'x',
    });
    const host = newIdentity(account.id);
    const lobby = await app.meeting({ lobby: true }, account.id);
    await app.join(lobby.id, 'US', { identity: host, name: 'Hana' });
    const guest = await app.service.preview(lobby.id, viewer());
    assert.ok(!guest.passcodeRequired);
    assert.equal(guest.entry, 'lobby');
    assert.deepEqual(guest.participants, { count: 1, names: null });
    const asHost = await app.service.preview(lobby.id, { jurisdiction: 'US', identity: host });
    assert.ok(!asHost.passcodeRequired);
    assert.deepEqual(asHost.participants.names, ['Hana']);
    const webinar = await app.meeting({ webinar: true });
    const w = await app.service.preview(webinar.id, viewer());
    assert.ok(!w.passcodeRequired && w.webinar && w.participants.names === null);
  });

  test('viewers the meeting excludes (operator withholding, host region rule) learn nothing', async () => {
    const { id, hostKey } = await app.meeting({ regionPolicy: { mode: 'deny', jurisdictions: ['RU'] } });
    await app.join(id, 'US', { hostKey, name: 'Hana' });
    const restriction: BusRestriction = {
      id: 'r-preview',
      caseId: 'case-preview',
      caseRef: 'CVN-2026-0099',
      jurisdiction: 'CN',
      scope: { kind: 'meeting', meetingId: id },
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    await app.bus.publish({ type: 'restrictionsChanged', added: [restriction], lifted: [] });
    assert.deepEqual(await app.service.preview(id, viewer('CN')), { passcodeRequired: true });
    assert.deepEqual(await app.service.preview(id, viewer('RU')), { passcodeRequired: true });
    const fine = await app.service.preview(id, viewer('TW'));
    assert.ok(!fine.passcodeRequired && fine.participants.names?.includes('Hana'));
  });

  test('a locked meeting is closed: title and count, no names', async () => {
    const { id, hostKey } = await app.meeting();
    await app.join(id, 'US', { hostKey, name: 'Hana' });
    const row = await app.store.meetings.update(id, { locked: true });
    assert.ok(row);
    app.service.liveMeeting(id)?.setRow(row);
    const seen = await app.service.preview(id, viewer());
    assert.ok(!seen.passcodeRequired);
    assert.equal(seen.entry, 'closed');
    assert.deepEqual(seen.participants, { count: 1, names: null });
  });
});
