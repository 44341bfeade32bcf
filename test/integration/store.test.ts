/**
 * The store, the same suite against both back ends: PGlite in a fresh temporary directory, and
 * PostgreSQL at the URL printed by scripts/test-postgres.sh, each run in a fresh schema that is
 * dropped afterwards. When no PostgreSQL can be had, the PostgreSQL tests fail with the script's
 * message; they are never skipped.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConveneError } from '../../src/errors.js';
import { at, email, meeting, newHost, uid, useSharedStore } from '../support/storeFixtures.js';

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`store on ${backend}`, () => {
    const { store } = useSharedStore(backend);

    test('reports its back end', async () => {
      assert.equal((await store()).backend, backend);
    });

    test('accounts: create, then find by email in any case and by id', async () => {
      const s = await store();
      const mail = email('ada');
      const created = await s.accounts.create({ email: mail, displayName: 'Ada', passwordHash: 'hash-1' });
      assert.equal(created.email, mail.toLowerCase());
      assert.equal(created.displayName, 'Ada');
      assert.equal(created.passwordHash, 'hash-1');
      assert.match(created.id, /^[A-Za-z0-9_-]{22}$/);
      assert.ok(created.createdAt instanceof Date);
      assert.ok(Math.abs(created.createdAt.getTime() - Date.now()) < 60_000, 'createdAt is now');

      assert.deepEqual(await s.accounts.findByEmail(mail), created);
      assert.deepEqual(await s.accounts.findByEmail(mail.toUpperCase()), created);
      assert.deepEqual(await s.accounts.findById(created.id), created);
      assert.equal(await s.accounts.findByEmail(email('nobody')), undefined);
      assert.equal(await s.accounts.findById(uid()), undefined);
    });

    test('accounts: a taken email, in any case, rejects with email_taken', async () => {
      const s = await store();
      const mail = email('grace');
      const first = await s.accounts.create({ email: mail, displayName: 'Grace', passwordHash: 'a' });
      for (const again of [mail, mail.toUpperCase(), mail.toLowerCase()]) {
        await assert.rejects(
          s.accounts.create({ email: again, displayName: 'Other', passwordHash: 'b' }),
          (err) => err instanceof ConveneError && err.code === 'email_taken',
        );
      }
      assert.deepEqual(await s.accounts.findByEmail(mail), first, 'the first account is untouched');

      // Racing sign-ups for one address: exactly one wins.
      const racing = email('race');
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          s.accounts.create({
            email: i % 2 ? racing : racing.toUpperCase(),
            displayName: `R${i}`,
            passwordHash: 'x',
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) {
        if (r.status === 'rejected') assert.equal((r.reason as ConveneError).code, 'email_taken');
      }
    });

    test('sessions: create and find; expired and deleted ones are not found', async () => {
      const s = await store();
      const accountId = await newHost(s);
      const live = { accountId, csrfToken: uid(), expiresAt: at('2999-01-01T00:00:00.123Z') };
      const token = uid();
      await s.sessions.create(token, live);
      assert.deepEqual(await s.sessions.find(token), live);

      const expiredToken = uid();
      await s.sessions.create(expiredToken, {
        accountId,
        csrfToken: uid(),
        expiresAt: new Date(Date.now() - 1000),
      });
      assert.equal(await s.sessions.find(expiredToken), undefined);

      await s.sessions.delete(token);
      assert.equal(await s.sessions.find(token), undefined);
      await s.sessions.delete(token); // deleting again is fine
      assert.equal(await s.sessions.find(uid()), undefined);

      await assert.rejects(
        s.sessions.create(uid(), { ...live, accountId: uid() }),
        'a session for an unknown account is refused',
      );
    });

    test('meetings: create and get round-trip every field', async () => {
      const s = await store();
      const hostAccountId = await newHost(s);
      const row = meeting({
        title: 'Board meeting',
        hostAccountId,
        scheduledFor: at('2031-05-04T09:30:00.250Z'),
        createdAt: at('2030-01-02T03:04:05.678Z'),
        locked: true,
        settings: {
          lobby: true,
          passcode: 'sesame',
          webinar: true,
          maxParticipants: 12,
          regionPolicy: { mode: 'allow', jurisdictions: ['EU', 'CH'] },
        },
      });
      assert.deepEqual(await s.meetings.create(row), row);
      assert.deepEqual(await s.meetings.get(row.id), row);

      const anonymous = meeting({ hostKeyHash: 'aGFzaA', endedAt: at('2030-01-02T05:00:00.000Z') });
      assert.deepEqual(await s.meetings.create(anonymous), anonymous);
      assert.deepEqual(await s.meetings.get(anonymous.id), anonymous);

      assert.equal(await s.meetings.get(uid()), undefined);
      await assert.rejects(s.meetings.create(row), 'a duplicate id is refused');
    });

    test('meetings: update merges settings key by key and returns the updated row', async () => {
      const s = await store();
      const row = meeting({
        settings: {
          lobby: true,
          passcode: 'old',
          webinar: false,
          maxParticipants: 50,
          regionPolicy: { mode: 'deny', jurisdictions: ['RU'] },
        },
      });
      await s.meetings.create(row);

      const updated = await s.meetings.update(row.id, { settings: { passcode: 'new', webinar: true } });
      const expected = { ...row, settings: { ...row.settings, passcode: 'new', webinar: true } };
      assert.deepEqual(updated, expected);
      assert.deepEqual(await s.meetings.get(row.id), expected);

      const cleared = await s.meetings.update(row.id, {
        title: 'Renamed',
        locked: true,
        scheduledFor: at('2032-02-02T02:02:02.002Z'),
        settings: { passcode: null, regionPolicy: null, maxParticipants: null, lobby: undefined },
      });
      const expected2 = {
        ...expected,
        title: 'Renamed',
        locked: true,
        scheduledFor: at('2032-02-02T02:02:02.002Z'),
        settings: { ...expected.settings, passcode: null, regionPolicy: null, maxParticipants: null },
      };
      assert.deepEqual(cleared, expected2);
      assert.deepEqual(await s.meetings.get(row.id), expected2);

      const unscheduled = await s.meetings.update(row.id, {
        scheduledFor: null,
        settings: { regionPolicy: { mode: 'allow', jurisdictions: [] } },
      });
      assert.equal(unscheduled?.scheduledFor, null);
      assert.deepEqual(unscheduled?.settings.regionPolicy, { mode: 'allow', jurisdictions: [] });

      assert.deepEqual(await s.meetings.update(row.id, {}), unscheduled, 'an empty patch changes nothing');
      assert.equal(await s.meetings.update(uid(), { title: 'x' }), undefined);
      assert.equal(await s.meetings.update(uid(), {}), undefined);
    });

    test('meetings: listByHost puts scheduled meetings first by time, then the rest newest first', async () => {
      const s = await store();
      const host = await newHost(s);
      const other = await newHost(s);
      const rows = {
        oldUnscheduled: meeting({ hostAccountId: host, createdAt: at('2030-01-01T00:00:00.000Z') }),
        lateScheduled: meeting({
          hostAccountId: host,
          createdAt: at('2030-01-05T00:00:00.000Z'),
          scheduledFor: at('2030-03-01T10:00:00.000Z'),
        }),
        newUnscheduled: meeting({ hostAccountId: host, createdAt: at('2030-01-03T00:00:00.000Z') }),
        earlyScheduled: meeting({
          hostAccountId: host,
          createdAt: at('2030-01-06T00:00:00.000Z'),
          scheduledFor: at('2030-02-01T10:00:00.000Z'),
        }),
        midUnscheduled: meeting({ hostAccountId: host, createdAt: at('2030-01-02T00:00:00.000Z') }),
        othersMeeting: meeting({ hostAccountId: other }),
        anonymous: meeting({ hostKeyHash: 'k' }),
      };
      for (const r of Object.values(rows)) await s.meetings.create(r);

      const listed = await s.meetings.listByHost(host);
      assert.deepEqual(
        listed.map((r) => r.id),
        [
          rows.earlyScheduled,
          rows.lateScheduled,
          rows.newUnscheduled,
          rows.midUnscheduled,
          rows.oldUnscheduled,
        ].map((r) => r.id),
      );
      assert.deepEqual(listed[0], rows.earlyScheduled, 'full rows');
      assert.deepEqual(await s.meetings.listByHost(uid()), []);
      assert.deepEqual(
        (await s.meetings.listByHost(host, 2)).map((r) => r.id),
        [rows.earlyScheduled.id, rows.lateScheduled.id],
        'limit',
      );
      await s.meetings.end(rows.lateScheduled.id, at('2030-03-01T11:00:00.000Z'));
      await s.meetings.end(rows.oldUnscheduled.id, at('2030-03-02T11:00:00.000Z'));
      assert.ok(
        !(await s.meetings.listByHost(host)).some((r) => r.id === rows.lateScheduled.id),
        'ended meetings are not listed',
      );
      assert.deepEqual(
        (await s.meetings.listEndedByHost(host)).map((r) => [r.id, r.endedAt]),
        [
          [rows.oldUnscheduled.id, at('2030-03-02T11:00:00.000Z')],
          [rows.lateScheduled.id, at('2030-03-01T11:00:00.000Z')],
        ],
        'the history: most recently ended first, with the end time',
      );
      assert.deepEqual((await s.meetings.listEndedByHost(other)).length, 0);
    });

    test('meetings: end records the end time once', async () => {
      const s = await store();
      const row = meeting();
      await s.meetings.create(row);
      await s.meetings.end(row.id, at('2030-06-01T12:00:00.500Z'));
      assert.deepEqual((await s.meetings.get(row.id))?.endedAt, at('2030-06-01T12:00:00.500Z'));
      await s.meetings.end(row.id, at('2030-06-02T12:00:00.000Z'));
      assert.deepEqual((await s.meetings.get(row.id))?.endedAt, at('2030-06-01T12:00:00.500Z'));
      await s.meetings.end(uid(), new Date()); // unknown meeting: nothing to do
    });

    test('bans: add is idempotent; isBanned matches any of the subjects, in that meeting only', async () => {
      const s = await store();
      const m1 = meeting();
      const m2 = meeting();
      await s.meetings.create(m1);
      await s.meetings.create(m2);
      assert.equal(await s.bans.isBanned(m1.id, ['account:a']), false);
      await s.bans.add(m1.id, ['account:a']);
      await s.bans.add(m1.id, ['account:a']);
      await Promise.all([s.bans.add(m1.id, ['guest:g']), s.bans.add(m1.id, ['guest:g'])]);

      assert.equal(await s.bans.isBanned(m1.id, ['account:a']), true);
      assert.equal(await s.bans.isBanned(m1.id, ['guest:x', 'guest:g']), true);
      assert.equal(await s.bans.isBanned(m1.id, ['account:b', 'guest:x']), false);
      assert.equal(await s.bans.isBanned(m1.id, []), false);
      assert.equal(await s.bans.isBanned(m2.id, ['account:a', 'guest:g']), false);
      await assert.rejects(s.bans.add(uid(), ['account:a']), 'a ban on an unknown meeting is refused');
    });

    test('bans: list returns every subject of the meeting', async () => {
      const s = await store();
      const m = meeting();
      await s.meetings.create(m);
      await s.bans.add(m.id, ['account:a']);
      await s.bans.add(m.id, ['guest:g']);
      assert.deepEqual((await s.bans.list(m.id)).sort(), ['account:a', 'guest:g']);
      assert.deepEqual(await s.bans.list(uid()), []);
    });

    test('bans: one ban groups its subjects under an id and a label; lift frees exactly that ban', async () => {
      const s = await store();
      const m = meeting();
      const other = meeting();
      await s.meetings.create(m);
      await s.meetings.create(other);
      const first = await s.bans.add(m.id, ['account:a', 'guest:g'], 'Ann');
      const second = await s.bans.add(m.id, ['guest:h'], 'Bob');
      // A subject already barred stays in its first ban.
      await s.bans.add(m.id, ['guest:g'], 'Ann again');
      const otherBan = await s.bans.add(other.id, ['guest:h'], 'Bob');
      const listed = await s.bans.bans(m.id);
      assert.deepEqual(
        listed.map((b) => [b.id, b.label, b.matches]),
        [
          [first, 'Ann', ['account', 'guest']],
          [second, 'Bob', ['guest']],
        ],
      );
      assert.deepEqual(await s.bans.lift(m.id, otherBan), [], "another meeting's ban is not lifted");
      assert.deepEqual((await s.bans.lift(m.id, first)).sort(), ['account:a', 'guest:g']);
      assert.deepEqual(await s.bans.lift(m.id, first), [], 'lifted once');
      assert.equal(await s.bans.isBanned(m.id, ['account:a', 'guest:g']), false);
      assert.equal(await s.bans.isBanned(m.id, ['guest:h']), true);
      assert.equal(await s.bans.isBanned(other.id, ['guest:h']), true);
    });

    test('transaction: commits together, rolls back together, and runs alongside other writers', async () => {
      const s = await store();
      const m = meeting();
      const committed = await s.transaction(async (tx) => {
        await tx.meetings.create(m);
        await tx.bans.add(m.id, ['guest:one']);
        return 'done';
      });
      assert.equal(committed, 'done');
      assert.ok(await s.meetings.get(m.id));
      assert.equal(await s.bans.isBanned(m.id, ['guest:one']), true);

      const failing = meeting();
      const boom = new Error('second statement failed');
      let insideSawRow = false;
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.meetings.create(failing);
          insideSawRow = (await tx.meetings.get(failing.id)) !== undefined;
          throw boom;
        }),
        (err: unknown) => err === boom,
      );
      assert.equal(insideSawRow, true, 'the transaction sees its own writes');
      assert.equal(await s.meetings.get(failing.id), undefined, 'rolled back');
      // Concurrent transactions and plain statements all land (PGlite queues them on its one connection).
      const many = Array.from({ length: 20 }, () => meeting());
      await Promise.all(
        many.map((row, i) =>
          i % 2 ? s.transaction(async (tx) => void (await tx.meetings.create(row))) : s.meetings.create(row),
        ),
      );
      for (const row of many) assert.ok(await s.meetings.get(row.id));
    });

    test('200 concurrent inserts all land', async () => {
      const s = await store();
      const host = await newHost(s);
      const rows = Array.from({ length: 200 }, (_, i) =>
        meeting({ hostAccountId: host, title: `m${i}`, createdAt: new Date(Date.UTC(2030, 0, 1, 0, 0, i)) }),
      );
      const accounts = Array.from({ length: 50 }, (_, i) => ({
        email: email(`bulk${i}`),
        displayName: `B${i}`,
        passwordHash: 'h',
      }));
      const [created] = await Promise.all([
        Promise.all(rows.map((r) => s.meetings.create(r))),
        Promise.all(accounts.map((a) => s.accounts.create(a))),
        Promise.all(rows.slice(0, 50).map(() => s.meetings.listByHost(host))), // reads interleaved
      ]);
      assert.deepEqual(created, rows);
      const listed = await s.meetings.listByHost(host);
      assert.equal(listed.length, 200);
      assert.deepEqual(
        listed.map((r) => r.id),
        [...rows].reverse().map((r) => r.id),
      );
      for (const a of accounts) assert.ok(await s.accounts.findByEmail(a.email), a.email);
    });
  });
}
