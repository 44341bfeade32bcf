/**
 * The acceptance scenario of jurisdiction-scoped withholding, over real signaling and a real Janus
 * with headless clients whose locations come from X-Forwarded-For through a configured trusted proxy
 * (real public addresses placed by the bundled DB-IP database).
 *
 * A public meeting hosted from the US has participants from the US, HK, TW, DE and CN. An authority of
 * CN demands that the meeting be ended and the host's account suspended. The operator can at most
 * withhold the meeting in CN: CN participants are removed and refused, everyone else keeps talking,
 * the host account is untouched and told, and the case records the demand as not done.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { SignalingError } from '../support/headless/types.js';
import { newOperator, type OperatorClient } from '../support/operators.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

const ADDRESSES = {
  US: '8.8.8.8',
  HK: '147.8.0.1',
  TW: '168.95.1.1',
  DE: '194.25.0.68',
  CN: '114.114.114.114',
  CN2: '223.5.5.5',
  CN3: '61.135.169.121',
} as const;

const logLines: string[] = [];
const apiAnswers: string[] = [];
let server: TestServer;
let host: TestHost;
let intake: OperatorClient;
let reviewer: OperatorClient;
const clients: HeadlessClient[] = [];

before(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  server = await startTestServer(
    { geo: { trustedProxies: ['127.0.0.1', '::1'] }, caseClockMs: 200, resumeWindowMs: 5000 },
    { logger: pino({ level: 'debug' }, sink), keepDataDir: true },
  );
  host = await server.signUp();
  intake = await newOperator(server, 'intake');
  reviewer = await newOperator(server, 'reviewer');
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});

/** Every message each client received, to count what the removal sent. */
const inbox = new Map<HeadlessClient, ServerMessage[]>();
const join = async (
  meetingId: string,
  name: string,
  where: keyof typeof ADDRESSES,
  extra: { cookie?: string } = {},
) => {
  const c = await HeadlessClient.join({
    url: server.url,
    meetingId,
    displayName: name,
    forwardedFor: ADDRESSES[where],
    videoPps: 30,
    ...extra,
  });
  const box: ServerMessage[] = [];
  inbox.set(c, box);
  c.events.on('message', (m) => box.push(m));
  return c;
};

const record = <T>(r: { status: number; body: T }) => {
  apiAnswers.push(JSON.stringify(r.body));
  return r;
};

