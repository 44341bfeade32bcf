/**
 * The one removal path and the presence predicate, in-process over the in-memory media engine (the
 * subject here is the app layer; removals at a real Janus are tested in media-janus and host-controls).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BusRestriction } from '../../src/bus/types.js';
import { ConveneError } from '../../src/errors.js';
import { newIdentity, settle, startApp, type AppHarness } from '../support/app.js';

let app: AppHarness;
before(async () => {
  app = await startApp();
});
after(() => app.close());

const restriction = (
  meetingId: string,
  jurisdiction: string,
  over: Partial<BusRestriction> = {},
): BusRestriction => ({
  id: `r-${Math.random().toString(36).slice(2)}`,
  caseId: 'case-1',
  caseRef: 'CVN-2026-0001',
  jurisdiction,
  scope: { kind: 'meeting', meetingId },
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  ...over,
});

describe('one removal path', () => {
  test('a removal of several people sends ONE participantsLeft to each remaining participant', async () => {
    const { id, hostKey } = await app.meeting();
    const host = await app.join(id, 'US', { hostKey });
    const stay = await app.join(id, 'DE');
    const cn = await Promise.all([app.join(id, 'CN'), app.join(id, 'CN'), app.join(id, 'CN')]);
    const kicksBefore = app.engine.kicks;
    await app.bus.publish({ type: 'restrictionsChanged', added: [restriction(id, 'CN')], lifted: [] });
    for (const c of [host, stay]) {
      const left = c.of('participantsLeft');
      assert.equal(left.length, 1, 'one message for the batch');
      assert.equal(left[0]?.reason, 'withheld');
      assert.deepEqual([...(left[0]?.participantIds ?? [])].sort(), cn.map((c) => c.participant?.id).sort());
      assert.deepEqual(left[0]?.withheld, {
        jurisdiction: 'CN',
        count: 3,
        caseRef: 'CVN-2026-0001',
        noticePath: '/transparency/cases/CVN-2026-0001',
      });
    }
    for (const c of cn) {
      const ended = c.of('sessionEnded');
      assert.equal(ended.length, 1);
      assert.equal(ended[0]?.reason, 'withheld');
      assert.equal(ended[0]?.rejoin, false, 'no Rejoin that can only fail');
      assert.match(ended[0]?.withheld?.message ?? '', /not available in China in response to a legal demand/);
      assert.equal(c.closedWith, 4007);
    }
    assert.equal(app.engine.kicks - kicksBefore, 3, 'kicked at the media layer');
    assert.equal(app.service.liveMeeting(id)?.participants.size, 2);
    assert.equal(stay.closedWith, undefined);
    // Later joins from CN are refused with the same notice; others still get in.
    await assert.rejects(
      app.join(id, 'CN'),
      (e: unknown) => e instanceof ConveneError && e.code === 'withheld',
    );
    assert.equal((await app.join(id, 'TW')).outcome?.kind, 'joined');
  });

  test('ending a meeting of 40 sends 40 sessionEnded and no roster message at all', async () => {
    const { id, hostKey } = await app.meeting();
    const host = await app.join(id, 'US', { hostKey });
    const others = await Promise.all(Array.from({ length: 39 }, () => app.join(id, 'HK')));
    const before = [host, ...others].map((c) => c.messages.length);
    host.participant?.media; // seated
    await app.service.hostControl(host.participant!, { v: 1, type: 'endMeeting' });
    const after = [host, ...others].map((c) => c.messages.length);
    const sent = after.reduce((n, a, i) => n + a - (before[i] ?? 0), 0);
    assert.equal(sent, 40, 'exactly one frame per person');
    for (const c of [host, ...others]) assert.equal(c.of('sessionEnded').at(-1)?.reason, 'ended');
    assert.equal(app.service.liveMeeting(id), undefined);
    await assert.rejects(
      app.join(id, 'HK'),
      (e: unknown) => e instanceof ConveneError && e.code === 'meeting_not_found',
    );
  });

  test('operator restrictions bind the host too; ZZ is never in scope', async () => {
    const { id, hostKey } = await app.meeting();
    const host = await app.join(id, 'CN', { hostKey });
    const unknown = await app.join(id, 'ZZ');
    await app.bus.publish({ type: 'restrictionsChanged', added: [restriction(id, 'CN')], lifted: [] });
    assert.equal(host.of('sessionEnded')[0]?.reason, 'withheld');
    assert.equal(unknown.closedWith, undefined);
    assert.equal(unknown.of('participantsLeft')[0]?.withheld?.count, 1);
  });

  test('the lobby is swept too, and admitting from the lobby asks presence again', async () => {
    const { id, hostKey } = await app.meeting({ lobby: true });
    const host = await app.join(id, 'US', { hostKey });
    const waitingCn = await app.join(id, 'CN');
    const waitingDe = await app.join(id, 'DE');
    assert.equal(waitingCn.outcome?.kind, 'lobby');
    await app.bus.publish({ type: 'restrictionsChanged', added: [restriction(id, 'CN')], lifted: [] });
    assert.equal(waitingCn.of('sessionEnded')[0]?.reason, 'withheld', 'withheld while waiting');
    assert.equal(app.service.liveMeeting(id)?.lobby.size, 1);
    // A restriction that reached the index without a sweep (e.g. loaded at start) is still enforced
    // when a host admits: admission from the lobby asks the presence predicate with real facts.
    const waitingRu = await app.join(id, 'RU');
    app.service.restrictions.put({
      ...restriction(id, 'RU'),
      id: 'quiet',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await app.service.hostControl(host.participant!, { v: 1, type: 'admit', all: true });
    await settle();
    await settle();
    assert.equal(waitingRu.of('sessionEnded')[0]?.reason, 'withheld');
    assert.equal(waitingDe.of('joined').length, 1, 'the DE guest was seated');
  });

  test('a host edit re-checks seated and waiting people alike, with the reason and no Rejoin', async () => {
    const host = await app.store.accounts.create({
      email: `h${Date.now()}@example.org`,
      displayName: 'H',
      passwordHash: 'x',
    });
    const { id } = await app.meeting({ lobby: true }, host.id);
    const hostConn = await app.join(id, 'US', { identity: newIdentity(host.id) });
    const waitingFr = await app.join(id, 'FR');
    await app.service.hostControl(hostConn.participant!, { v: 1, type: 'admit', all: true });
    await settle();
    const seatedFr = waitingFr;
    const waitingFr2 = await app.join(id, 'FR');
    await app.service.records.update(id, host.id, {
      settings: { regionPolicy: { mode: 'deny', jurisdictions: ['FR'] } },
    });
    for (const c of [seatedFr, waitingFr2]) {
      const end = c.of('sessionEnded')[0];
      assert.equal(end?.reason, 'removed');
      assert.equal(end?.code, 'region_not_allowed');
      assert.equal(end?.rejoin, false);
    }
    assert.equal(app.service.liveMeeting(id)?.lobby.size, 0);
  });

  test('resume is re-located and re-checked: a seat resumed from a denied jurisdiction ends', async () => {
    const { id, hostKey } = await app.meeting({ regionPolicy: { mode: 'deny', jurisdictions: ['FR'] } });
    const host = await app.join(id, 'US', { hostKey });
    const de = await app.join(id, 'DE');
    const seat = de.participant!;
    seat.detach(de, 60_000);
    await assert.rejects(
      app.service.join({
        meetingId: id,
        displayName: 'x',
        jurisdiction: 'FR',
        resume: seat.resumeToken,
        identity: seat.identity,
      }),
      (e: unknown) => e instanceof ConveneError && e.code === 'region_not_allowed',
    );
    assert.equal(seat.closed, true);
    assert.equal(host.of('participantsLeft').at(-1)?.participantIds[0], seat.id);
    // The same resume from an allowed place works.
    const other = await app.join(id, 'DE');
    other.participant!.detach(other, 60_000);
    const resumed = await app.service.join({
      meetingId: id,
      displayName: 'x',
      jurisdiction: 'NL',
      resume: other.participant!.resumeToken,
      identity: other.participant!.identity,
    });
    assert.equal(resumed.kind, 'joined');
    assert.equal(other.participant!.jurisdiction, 'NL');
  });

  test('a ban ends every seat and every wait of the same browser', async () => {
    const { id, hostKey } = await app.meeting();
    const host = await app.join(id, 'US', { hostKey });
    const identity = newIdentity();
    const first = await app.join(id, 'DE', { identity });
    const second = await app.join(id, 'DE', { identity });
    await app.service.hostControl(host.participant!, {
      v: 1,
      type: 'remove',
      participantId: first.participant!.id,
      ban: true,
    });
    for (const c of [first, second]) {
      assert.equal(c.of('sessionEnded')[0]?.banned, true);
      assert.equal(c.of('sessionEnded')[0]?.rejoin, false);
    }
    assert.equal(host.of('participantsLeft').at(-1)?.participantIds.length, 2, 'one message for both seats');
    await assert.rejects(
      app.join(id, 'DE', { identity }),
      (e: unknown) => e instanceof ConveneError && e.code === 'banned',
    );
  });

  test('lifting a restriction lets people in again; an expired one never counts', async () => {
    const { id } = await app.meeting();
    const r = restriction(id, 'CN');
    await app.bus.publish({ type: 'restrictionsChanged', added: [r], lifted: [] });
    await assert.rejects(app.join(id, 'CN'));
    await app.bus.publish({ type: 'restrictionsChanged', added: [], lifted: [r.id] });
    assert.equal((await app.join(id, 'CN')).outcome?.kind, 'joined');
    const expired = restriction(id, 'RU', { expiresAt: new Date(Date.now() - 1000).toISOString() });
    await app.bus.publish({ type: 'restrictionsChanged', added: [expired], lifted: [] });
    assert.equal((await app.join(id, 'RU')).outcome?.kind, 'joined');
  });

  test('co-hosts cannot remove or bar each other; the host can', async () => {
    const { id, hostKey } = await app.meeting();
    const host = await app.join(id, 'US', { hostKey });
    const a = await app.join(id, 'DE');
    const b = await app.join(id, 'DE');
    for (const c of [a, b]) {
      await app.service.hostControl(host.participant!, {
        v: 1,
        type: 'setRole',
        participantId: c.participant!.id,
        role: 'cohost',
      });
    }
    for (const ban of [false, true]) {
      await assert.rejects(
        app.service.hostControl(a.participant!, {
          v: 1,
          type: 'remove',
          participantId: b.participant!.id,
          ban,
        }),
        (e: unknown) => e instanceof ConveneError && e.code === 'not_allowed',
      );
    }
    assert.equal(b.participant!.closed, false, 'nothing changed');
    await app.service.hostControl(host.participant!, {
      v: 1,
      type: 'remove',
      participantId: b.participant!.id,
      ban: false,
    });
    assert.equal(b.of('sessionEnded')[0]?.reason, 'removed');
  });
});
