/**
 * MLS rejoin after a missed commit, in the browser (issue 8): a page whose connection drops keeps its
 * seat for the resume window, but the group moves on without it. Here Grace's WebSocket is cut (both
 * sides) and her reconnects are refused while Linus joins, so the commit that adds Linus never reaches
 * her. When she may connect again she resumes the same seat; the server's `mlsStatus` tells her the
 * group is past her epoch, her page sends `mlsRejoin` with a fresh KeyPackage, and a member commits the
 * removal of her old leaf and the addition of the new one. The test checks what a user would see: the
 * same participant (not a new seat), all three pages on one epoch and one safety code with exactly the
 * three seats as members, and video decoding again on her page after the rejoin. Without the rejoin
 * path her page stays on the old epoch and the last check fails (the group would never include her new
 * leaf). Three 320x240 pages; no assertion is about time.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page, WebSocketRoute } from 'playwright-core';
import { launchBrowser, waitUntil, type TestBrowser } from '../support/browser.js';
import { decodedVideo, oneGroup, summary } from '../support/restartScene.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: TestBrowser;

before(async () => {
  // A resume window long enough for a third page to join on a busy machine.
  server = await startTestServer({ resumeWindowMs: 120_000 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const states = (pages: readonly Page[]) => Promise.all(pages.map(summary));

test('a page that missed a commit while disconnected resumes its seat and rejoins the MLS group', async () => {
  // Ada creates the meeting (anonymously: her browser holds the host key) and joins it.
  const ada = await browser.newPage();
  await ada.setViewportSize({ width: 320, height: 240 });
  await ada.goto(`${server.url}/`);
  const created = await ada.request.post(`${server.url}/api/meetings`, { data: {} });
  assert.equal(created.status(), 201);
  const meetingId = ((await created.json()) as { id: string }).id;
  await ada.goto(`${server.url}/m/${meetingId}?name=Ada&autojoin=1`);
  await ada
    .locator('[data-testid="meeting-status"][data-state="joined"]')
    .waitFor({ state: 'attached', timeout: 30_000 });

  // Grace's WebSocket goes through a route the test can cut and hold shut.
  const grace = await browser.newPage();
  await grace.setViewportSize({ width: 320, height: 240 });
  let blocked = false;
  let refused = 0;
  let link: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
  await grace.routeWebSocket(/\/ws$/, (ws) => {
    if (blocked) {
      refused++;
      void ws.close({ code: 1011, reason: 'test: network down' });
      return;
    }
    link = { page: ws, server: ws.connectToServer() };
  });
  await grace.goto(`${server.url}/m/${meetingId}?name=Grace&autojoin=1`);
  await grace
    .locator('[data-testid="meeting-status"][data-state="joined"]')
    .waitFor({ state: 'attached', timeout: 30_000 });
  await waitUntil(
    'Ada and Grace in one encrypted group',
    async () => oneGroup(await states([ada, grace])),
    30_000,
  );
  const graceId = (await summary(grace))?.self?.id ?? '';
  assert.ok(graceId, 'Grace has a seat');
  const epochBefore = (await summary(ada))?.e2ee.epoch ?? -1;

  // The network drops: both sides of Grace's socket close, and her reconnects are refused.
  blocked = true;
  await link?.server.close({ code: 1001, reason: 'test: network down' });
  await link?.page.close({ code: 1011, reason: 'test: network down' });
  await grace
    .locator('[data-testid="meeting-status"][data-state="reconnecting"]')
    .waitFor({ state: 'attached', timeout: 15_000 });

  // Linus joins meanwhile: Ada commits his Add, which Grace never receives.
  const linus = await browser.newPage();
  await linus.setViewportSize({ width: 320, height: 240 });
  await linus.goto(`${server.url}/m/${meetingId}?name=Linus&autojoin=1`);
  await linus
    .locator('[data-testid="meeting-status"][data-state="joined"]')
    .waitFor({ state: 'attached', timeout: 30_000 });
  let epochWithLinus = -1;
  await waitUntil(
    'Ada and Linus on one epoch past the one Grace knows',
    async () => {
      const [a, l] = await states([ada, linus]);
      epochWithLinus = a?.e2ee.epoch ?? -1;
      return (
        a?.e2ee.status === 'encrypted' &&
        l?.e2ee.status === 'encrypted' &&
        epochWithLinus > epochBefore &&
        l.e2ee.epoch === epochWithLinus &&
        l.e2ee.safetyCode === a.e2ee.safetyCode
      );
    },
    30_000,
  );
  assert.ok(((await summary(grace))?.e2ee.epoch ?? -1) < epochWithLinus, 'Grace missed the commit');
  assert.ok(refused > 0, 'Grace tried to reconnect while the network was down');

  // The network is back: Grace resumes and rejoins the group.
  blocked = false;
  await waitUntil(
    'all three pages in one encrypted group of exactly their seats',
    async () => oneGroup(await states([ada, grace, linus])),
    60_000,
  );
  const after = await states([ada, grace, linus]);
  assert.equal(after[1]?.self?.id, graceId, 'Grace resumed her seat: the same participant');
  assert.ok(
    (after[0]?.e2ee.epoch ?? -1) > epochWithLinus,
    "a commit after Linus joined replaced Grace's leaf (her rejoin)",
  );
  const decoded = await decodedVideo(grace);
  await waitUntil(
    "video decodes on Grace's page after the rejoin",
    async () => (await decodedVideo(grace)) > decoded + 20,
    30_000,
  );
  for (const page of [ada, grace, linus]) await page.close();
});
