/**
 * The operator side's guarantees: operator endpoints are unreachable to hosts and guests; an
 * operator acts only within its role and never decides its own case; a missing, wrong or replayed
 * one-time code is refused; every refusal changes nothing; restrictions survive a restart and an
 * expiry that fell during downtime is applied at start; `convene operator add` works while the
 * server runs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { SignalingError } from '../support/headless/types.js';
import {
  enrolAndSignIn,
  jsonCall,
  newOperator,
  totpCode,
  type OperatorClient,
} from '../support/operators.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;
const CN = '114.114.114.114';
let server: TestServer;
let host: TestHost;
let intake: OperatorClient;
let reviewer: OperatorClient;
let admin: OperatorClient;
let dataDir = '';

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-operators-'));
  server = await startTestServer(
    { dataDir, geo: { trustedProxies: ['127.0.0.1', '::1'] } },
    { keepDataDir: true },
  );
  host = await server.signUp();
  [intake, reviewer, admin] = await Promise.all([
    newOperator(server, 'intake'),
    newOperator(server, 'reviewer'),
    newOperator(server, 'admin'),
  ]);
});
after(async () => {
  await server?.close();
});

const caseCount = async () =>
  (await reviewer.api<{ cases: unknown[] }>('GET', '/api/operator/cases')).body.cases.length;
const recordCount = async () => (await server.store.record.list(0, 100_000)).length;

async function newCase(by: OperatorClient, meetingId: string, jurisdiction = 'CN') {
  const r = await by.api<{ ref: string }>('POST', '/api/operator/cases', {
    authority: 'An authority',
    jurisdiction,
    legalBasis: 'A law',
    receivedOn: '2026-11-30',
    demands: ['remove_participants'],
    targets: [{ kind: 'meeting', link: meetingId }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.ref;
}

describe('operator endpoints are unreachable to hosts and guests', () => {
  const endpoints: Array<[string, string, unknown?]> = [
    ['GET', '/api/operator/session'],
    ['DELETE', '/api/operator/session'],
    ['GET', '/api/operator/operators'],
    ['POST', '/api/operator/operators', { email: 'x@example.org', displayName: 'x', role: 'admin' }],
    ['DELETE', '/api/operator/operators/abc'],
    ['GET', '/api/operator/cases'],
    ['POST', '/api/operator/cases', { nonsense: true }],
    ['GET', '/api/operator/cases/CVN-2026-0001'],
    ['GET', '/api/operator/cases/CVN-2026-0001/scope'],
    ['POST', '/api/operator/cases/CVN-2026-0001/review', {}],
    ['POST', '/api/operator/cases/CVN-2026-0001/decision', { outcome: 'rejected', reason: 'x' }],
    ['POST', '/api/operator/cases/CVN-2026-0001/gag', { until: null, reason: 'x' }],
    ['GET', '/api/operator/appeals'],
    ['POST', '/api/operator/cases/CVN-2026-0001/appeal-decision', { outcome: 'reversed', reason: 'x' }],
    ['GET', '/api/operator/anything-else'],
  ];

  test('with a host session, a guest cookie, or nothing: operator_auth_required, and nothing changes', async () => {
    const before = [await caseCount(), await recordCount()];
    const variants: Array<Record<string, string>> = [
      { cookie: host.cookie, 'x-csrf-token': host.csrf },
      { cookie: 'convene_guest=AAAAAAAAAAAAAAAAAAAAAAAA' },
      {},
    ];
    for (const headers of variants) {
      for (const [method, p, body] of endpoints) {
        const r = await jsonCall<{ error: { code: string } }>(server.url, method, p, body, headers);
        assert.equal(r.status, 401, `${method} ${p}`);
        assert.equal(r.body.error.code, 'operator_auth_required', `${method} ${p}`);
      }
    }
    assert.deepEqual([await caseCount(), await recordCount()], before);
  });
});

describe('roles, the second person, and one-time codes', () => {
  test('intake records but cannot decide; the recorder can never decide; refusals change nothing', async () => {
    const meetingId = await server.createMeeting();
    const ref = await newCase(intake, meetingId);
    const decide = {
      outcome: 'withhold',
      targets: [0],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      reason: 'r',
    };
    const before = await recordCount();
    const byIntake = await intake.api<{ error: { code: string } }>(
      'POST',
      `/api/operator/cases/${ref}/decision`,
      decide,
    );
    assert.equal(byIntake.body.error.code, 'operator_forbidden');
    const reviewerRecords = await reviewer.api<{ error: { code: string } }>('POST', '/api/operator/cases', {
      authority: 'a',
      jurisdiction: 'CN',
      legalBasis: 'b',
      receivedOn: '2026-11-30',
      demands: ['other'],
      targets: [{ kind: 'meeting', link: meetingId }],
    });
    assert.equal(reviewerRecords.body.error.code, 'operator_forbidden');
    // An admin may record and decide, but never their own case.
    const adminRef = await newCase(admin, meetingId);
    const afterAdminCase = await recordCount();
    const own = await admin.api<{ error: { code: string } }>(
      'POST',
      `/api/operator/cases/${adminRef}/decision`,
      decide,
    );
    assert.equal(own.status, 403);
    assert.equal(own.body.error.code, 'same_operator');
    const ownReview = await admin.api<{ error: { code: string } }>(
      'POST',
      `/api/operator/cases/${adminRef}/review`,
      {},
    );
    assert.equal(ownReview.body.error.code, 'same_operator');
    assert.equal(await recordCount(), afterAdminCase, 'refusals recorded nothing');
    assert.equal(
      (await reviewer.api<{ status: string }>('GET', `/api/operator/cases/${ref}`)).body.status,
      'received',
    );
    assert.ok(afterAdminCase > before);
    // Only scoped actions exist: an expiry is required and bounded.
    const noExpiry = await reviewer.api<{ error: { code: string } }>(
      'POST',
      `/api/operator/cases/${ref}/decision`,
      { outcome: 'withhold', targets: [0], reason: 'r' },
    );
    assert.equal(noExpiry.body.error.code, 'bad_request');
    const tooLong = await reviewer.api<{ error: { code: string } }>(
      'POST',
      `/api/operator/cases/${ref}/decision`,
      { ...decide, expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() },
    );
    assert.equal(tooLong.body.error.code, 'bad_request');
    const endMeeting = await reviewer.api<{ error: { code: string } }>(
      'POST',
      `/api/operator/cases/${ref}/decision`,
      { outcome: 'end_meeting', reason: 'r' },
    );
    assert.equal(endMeeting.body.error.code, 'bad_request', 'there is no action that ends a meeting');
  });

  test('a missing, wrong or replayed code is refused at sign-in', async () => {
    const email = `codes-${Date.now()}@operators.example`;
    const { token } = await server.operators.add(
      { email, displayName: 'c', role: 'reviewer' },
      { kind: 'system' },
    );
    const op = await enrolAndSignIn(server.url, email, token); // signs in once with the current code
    const password = 'a long operator passphrase';
    const attempt = (code?: string) =>
      jsonCall<{ error?: { code: string } }>(server.url, 'POST', '/api/operator/session', {
        email,
        password,
        ...(code === undefined ? {} : { code }),
      });
    assert.equal((await attempt()).status, 400, 'missing');
    assert.equal((await attempt('000000')).body.error?.code, 'invalid_credentials', 'wrong');
    const replay = await attempt(totpCode(op.secret));
    assert.equal(replay.body.error?.code, 'invalid_credentials', 'the same code twice');
    const wrongPassword = await jsonCall<{ error: { code: string } }>(
      server.url,
      'POST',
      '/api/operator/session',
      {
        email,
        password: 'not the passphrase at all',
        code: totpCode(op.secret, Date.now() + 30_000),
      },
    );
    assert.equal(wrongPassword.body.error.code, 'invalid_credentials');
    const spentToken = await jsonCall<{ error: { code: string } }>(
      server.url,
      'POST',
      '/api/operator/enrolment',
      { token, password: 'another long passphrase' },
    );
    assert.equal(spentToken.body.error.code, 'enrolment_invalid', 'an enrolment link works once');
  });

  test('a disabled operator is signed out at once and cannot sign in', { timeout: 20_000 }, async () => {
    const victim = await newOperator(server, 'intake');
    const off = await admin.api('DELETE', `/api/operator/operators/${victim.id}`);
    assert.equal(off.status, 204);
    const r = await victim.api<{ error: { code: string } }>('GET', '/api/operator/cases');
    assert.equal(r.body.error.code, 'operator_auth_required');
  });
});

/** Runs the real command without blocking this process (which also runs the server it talks to). */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('convene operator add', () => {
  test('works while the server runs (through its admin socket) and prints a one-time link', async () => {
    const r = await run([
      'operator',
      'add',
      '--email',
      'cli@operators.example',
      '--role',
      'reviewer',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\/operator\/enrol#token=[A-Za-z0-9_-]{20,}/);
    const bad = await run(['operator', 'add', '--email', 'x@y.z', '--role', 'god', '--data-dir', dataDir]);
    assert.equal(bad.status, 2);
    const list = await run(['operator', 'list', '--data-dir', dataDir]);
    assert.match(list.stdout, /cli@operators\.example\treviewer\tpending/);
  });
});

describe('restart', () => {
  test('a restriction survives a restart; one that expired during downtime is lifted at start', async () => {
    const keep = await server.createMeeting();
    const lapse = await server.createMeeting();
    const decideWith = async (meetingId: string, expiresAt: Date) => {
      const ref = await newCase(intake, meetingId);
      const r = await reviewer.api<{ status: string }>('POST', `/api/operator/cases/${ref}/decision`, {
        outcome: 'withhold',
        targets: [0],
        expiresAt: expiresAt.toISOString(),
        reason: 'r',
      });
      assert.equal(r.body.status, 'decided');
      return ref;
    };
    await decideWith(keep, new Date(Date.now() + 86_400_000));
    const lapseRef = await decideWith(lapse, new Date(Date.now() + 1500));
    await server.close();
    await new Promise((r) => setTimeout(r, 1600)); // the short one expires while the server is down
    server = await startTestServer(
      { dataDir, geo: { trustedProxies: ['127.0.0.1', '::1'] } },
      { keepDataDir: true },
    );
    await assert.rejects(
      HeadlessClient.join({
        url: server.url,
        meetingId: keep,
        displayName: 'x',
        forwardedFor: CN,
        publish: false,
      }),
      (e: unknown) => e instanceof SignalingError && e.code === 'withheld',
    );
    const back = await HeadlessClient.join({
      url: server.url,
      meetingId: lapse,
      displayName: 'y',
      forwardedFor: CN,
      publish: false,
    });
    await back.close();
    reviewer = await newOperator(server, 'reviewer');
    const c = await reviewer.api<{ status: string; restrictions: Array<{ liftReason: string }> }>(
      'GET',
      `/api/operator/cases/${lapseRef}`,
    );
    assert.equal(c.body.status, 'expired');
    assert.equal(c.body.restrictions[0]?.liftReason, 'expired');
  });
});