describe('an authority of CN demands that a US-hosted meeting be ended and its host suspended', () => {
  let meetingId = '';
  let caseRef = '';
  let others: HeadlessClient[] = [];
  let cn: HeadlessClient[] = [];
  let hostClient: HeadlessClient;
  const hostNotices: ServerMessage[] = [];

  test('the meeting runs with participants from US, HK, TW, DE and CN', async () => {
    const created = record(
      await server.api<{ id: string; url: string }>('POST', '/api/meetings', host, { title: 'Vigil' }),
    );
    assert.equal(created.status, 201);
    meetingId = created.body.id;
    hostClient = await join(meetingId, 'Host', 'US', { cookie: host.cookie });
    hostClient.events.on('message', (m) => void (m.type === 'hostNotice' && hostNotices.push(m)));
    others = [
      hostClient,
      await join(meetingId, 'Hong Kong', 'HK'),
      await join(meetingId, 'Taipei', 'TW'),
      await join(meetingId, 'Berlin', 'DE'),
    ];
    cn = [
      await join(meetingId, 'Beijing', 'CN'),
      await join(meetingId, 'Hangzhou', 'CN2'),
      await join(meetingId, 'Shanghai', 'CN3'),
    ];
    clients.push(...others, ...cn);
    assert.equal(hostClient.joinedMessage?.self.role, 'host');
    const everyone = [...others, ...cn];
    for (const c of everyone) {
      await c.waitForMediaFrom(
        everyone.filter((o) => o !== c).map((o) => o.id),
        { timeoutMs: 20_000 },
      );
    }
  });

  test('intake records the demand; a second operator sees the scope as counts and withholds in CN only', async () => {
    const intakeRes = record(
      await intake.api<{ ref: string; status: string }>('POST', '/api/operator/cases', {
        authority: 'Cyberspace Administration (example)',
        jurisdiction: 'CN',
        legalBasis: 'Article 12 (example)',
        receivedOn: '2026-06-03',
        demands: ['end_meeting', 'suspend_account'],
        demandText: 'End the meeting and suspend the host account.',
        targets: [{ kind: 'meeting', link: `${server.url}/m/${meetingId}` }],
        evidenceNotes: 'Letter received by post.',
      }),
    );
    assert.equal(intakeRes.status, 201, JSON.stringify(intakeRes.body));
    caseRef = intakeRes.body.ref;
    assert.match(caseRef, /^CVN-\d{4}-\d{4}$/);
    // The recorder cannot decide; a second operator must.
    const scope = record(
      await reviewer.api<{ totals: Record<string, number> }>('GET', `/api/operator/cases/${caseRef}/scope`),
    );
    assert.deepEqual(scope.body.totals, { meetings: 1, liveMeetings: 1, liveParticipantsInJurisdiction: 3 });

    // Watch the media of those who stay from now on: no gap over a second is allowed.
    const maxGap = new Map<string, number>();
    const stayers = others;
    const sampler = setInterval(() => {
      const now = Date.now();
      for (const c of stayers) {
        for (const o of stayers) {
          if (o === c) continue;
          for (const kind of ['audio', 'video'] as const) {
            const got = c.received(o.id, kind);
            const key = `${c.id}<-${o.id}:${kind}`;
            maxGap.set(key, Math.max(maxGap.get(key) ?? 0, now - got.lastAt));
          }
        }
      }
    }, 50);
    const decision = record(
      await reviewer.api<{ status: string; decision: { outcome: string; notDone: string[] } }>(
        'POST',
        `/api/operator/cases/${caseRef}/decision`,
        {
          outcome: 'withhold',
          targets: [0],
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          reason: 'A valid order under local law; limited to CN.',
        },
      ),
    );
    assert.equal(decision.status, 200, JSON.stringify(decision.body));
    assert.equal(decision.body.decision.outcome, 'withheld');
    assert.deepEqual(decision.body.decision.notDone.sort(), ['end_meeting', 'suspend_account']);

    // 100% of CN participants are removed, told why, with no Rejoin offered.
    for (const c of cn) {
      await c.waitFor(() => c.debugState().socket === 'closed', 10_000);
      const m = inbox.get(c)?.find((x) => x.type === 'sessionEnded');
      assert.ok(m && m.type === 'sessionEnded', 'told why');
      assert.equal(m.reason, 'withheld');
      assert.equal(m.rejoin, false);
      assert.equal(m.withheld?.caseRef, caseRef);
      assert.match(m.withheld?.message ?? '', /not available in China in response to a legal demand/);
    }
    // The others keep talking: 0 removed, everyone still receives everyone, no gap over 1 s.
    await new Promise((r) => setTimeout(r, 2500));
    clearInterval(sampler);
    for (const c of others) {
      assert.equal(c.debugState().socket, 'open', 'not touched');
      assert.equal(
        inbox.get(c)?.some((m) => m.type === 'sessionEnded'),
        false,
      );
      await c.waitForMediaFrom(
        others.filter((o) => o !== c).map((o) => o.id),
        { timeoutMs: 5000 },
      );
      assert.deepEqual(
        [...c.participants().keys()].sort(),
        others
          .filter((o) => o !== c)
          .map((o) => o.id)
          .sort(),
      );
    }
    const worst = Math.max(...maxGap.values());
    assert.ok(worst < 1000, `largest media gap among those who stay: ${worst} ms`);
  });

  test('the others are told once, with the count and the case; the host is notified in the meeting', async () => {
    for (const c of others) {
      const notices =
        inbox.get(c)?.filter((m) => m.type === 'participantsLeft' && m.reason === 'withheld') ?? [];
      assert.equal(notices.length, 1, 'one aggregated message');
    }
    await hostClient.waitFor(() => hostNotices.length > 0, 5000);
    const n = hostNotices[0];
    assert.ok(n && n.type === 'hostNotice');
    assert.equal(n.notice.caseRef, caseRef);
  });

  test('anyone from CN who tries to join later is refused with the same notice; others still get in', async () => {
    await assert.rejects(
      join(meetingId, 'Late', 'CN'),
      (e: unknown) => e instanceof SignalingError && e.code === 'withheld',
    );
    const late = await join(meetingId, 'Late from DE', 'DE');
    clients.push(late);
    assert.equal(late.joinedMessage?.self.role, 'participant');
  });

  test('the host account is untouched: it signs in, sees the notice with an appeal path, and hosts', async () => {
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: host.email, password: 'correct horse battery' }),
    });
    assert.equal(signIn.status, 200);
    const meeting = record(
      await server.api<{ endedAt: string | null }>('GET', `/api/meetings/${meetingId}`, host),
    );
    assert.equal(meeting.body.endedAt, null, 'nothing ended the meeting');
    const notices = record(
      await server.api<{
        notices: Array<{ id: string; caseRef: string; jurisdiction: string; legalBasis: string }>;
      }>('GET', '/api/notices', host),
    );
    assert.equal(notices.body.notices.length, 1);
    assert.equal(notices.body.notices[0]?.caseRef, caseRef);
    assert.equal(notices.body.notices[0]?.legalBasis, 'Article 12 (example)');
    const second = record(await server.api<{ id: string }>('POST', '/api/meetings', host, { title: 'Next' }));
    assert.equal(second.status, 201);
  });

  test("the case's counts match, and the public notice says what was demanded and not done", async () => {
    await new Promise((r) => setTimeout(r, 600)); // one case-clock tick writes the counts
    const c = record(
      await reviewer.api<{ counts: Record<string, number>; actions: Array<{ action: string }> }>(
        'GET',
        `/api/operator/cases/${caseRef}`,
      ),
    );
    assert.deepEqual(c.body.counts, { meetingsAffected: 1, participantsWithheld: 3, joinsRefused: 1 });
    const actions = c.body.actions.map((a) => a.action);
    for (const a of [
      'case.recorded',
      'restriction.added',
      'case.decided',
      'notice.delivered',
      'withholding.enforced',
    ]) {
      assert.ok(actions.includes(a), `recorded: ${a}`);
    }
    const pub = record(
      await server.api<{
        notDone: string[];
        counts: Record<string, number>;
        action: { jurisdiction: string };
      }>('GET', `/api/public/cases/${caseRef}`),
    );
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.body.notDone.sort(), ['end_meeting', 'suspend_account']);
    assert.equal(pub.body.action.jurisdiction, 'CN');
    assert.equal(pub.body.counts.participantsWithheld, 3);
  });

  test('the host appeals; a reversal lifts the restriction at once', async () => {
    const notices = await server.api<{ notices: Array<{ id: string }> }>('GET', '/api/notices', host);
    const id = notices.body.notices[0]?.id ?? '';
    const appeal = record(
      await server.api<{ appeal: { text: string } }>('POST', `/api/notices/${id}/appeal`, host, {
        text: 'A commemoration is lawful where we are.',
      }),
    );
    assert.equal(appeal.status, 201, JSON.stringify(appeal.body));
    const queue = record(
      await reviewer.api<{ cases: Array<{ ref: string }> }>('GET', '/api/operator/appeals'),
    );
    assert.ok(queue.body.cases.some((c) => c.ref === caseRef));
    const decided = record(
      await reviewer.api<{ status: string }>('POST', `/api/operator/cases/${caseRef}/appeal-decision`, {
        outcome: 'reversed',
        reason: 'Overbroad.',
      }),
    );
    assert.equal(decided.body.status, 'reversed');
    const back = await join(meetingId, 'Back from CN', 'CN');
    clients.push(back);
    assert.equal(back.joinedMessage?.self.role, 'participant');
  });

  test('privacy: no participant address appears in the database files, the logs or any API answer', async () => {
    await server.close();
    const needles = Object.values(ADDRESSES);
    const haystacks: Array<[string, string]> = [
      ['logs', logLines.join('')],
      ['api', apiAnswers.join('\n')],
    ];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else haystacks.push([p, readFileSync(p).toString('latin1')]);
      }
    };
    walk(path.join(server.config.dataDir, 'db'));
    assert.ok(haystacks.length > 10, 'database files were read');
    assert.ok(logLines.length > 10, 'logs were captured');
    for (const [where, text] of haystacks) {
      for (const a of needles) assert.ok(!text.includes(a), `${a} found in ${where}`);
    }
  });
});
