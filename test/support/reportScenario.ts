/**
 * The transparency report's scenario on a real server (its own Janus): an authority of CN demands
 * that a meeting be ended; `withheld` participants connecting from CN are in it (headless clients
 * located by X-Forwarded-For through a trusted proxy) and are removed when a second operator withholds
 * the meeting in CN; an authority of RU demands data, which is rejected. Resolves once the case clock
 * has written the withholding counts. The server must trust 127.0.0.1 as a proxy
 * (`geo.trustedProxies`) and run a fast case clock.
 */
import { HeadlessClient } from './HeadlessClient.js';
import { newOperator, type OperatorClient } from './operators.js';
import type { TestServer } from './server.js';

/** Public addresses the bundled DB-IP database places in CN. */
const CN_ADDRESSES = ['114.114.114.114', '223.5.5.5', '61.135.169.121'];

export interface ReportScenario {
  meetingId: string;
  withheldRef: string;
  rejectedRef: string;
  reviewer: OperatorClient;
  intake: OperatorClient;
  /** The day both requests were received (today, UTC). */
  receivedOn: string;
}

export async function runReportScenario(server: TestServer, withheld: number): Promise<ReportScenario> {
  const intake = await newOperator(server, 'intake');
  const reviewer = await newOperator(server, 'reviewer');
  const meetingId = await server.createMeeting('Vigil');
  const clients: HeadlessClient[] = [];
  for (let i = 0; i < withheld; i++) {
    clients.push(
      await HeadlessClient.join({
        url: server.url,
        meetingId,
        displayName: `CN ${i}`,
        forwardedFor: CN_ADDRESSES[i % CN_ADDRESSES.length],
        publish: false,
      }),
    );
  }
  const receivedOn = new Date().toISOString().slice(0, 10);
  const ok = <T>(what: string, r: { status: number; body: T }, status = 200): T => {
    if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const withheldRef = ok(
    'intake CN',
    await intake.api<{ ref: string }>('POST', '/api/operator/cases', {
      authority: 'Cyberspace Administration (example)',
      jurisdiction: 'CN',
      legalBasis: 'Article 12 (example)',
      receivedOn,
      demands: ['end_meeting', 'remove_participants'],
      demandText: 'End the meeting.',
      targets: [{ kind: 'meeting', link: `${server.url}/m/${meetingId}` }],
      evidenceNotes: 'Letter.',
    }),
    201,
  ).ref;
  ok(
    'withhold',
    await reviewer.api('POST', `/api/operator/cases/${withheldRef}/decision`, {
      outcome: 'withhold',
      targets: [0],
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      reason: 'A valid order under local law; limited to CN.',
    }),
  );
  const rejectedRef = ok(
    'intake RU',
    await intake.api<{ ref: string }>('POST', '/api/operator/cases', {
      authority: 'Roskomnadzor (example)',
      jurisdiction: 'RU',
      legalBasis: 'Law 149-FZ (example)',
      receivedOn,
      demands: ['disclose_data'],
      demandText: 'Hand over the participant list.',
      targets: [{ kind: 'link', url: 'https://example.org/somewhere' }],
      evidenceNotes: 'Email.',
    }),
    201,
  ).ref;
  ok(
    'reject',
    await reviewer.api('POST', `/api/operator/cases/${rejectedRef}/decision`, {
      outcome: 'rejected',
      reason: 'No legal basis here, and no data to hand over.',
    }),
  );
  // The sweep removes them at once; the case clock writes the count on its next tick.
  for (let attempt = 0; ; attempt++) {
    const c = await reviewer.api<{ counts: { participantsWithheld: number } }>(
      'GET',
      `/api/operator/cases/${withheldRef}`,
    );
    if (c.body.counts.participantsWithheld >= withheld) break;
    if (attempt > 150) throw new Error(`counts not written: ${JSON.stringify(c.body.counts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(clients.map((c) => c.close()));
  return { meetingId, withheldRef, rejectedRef, reviewer, intake, receivedOn };
}
