/**
 * The operator console and the case process in real Chromium against a real server: an admin (made
 * with `convene operator add`) enrols with a TOTP code and adds a reviewer, who enrols through the
 * console's link; the admin records a CN authority's demand against a live meeting, sees the scope as
 * counts and cannot decide it; the reviewer decides to withhold in CN only; the two participants
 * connecting from CN are removed while the host stays and is told at once; the host appeals from My
 * meetings; the public notice shows what was demanded, what was done and not done, and the counts.
 * Participants from CN are headless clients (X-Forwarded-For from the trusted loopback proxy), so the
 * run needs three browser pages only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { uiText } from '../support/ui.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const PASSWORD = 'a long operator password';

let server: TestServer;
let browser: TestBrowser;
let admin: Page;
let reviewer: Page;
let hostPage: Page;
let host: TestHost;
let meetingId = '';
/** An anonymous meeting (no account; its host holds the host key), also named in the demand. */
let anon = { id: '', hostKey: '' };
let caseRef = '';
const cn: HeadlessClient[] = [];
const cnEnded: Array<Promise<ServerMessage>> = [];

before(async () => {
  server = await startTestServer({ geo: { trustedProxies: ['127.0.0.1', '::1'] } });
  browser = await launchBrowser();
});
after(async () => {
  await Promise.allSettled(cn.map((c) => c.close()));
  await browser?.close();
  await server?.close();
});

/** `convene operator add` against the running server's data directory; resolves with the enrolment link. */
async function cliAddOperator(email: string, role: 'intake' | 'reviewer' | 'admin'): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(ROOT, 'bin/convene.js'),
      'operator',
      'add',
      '--email',
      email,
      '--role',
      role,
      '--data-dir',
      server.config.dataDir,
    ],
    { cwd: ROOT, env: { ...process.env, CONVENE_PUBLIC_URL: server.url } },
  );
  const link = /\S*\/operator\/enrol#token=\S+/.exec(stdout)?.[0];
  assert.ok(link, `an enrolment link in the command's output: ${stdout}`);
  return link;
}

/** A TOTP code for the secret at `offsetSteps` 30-second steps from now. */
function totp(uri: string, offsetSteps = 0): string {
  const otp = OTPAuth.URI.parse(uri);
  assert.ok(otp instanceof OTPAuth.TOTP);
  return otp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** Enrols through the console at `link`, then signs in; resolves with the otpauth URI. */
async function enrolAndSignIn(page: Page, link: string, email: string): Promise<string> {
  const url = new URL(link);
  await page.goto(`${server.url}${url.pathname}${url.hash}`);
  await page.getByTestId('enrol-password').fill(PASSWORD);
  await page.getByTestId('enrol-submit').click();
  const secret = (await page.getByTestId('enrol-secret').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]+=*$/);
  const uri = (await page.getByTestId('enrol-uri').innerText()).trim();
  assert.equal(OTPAuth.URI.parse(uri).secret.base32, secret);
  await page.getByTestId('enrol-code').fill(totp(uri));
  await page.getByTestId('enrol-confirm').click();
  await page.getByTestId('enrol-done').waitFor();
  await page.goto(`${server.url}/operator`);
  await page.getByTestId('operator-email').fill(email);
  await page.getByTestId('operator-password').fill(PASSWORD);
  // The enrolment code is spent (a replay is refused): the next step's code is within the window.
  await page.getByTestId('operator-code').fill(totp(uri, 1));
  await page.getByTestId('operator-signin').click();
  await page.getByTestId('console-operator').waitFor();
  return uri;
}

const sessionEnded = (client: HeadlessClient): Promise<ServerMessage> =>
  new Promise((resolve) => {
    const off = client.events.on('message', (message) => {
      if (message.type !== 'sessionEnded') return;
      off();
      resolve(message);
    });
  });

