/**
 * The public transparency page in real Chromium, after the report scenario (test/support/
 * reportScenario.ts: a meeting withheld in CN with 2 participants removed, a demand from RU rejected):
 * the report shows the right figures per jurisdiction and in total, its charts are drawn with their
 * table alternatives, the JSON and CSV links and the link to the log are there, the choice of periods
 * changes the table, the page (report and notice list) speaks Simplified Chinese with ?lang=zh-Hans, no Content-Security-Policy
 * violation is reported, and axe-core finds no violation in the dark and light themes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { cspViolations, launchBrowser, type TestBrowser } from '../support/browser.js';
import { runReportScenario, type ReportScenario } from '../support/reportScenario.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { axeViolations, describeViolations } from '../support/ui.js';

const WITHHELD = 2;
let server: TestServer;
let browser: TestBrowser;
let scenario: ReportScenario;
let page: Page;

before(async () => {
  server = await startTestServer({ geo: { trustedProxies: ['127.0.0.1', '::1'] }, caseClockMs: 200 });
  browser = await launchBrowser();
  scenario = await runReportScenario(server, WITHHELD);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const cell = (metric: string, jurisdiction: string) =>
  page
    .locator(`[data-testid="report-cell"][data-metric="${metric}"][data-jurisdiction="${jurisdiction}"]`)
    .getAttribute('data-value');

test('the page shows the figures of the current half-year per jurisdiction and in total', async () => {
  page = await browser.newPage();
  await page.goto(`${server.url}/transparency?lang=en`);
  await page.getByTestId('report-table').waitFor();
  const expected: Array<[string, string, string]> = [
    ['requestsReceived', 'CN', '1'],
    ['demanded_end_meeting', 'CN', '1'],
    ['done_withheld', 'CN', '1'],
    ['meetingsAffected', 'CN', '1'],
    ['participantsWithheld', 'CN', String(WITHHELD)],
    ['accountsSuspended', 'CN', '0'],
    ['requestsReceived', 'RU', '1'],
    ['demanded_disclose_data', 'RU', '1'],
    ['done_rejected', 'RU', '1'],
    ['dataDisclosed', 'RU', '0'],
    ['requestsReceived', 'total', '2'],
    ['done_pending', 'total', '0'],
    ['participantsWithheld', 'total', String(WITHHELD)],
  ];
  for (const [metric, j, value] of expected) assert.equal(await cell(metric, j), value, `${metric} ${j}`);
  // The visible text matches the data attribute, and the caption names the half-year.
  const total = page.locator(
    '[data-testid="report-cell"][data-metric="requestsReceived"][data-jurisdiction="total"]',
  );
  assert.equal(await total.innerText(), '2');
  const half = Number(scenario.receivedOn.slice(5, 7)) <= 6 ? 'First' : 'Second';
  assert.match(
    await page.getByTestId('report-table').locator('caption').innerText(),
    new RegExp(`${half} half of ${scenario.receivedOn.slice(0, 4)}`),
  );
});

test('charts with their data tables, downloads, and links to the log and the notices', async () => {
  for (const id of ['requests', 'actions']) {
    const figure = page.getByTestId(`report-chart-${id}`);
    await figure.locator('canvas').waitFor();
    assert.match((await figure.locator('canvas').getAttribute('aria-label')) ?? '', /periods shown: 1\./);
    const drawn = await figure
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0 && c.toDataURL().length > 1000);
    assert.ok(drawn, `${id} chart drawn`);
  }
  const data = page.getByTestId('report-chart-requests-data');
  assert.equal(await data.locator('td[data-jurisdiction="CN"]').getAttribute('data-value'), '1');
  assert.equal(
    await page.getByTestId('report-download-json').getAttribute('href'),
    '/api/transparency/report?period=half-year',
  );
  assert.equal(
    await page.getByTestId('report-download-csv').getAttribute('href'),
    '/api/transparency/report.csv?period=half-year',
  );
  assert.equal(await page.getByTestId('report-log-link').getAttribute('href'), '/log/checkpoint');
  await page.getByTestId('report-notices-link').click();
  const row = page.locator(`[data-testid="public-case-row"][data-case-ref="${scenario.withheldRef}"]`);
  await row.getByRole('link', { name: scenario.withheldRef }).click();
  const notice = page.locator(`[data-testid="public-case"][data-case-ref="${scenario.withheldRef}"]`);
  await notice.waitFor();
  // The notice shows the case's own counts and where its steps are in the public log.
  const fromApi = (await (await fetch(`${server.url}/api/public/cases/${scenario.withheldRef}`)).json()) as {
    counts: { participantsWithheld: number };
    logEntries: { index: number; action: string }[];
  };
  assert.equal(
    await notice.locator('[data-field="participantsWithheld"]').getAttribute('data-value'),
    String(fromApi.counts.participantsWithheld),
  );
  assert.ok(fromApi.counts.participantsWithheld > 0);
  const logItems = notice.locator('[data-testid="public-case-log"] li');
  assert.deepEqual(
    await logItems.evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('data-log-index')), e.getAttribute('data-action')]),
    ),
    fromApi.logEntries.map((e) => [e.index, e.action]),
  );
  assert.ok(fromApi.logEntries.some((e) => e.action === 'case.decided'));
  await page.goBack();
  await page.getByTestId('report-table').waitFor();
});

test('years instead of half-years: the table follows', async () => {
  await page.getByTestId('report-granularity').selectOption('year');
  await page
    .locator('[data-testid="transparency-report"][data-granularity="year"] [data-testid="report-table"]')
    .waitFor();
  assert.equal(
    await page.getByTestId('report-table').getAttribute('data-period'),
    scenario.receivedOn.slice(0, 4),
  );
  assert.equal(await cell('requestsReceived', 'total'), '2');
});

test('no CSP violation, and no axe violation in either theme', async () => {
  assert.deepEqual(cspViolations.get(page), []);
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction((theme) => document.documentElement.dataset.theme === theme, colorScheme);
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${colorScheme}:\n${describeViolations(violations)}`);
  }
});

test('in Simplified Chinese', async () => {
  await page.goto(`${server.url}/transparency?lang=zh-Hans`);
  await page.getByTestId('report-table').waitFor();
  assert.equal(await page.locator('#report-title').innerText(), '透明度报告');
  assert.match(await page.getByTestId('report-table').locator('caption').innerText(), /\d{4}年[上下]半年/);
  assert.equal(await cell('requestsReceived', 'total'), '2');
  assert.equal(await page.locator('#public-notices').innerText(), '法律要求的公开公告');
  const outcome = page.locator(
    `[data-testid="public-case-row"][data-case-ref="${scenario.rejectedRef}"] [data-outcome]`,
  );
  assert.equal(await outcome.innerText(), '已拒绝');
  assert.deepEqual(cspViolations.get(page), []);
});
