/**
 * Property: over random meetings, hosts, participants, jurisdictions and restrictions, nobody outside
 * a restriction's scope is ever refused or removed by it, and everybody inside it is: in the live
 * sweep (seated and in the lobby), at a later join, and on resume from a new location. In-process over
 * the in-memory media engine (the subject is the app layer), with a real PGlite store.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { BusRestriction } from '../../src/bus/types.js';
import { ConveneError } from '../../src/errors.js';
import { newIdentity, startApp, type AppHarness, type FakeConnection } from '../support/app.js';

const J = ['CN', 'HK', 'US', 'TW', 'DE', 'RU', 'ZZ'] as const;
let app: AppHarness;
let hosts: string[] = [];
before(async () => {
  app = await startApp();
  hosts = await Promise.all(
    [0, 1, 2].map(
      async (i) =>
        (
          await app.store.accounts.create({
            email: `prop-host-${i}-${Date.now()}@example.org`,
            displayName: `H${i}`,
            passwordHash: 'x',
          })
        ).id,
    ),
  );
});
after(() => app.close());

const scenario = fc.record({
  meetings: fc.array(fc.record({ host: fc.integer({ min: 0, max: 3 }), lobby: fc.boolean() }), {
    minLength: 1,
    maxLength: 4,
  }),
  people: fc.array(fc.record({ meeting: fc.nat(), j: fc.constantFrom(...J) }), { maxLength: 14 }),
  restrictions: fc.array(fc.record({ byHost: fc.boolean(), target: fc.nat(), j: fc.constantFrom(...J) }), {
    minLength: 1,
    maxLength: 3,
  }),
  resumeTo: fc.array(fc.constantFrom(...J), { minLength: 1, maxLength: 4 }),
});

test('withholding touches exactly the people in scope: live sweep, lobby, later joins and resume', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      run++;
      // Host 3 stands for an anonymous meeting (no account: only meeting-scoped restrictions reach it).
      const meetings = await Promise.all(
        s.meetings.map(async (m) => {
          const hostAccountId = m.host < 3 ? hosts[m.host] : undefined;
          const created = await app.meeting({ lobby: m.lobby }, hostAccountId);
          return {
            id: created.id,
            hostKey: created.hostKey,
            hostAccountId: hostAccountId ?? null,
            lobby: m.lobby,
          };
        }),
      );
      const restrictions: BusRestriction[] = s.restrictions.map((r, i) => {
        const m = meetings[r.target % meetings.length]!;
        const scope: BusRestriction['scope'] =
          r.byHost && m.hostAccountId
            ? { kind: 'host', hostAccountId: m.hostAccountId }
            : { kind: 'meeting', meetingId: m.id };
        return {
          id: `p${run}-${i}`,
          caseId: `c${run}`,
          caseRef: `CVN-2026-${String(run).padStart(4, '0')}`,
          jurisdiction: r.j,
          scope,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        };
      });
      const inScope = (m: (typeof meetings)[number], j: string) =>
        j !== 'ZZ' &&
        restrictions.some(
          (r) =>
            r.jurisdiction === j &&
            (r.scope.kind === 'meeting'
              ? r.scope.meetingId === m.id
              : r.scope.hostAccountId === m.hostAccountId),
        );
      // Hosts join first (from US), so lobbies have someone to admit; then everyone else.
      const hostConns = await Promise.all(
        meetings.map((m) =>
          app.join(
            m.id,
            'US',
            m.hostAccountId ? { identity: newIdentity(m.hostAccountId) } : { hostKey: m.hostKey },
          ),
        ),
      );
      const people: Array<{ m: (typeof meetings)[number]; j: string; conn: FakeConnection }> = [];
      for (const p of s.people) {
        const m = meetings[p.meeting % meetings.length]!;
        people.push({ m, j: p.j, conn: await app.join(m.id, p.j) });
      }
      await app.bus.publish({ type: 'restrictionsChanged', added: restrictions, lifted: [] });

      for (const { m, j, conn } of [
        ...people,
        ...hostConns.map((conn, i) => ({ m: meetings[i]!, j: 'US', conn })),
      ]) {
        const ended = conn.of('sessionEnded');
        if (inScope(m, j)) {
          assert.equal(ended.length, 1, `${j} in scope must be removed`);
          assert.equal(ended[0]?.reason, 'withheld');
        } else {
          assert.equal(ended.length, 0, `${j} out of scope must stay (${conn.outcome?.kind})`);
        }
      }
      // Later joins: refused exactly when in scope.
      for (const m of meetings) {
        for (const j of J) {
          const attempt = app.join(m.id, j);
          if (inScope(m, j)) {
            await assert.rejects(attempt, (e: unknown) => e instanceof ConveneError && e.code === 'withheld');
          } else {
            const c = await attempt;
            assert.ok(c.participant && !c.participant.closed);
          }
        }
      }
      // Resume of a seat from a new location: refused (and the seat ended) exactly when in scope there.
      const survivor = people.find((p) => p.conn.outcome?.kind === 'joined' && !p.conn.participant?.closed);
      if (survivor?.conn.participant) {
        const seat = survivor.conn.participant;
        for (const to of s.resumeTo) {
          if (seat.closed) break;
          seat.detach(survivor.conn, 60_000);
          const resume = app.service.join({
            meetingId: survivor.m.id,
            displayName: 'x',
            jurisdiction: to,
            resume: seat.resumeToken,
            identity: seat.identity,
          });
          if (inScope(survivor.m, to)) {
            await assert.rejects(resume, (e: unknown) => e instanceof ConveneError && e.code === 'withheld');
            assert.equal(seat.closed, true);
          } else {
            const r = await resume;
            assert.equal(r.kind, 'joined');
            seat.attach(survivor.conn);
          }
        }
      }
      // Clean up: lift this run's restrictions and end its meetings.
      await app.bus.publish({
        type: 'restrictionsChanged',
        added: [],
        lifted: restrictions.map((r) => r.id),
      });
      for (const m of meetings) await app.service.liveMeeting(m.id)?.end();
    }),
    { numRuns: 25, seed: 20261201 },
  );
});