/** Waits until the public notice counts the removals (written by the server's case clock). */
async function countsWritten(ref: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await server.api<{ counts?: { participantsWithheld: number } }>(
      'GET',
      `/api/public/cases/${ref}`,
    );
    if (res.status === 200 && (res.body.counts?.participantsWithheld ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail('the case clock never wrote the withholding counts');
}

describe('operator console', () => {
  test('an admin made by the CLI enrols with a one-time code and adds a reviewer, who enrols by the link', async () => {
    admin = await browser.newPage();
    const adminLink = await cliAddOperator('ada@ops.example', 'admin');
    await enrolAndSignIn(admin, adminLink, 'ada@ops.example');
    assert.equal(await admin.getByTestId('console-operator').getAttribute('data-role'), 'admin');

    await admin.getByTestId('console-nav-operators').click();
    await admin.getByTestId('operator-add-email').fill('rex@ops.example');
    await admin.getByTestId('operator-add-name').fill('Rex Reviewer');
    await admin.getByTestId('operator-add-role').selectOption('reviewer');
    await admin.getByTestId('operator-add').click();
    const reviewerLink = (await admin.getByTestId('operator-enrolment-link').innerText()).trim();
    await admin.locator('[data-testid="operator-row"][data-email="rex@ops.example"]').waitFor();
    // An operator added by mistake is disabled (kept in the record, never deleted).
    await admin.getByTestId('operator-add-email').fill('ivy@ops.example');
    await admin.getByTestId('operator-add-name').fill('Ivy Intake');
    await admin.getByTestId('operator-add-role').selectOption('intake');
    await admin.getByTestId('operator-add').click();
    const ivy = admin.locator('[data-testid="operator-row"][data-email="ivy@ops.example"]');
    await ivy.getByTestId('operator-disable').click();
    await admin
      .locator('[data-testid="operator-row"][data-email="ivy@ops.example"][data-disabled="true"]')
      .waitFor();

    reviewer = await browser.newPage();
    await enrolAndSignIn(reviewer, reviewerLink, 'rex@ops.example');
    assert.equal(await reviewer.getByTestId('console-operator').getAttribute('data-role'), 'reviewer');
  });

  test('a host is in a live meeting with two participants connecting from CN', async () => {
    host = await server.signUp('hope@example.org');
    const created = await server.api<{ id: string }>('POST', '/api/meetings', host, {
      title: 'June 4th vigil',
    });
    assert.equal(created.status, 201);
    meetingId = created.body.id;
    const anonymous = await server.api<{ id: string; hostKey: string }>('POST', '/api/meetings', undefined, {
      title: 'Open vigil',
    });
    assert.equal(anonymous.status, 201);
    anon = { id: anonymous.body.id, hostKey: anonymous.body.hostKey };
    hostPage = await browser.newPage();
    const [name, value] = host.cookie.split('=');
    await hostPage.context().addCookies([{ name: name ?? '', value: value ?? '', url: server.url }]);
    await hostPage.goto(`${server.url}/m/${meetingId}`);
    const nameInput = hostPage.getByTestId('prejoin-name');
    await nameInput.waitFor({ timeout: 15_000 });
    if (!(await nameInput.inputValue())) await nameInput.fill('Hope Host');
    await hostPage.getByTestId('prejoin-join').click();
    await hostPage
      .locator('[data-testid="meeting-status"][data-state="joined"]')
      .waitFor({ state: 'attached', timeout: 20_000 });
    for (const [index, address] of ['114.114.114.114', '1.2.4.8'].entries()) {
      const client = await HeadlessClient.join({
        url: server.url,
        meetingId,
        displayName: `Guest ${index + 1}`,
        forwardedFor: address,
        publish: false,
      });
      cn.push(client);
      cnEnded.push(sessionEnded(client));
    }
  });

  test('the admin records the demand; the scope is counts only; the recorder cannot decide it', async () => {
    await admin.getByTestId('console-nav-new').click();
    await admin.getByTestId('intake-authority').fill('Cyberspace Administration');
    await admin.getByTestId('intake-jurisdiction').fill('XX');
    assert.equal(await admin.getByTestId('intake-submit').isDisabled(), true, 'XX is not a country code');
    await admin.getByTestId('intake-jurisdiction').fill('cn');
    await admin.getByTestId('intake-legal-basis').fill('Cybersecurity Law, art. 12');
    await admin.getByTestId('intake-demand-end_meeting').check();
    await admin.getByTestId('intake-demand-suspend_account').check();
    await admin.getByTestId('intake-demand-remove_participants').check();
    await admin.getByTestId('intake-demand-text').fill('End the vigil and suspend the host.');
    await admin.getByTestId('intake-meetings').fill(`${server.url}/m/${meetingId}\n${anon.id}`);
    await admin.getByTestId('intake-evidence').fill('Letter received by email.');
    await admin.getByTestId('intake-submit').click();
    const review = admin.getByTestId('case-review');
    await review.waitFor();
    caseRef = (await review.getAttribute('data-case-ref')) ?? '';
    assert.match(caseRef, /^CVN-\d{4}-\d{4}$/);
    assert.equal(await review.getAttribute('data-status'), 'received');

    const scope = admin.getByTestId('scope-summary');
    await scope.waitFor();
    assert.equal(await scope.getAttribute('data-meetings'), '2');
    assert.equal(await scope.getAttribute('data-live-meetings'), '1');
    assert.equal(await scope.getAttribute('data-live-participants'), '2');
    assert.match(
      await scope.innerText(),
      /only participants connecting from CN .*in 2 meetings; now 2 people in 1 live meeting/,
    );
    const notDone = await admin
      .getByTestId('not-done-item')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-demand')));
    assert.deepEqual(notDone, ['end_meeting', 'suspend_account']);

    // The recorder may not review or decide their own case, even as an admin (who may decide others).
    await admin.getByTestId('case-start-review').click();
    const refused = admin.getByTestId('console-error');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-code'), 'same_operator');
    assert.match(await refused.innerText(), /second operator/i);
    await admin.getByTestId('console-nav-cases').click();
    const row = admin.locator(`[data-testid="case-row"][data-case-ref="${caseRef}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'received');
    await admin.getByTestId('case-filter-status').selectOption('decided');
    await row.waitFor({ state: 'detached' });
  });

  test('the console speaks Traditional Chinese when asked (?lang=zh-Hant), then English again', async () => {
    await admin.goto(`${server.url}/operator/cases/${caseRef}?lang=zh-Hant`);
    await admin.getByTestId('case-review').waitFor();
    assert.equal(await admin.getByTestId('console-nav-cases').innerText(), '案件');
    await admin.getByTestId('scope-summary').waitFor();
    assert.match(await admin.getByTestId('scope-summary').innerText(), /^此決定只影響從 CN（中國）連線/);
    const text = await uiText(admin);
    for (const english of [
      'The request',
      'Scope (counts only)',
      'History',
      'Start review',
      'Sign out',
      'Demanded and not done',
      'Legal basis',
      'cannot be carried out',
      'Count again',
    ]) {
      assert.ok(!text.includes(english), `English left on the console: ${english}`);
    }
    await admin.goto(`${server.url}/operator/cases/${caseRef}?lang=en`);
    await admin.getByTestId('case-review').waitFor();
    assert.equal(await admin.getByTestId('console-nav-cases').innerText(), 'Cases');
  });

  test('the reviewer withholds the meeting in CN only: the CN participants leave, the host stays and is told', async () => {
    await reviewer.goto(`${server.url}/operator/cases/${caseRef}`);
    await reviewer.getByTestId('case-start-review').click();
    await reviewer.getByTestId('decision-form').waitFor();
    assert.equal(await reviewer.getByTestId('case-review').getAttribute('data-status'), 'under_review');
    await reviewer.getByTestId('decision-withhold').check();
    await reviewer.getByTestId('decision-reason').fill('A lawful order in CN; withheld there only.');
    assert.equal(await reviewer.getByTestId('decision-submit').isDisabled(), true, 'the expiry is required');
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await reviewer.getByTestId('decision-expires').fill(expires);

    const summary = hostPage.getByTestId('withheld-summary').waitFor({ state: 'attached', timeout: 20_000 });
    const live = hostPage.getByTestId('host-notice-live').waitFor({ timeout: 20_000 });
    await reviewer.getByTestId('decision-submit').click();
    const decision = reviewer.getByTestId('case-decision');
    await decision.waitFor();
    assert.equal(await decision.getAttribute('data-outcome'), 'withheld');

    const ended = await Promise.all(cnEnded);
    for (const message of ended) {
      assert.equal(message.type, 'sessionEnded');
      if (message.type === 'sessionEnded') {
        assert.equal(message.reason, 'withheld');
        assert.equal(message.withheld?.caseRef, caseRef);
      }
    }
    await summary;
    assert.equal(await hostPage.getByTestId('withheld-summary').first().getAttribute('data-count'), '2');
    await live;
    assert.equal(await hostPage.getByTestId('host-notice-live').getAttribute('data-case-ref'), caseRef);
    assert.equal(
      await hostPage.locator('[data-testid="meeting-status"]').getAttribute('data-state'),
      'joined',
      'the host is still in the meeting',
    );
  });

  test('the host sees the notice in My meetings and appeals; a reviewer decides the appeal', async () => {
    await hostPage.goto(`${server.url}/meetings`);
    const notice = hostPage.locator(`[data-testid="host-notice"][data-case-ref="${caseRef}"]`);
    await notice.waitFor();
    assert.match(await notice.locator('[data-field="jurisdiction"]').innerText(), /China/);
    assert.match(
      await notice.locator('[data-field="scope"]').innerText(),
      /^June 4th vigil, only for participants connecting from China/,
    );
    assert.equal(
      await notice.getByTestId('notice-public-link').getAttribute('href'),
      `/transparency/cases/${caseRef}`,
    );
    await notice.getByTestId('notice-consent-titles').check();
    await notice.getByTestId('notice-appeal-open').click();
    await hostPage.getByTestId('appeal-text').fill('This was a peaceful commemoration.');
    await hostPage.getByTestId('appeal-submit').click();
    await notice.locator('[data-testid="notice-appeal"][data-outcome="pending"]').waitFor();

    await reviewer.goto(`${server.url}/operator/appeals`);
    const item = reviewer.locator(`[data-testid="appeal-item"][data-case-ref="${caseRef}"]`);
    await item.waitFor();
    assert.match(await item.getByTestId('appeal-host-text').innerText(), /peaceful commemoration/);
    await item.getByTestId('appeal-reason').fill('The order is upheld until it expires.');
    await item.getByTestId('appeal-uphold').click();
    await item.waitFor({ state: 'detached' });

    await hostPage.reload();
    await hostPage
      .locator(
        `[data-testid="host-notice"][data-case-ref="${caseRef}"] [data-testid="notice-appeal"][data-outcome="upheld"]`,
      )
      .waitFor();
  });

  test('the public notice shows the demand, what was done and not done, and the counts', async () => {
    // The server writes withholding counts on its case clock (every few seconds): wait for that state.
    await countsWritten(caseRef);
    await hostPage.goto(`${server.url}/transparency`);
    await hostPage
      .locator(`[data-testid="public-case-row"][data-case-ref="${caseRef}"]`)
      .getByRole('link', { name: caseRef })
      .click();
    const card = hostPage.locator(`[data-testid="public-case"][data-case-ref="${caseRef}"]`);
    await card.waitFor();
    const field = (name: string) => card.locator(`[data-field="${name}"]`);
    assert.equal(await field('authority').innerText(), 'Cyberspace Administration');
    assert.match(await field('jurisdiction').innerText(), /\(CN\)/);
    assert.match(await field('notDone').innerText(), /End the meeting.*Suspend the host account/);
    assert.match(await field('done').innerText(), /connecting from China \(CN\)/);
    assert.equal(await field('meetingsAffected').getAttribute('data-value'), '2');
    assert.equal(await field('participantsWithheld').getAttribute('data-value'), '2');
    assert.match(await field('appeal').innerText(), /upheld/);
    assert.match(await field('meetingTitles').innerText(), /June 4th vigil/);
  });

  test('the host of the anonymous meeting, known by its host key, sees the notice on joining', async () => {
    // The browser holds an anonymous meeting's host key as the HttpOnly cookie the create answer sets.
    await hostPage
      .context()
      .addCookies([{ name: `convene_host_${anon.id}`, value: anon.hostKey, url: server.url }]);
    await hostPage.goto(`${server.url}/m/${anon.id}`);
    await hostPage.getByTestId('prejoin-join').click();
    const live = hostPage.locator(`[data-testid="host-notice-live"][data-case-ref="${caseRef}"]`);
    await live.waitFor({ timeout: 20_000 });
    assert.equal(await live.getAttribute('data-kind'), 'withheld');
    assert.equal(
      await live.getByTestId('host-notice-live-link').getAttribute('href'),
      `/transparency/cases/${caseRef}`,
    );
  });
});
