/**
 * The notice screens of withholding in real Chromium: a participant connecting from CN (located by
 * X-Forwarded-For through a trusted proxy) is removed with the withheld notice, a link to the public
 * notice and no Rejoin; the participant from elsewhere stays and sees one summary. The operator
 * console, the host notice and the appeal are in operator-console.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { newOperator } from '../support/operators.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: TestBrowser;
before(async () => {
  server = await startTestServer({ geo: { trustedProxies: ['127.0.0.1', '::1'] } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const joinAs = async (page: Page, meetingId: string, name: string) => {
  await page.goto(`${server.url}/m/${meetingId}?name=${name}&autojoin=1&mic=0&camera=0`);
  await page.waitForSelector('[data-testid=meeting-status][data-state=joined]', { state: 'attached' });
};

test('withheld in CN: the CN page is told why with the case, the other keeps the meeting and sees one summary', async () => {
  const meetingId = await server.createMeeting('Vigil');
  const beijing = await browser.newPage({ extraHTTPHeaders: { 'x-forwarded-for': '114.114.114.114' } });
  const berlin = await browser.newPage({ extraHTTPHeaders: { 'x-forwarded-for': '194.25.0.68' } });
  await joinAs(berlin, meetingId, 'Berlin');
  await joinAs(beijing, meetingId, 'Beijing');

  const intake = await newOperator(server, 'intake');
  const reviewer = await newOperator(server, 'reviewer');
  const recorded = await intake.api<{ ref: string }>('POST', '/api/operator/cases', {
    authority: 'An authority of CN',
    jurisdiction: 'CN',
    legalBasis: 'A cited law',
    receivedOn: '2026-06-03',
    demands: ['end_meeting'],
    targets: [{ kind: 'meeting', link: `${server.url}/m/${meetingId}` }],
  });
  const ref = recorded.body.ref;
  const decided = await reviewer.api('POST', `/api/operator/cases/${ref}/decision`, {
    outcome: 'withhold',
    targets: [0],
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    reason: 'Limited to CN.',
  });
  assert.equal(decided.status, 200);

  const notice = beijing.getByTestId('withheld-notice');
  await notice.waitFor({ timeout: 15_000 });
  assert.equal(await beijing.getByTestId('session-ended').getAttribute('data-reason'), 'withheld');
  assert.equal(await notice.getAttribute('data-jurisdiction'), 'CN');
  assert.equal(await notice.getAttribute('data-case-ref'), ref);
  assert.equal(
    await beijing.getByTestId('withheld-case-link').getAttribute('href'),
    `/transparency/cases/${ref}`,
  );
  assert.match(
    await beijing.locator('body').innerText(),
    /not available in China in response to a legal demand\. Case CVN-/,
  );
  assert.equal(await beijing.getByTestId('rejoin').count(), 0, 'no Rejoin that can only fail');

  const summary = berlin.getByTestId('withheld-summary');
  await summary.waitFor({ timeout: 15_000 });
  assert.equal(await summary.getAttribute('data-count'), '1');
  assert.equal(await summary.getAttribute('data-case-ref'), ref);
  assert.equal(
    await berlin.getByTestId('withheld-summary').count(),
    1,
    'one summary, not one toast per person',
  );
  const status = berlin.locator('[data-testid=meeting-status]');
  assert.equal(await status.getAttribute('data-state'), 'joined', 'the other participant is still in');
});
