/**
 * The restart drill in the browser (issue 9): two real Chromium pages at 320x240 in an end-to-end
 * encrypted meeting on the real `convene start` (with its own Janus), the server SIGKILLed and started
 * again on the same port and data directory, as a supervisor would: first the Convene process alone
 * (its orphaned Janus keeps forwarding until the new process stops it), then the Convene process and
 * its Janus together (as systemd's default KillMode or a container restart does).
 * test/integration/restart-drill.test.ts does the first with headless clients; here it is the web app itself that must come back without anyone
 * touching it: the room shows it is reconnecting, then each page joins again as a new participant, sees
 * the other in People, decodes the other's video on new PeerConnections, and both pages form a new MLS
 * group (encrypted, one epoch, one safety code on both) and tell their users that the safety code
 * changed (killAndRestart waits for each of these in every page). A chat message written while the
 * server was down is marked as not delivered (the old group's queue is dropped with the old seat); one
 * written afterwards arrives.
 *
 * It prints how long each step took after the SIGKILL (`# restart-rejoin:`); `npm run bench:restart-web`
 * measures the same repeatedly (BENCHMARKS.md). No assertion is about time.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, openPanel, waitUntil, type TestBrowser } from '../support/browser.js';
import { freePort, startConvene, type ConveneProcess } from '../support/conveneProcess.js';
import {
  decodedVideo,
  encryptedMeeting,
  killAndRestart,
  oneGroup,
  summary,
  type KillMode,
  type RestartTimes,
} from '../support/restartScene.js';

const NAMES = ['Ada', 'Grace'] as const;
const LOST = 'written while the server was down';
const SENT = 'written after the restart';

async function sendChat(page: Page, text: string): Promise<void> {
  await openPanel(page, 'chat');
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

/** Participant ids in the page's People panel (what the user sees, not the library's state). */
const rosterIds = (page: Page): Promise<(string | null)[]> =>
  page
    .locator('[data-testid="roster-entry"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-participant-id')));

function describeTimes(kill: KillMode, times: RestartTimes): string {
  return (
    `restart-rejoin (${kill}): after SIGKILL: reconnecting shown ${times.reconnecting} ms, server ready ` +
    `${times.ready} ms; ` +
    times.pages
      .map(
        (p, i) =>
          `${NAMES[i]}: joined ${p.joined} ms, other listed ${p.roster} ms, encrypted ${p.encrypted} ms ` +
          `(code-changed notice ${p.codeNotice} ms), decoding ${p.decoding} ms`,
      )
      .join('; ') +
    `; usable (both decoding) ${times.usable} ms`
  );
}

/**
 * What each page shows once killAndRestart has seen every step: a new seat in the same document, no
 * error or banner, exactly the new seats in People, video decoding on the new PeerConnections, and one
 * new encrypted group (the same code on both pages, not `oldCode`) whose frames are decrypted.
 */
async function assertBack(
  pages: readonly Page[],
  restarted: { oldIds: string[]; pcsBefore: number[] },
  oldCode: string,
): Promise<void> {
  const { oldIds, pcsBefore } = restarted;
  const after = await Promise.all(pages.map(summary));
  const newIds = after.map((s) => s?.self?.id ?? '');
  for (const [i, id] of newIds.entries()) {
    assert.ok(id && id !== oldIds[i], `${NAMES[i]} has a new seat`);
    assert.equal(after[i]?.status, 'joined');
    assert.equal(after[i]?.error, null);
    assert.equal(after[i]?.ended, null);
  }
  for (const page of pages) {
    assert.equal(await page.evaluate(() => 'restartMark' in window), true, 'the page was not reloaded');
    assert.equal(await page.getByTestId('reconnecting-banner').count(), 0, 'the banner is gone');
  }

  // People shows the other's new seat, and the old seats are gone.
  for (const [i, page] of pages.entries()) {
    await openPanel(page, 'people');
    await waitUntil(
      `${NAMES[i]} sees ${NAMES[1 - i]} in People`,
      async () => (await rosterIds(page)).includes(newIds[1 - i] ?? '-'),
      15_000,
    );
    assert.deepEqual([...(await rosterIds(page))].sort(), [...newIds].sort(), 'exactly the new seats');
  }

  // Video from the other keeps decoding on the PeerConnections made after the kill.
  for (const [i, page] of pages.entries()) {
    const decoded = await decodedVideo(page, pcsBefore[i]);
    await waitUntil(
      `${NAMES[i]} keeps decoding`,
      async () => (await decodedVideo(page, pcsBefore[i])) > decoded + 10,
      15_000,
    );
  }

  // End-to-end encryption is back: one new group of the new seats, the same safety code on both
  // pages (a new one: new group, new keys), frames decrypted again, and the lock says so.
  const group = await Promise.all(pages.map(summary));
  assert.ok(oneGroup(group), `one encrypted group: ${JSON.stringify(group.map((s) => s?.e2ee))}`);
  assert.deepEqual([...(group[0]?.e2ee.members ?? [])].sort(), [...newIds].sort());
  assert.notEqual(group[0]?.e2ee.safetyCode, oldCode, 'a new group, so a new safety code');
  for (const page of pages) {
    const decrypted = (await summary(page))?.e2ee.framesDecrypted ?? 0;
    await waitUntil(
      'frames are decrypted again',
      async () => ((await summary(page))?.e2ee.framesDecrypted ?? 0) > decrypted,
      10_000,
    );
    await page.locator('[data-testid="e2ee-lock"][data-state="encrypted"]').waitFor({ timeout: 10_000 });
  }
}

test(
  'the web app in Chromium rejoins by itself after convene start is SIGKILLed and restarted, twice',
  { timeout: 480_000 },
  async (t) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-restart-web-'));
    const port = await freePort();
    let server: ConveneProcess | undefined = await startConvene(dataDir, { port });
    let browser: TestBrowser | undefined;
    try {
      browser = await launchBrowser();
      const { pages } = await encryptedMeeting(browser, server.url, NAMES);
      const [ada, grace] = pages;
      assert.ok(ada && grace);
      // A mark in each document: still there afterwards means nobody reloaded the page.
      for (const page of pages) await page.evaluate(() => Object.assign(window, { restartMark: true }));

      // First the Convene process alone, its Janus orphaned. While it is down, Ada writes in the chat:
      // the message waits for a seat that will not resume.
      let code = (await summary(ada))?.e2ee.safetyCode ?? '';
      assert.ok(code, 'a safety code before the restart');
      let killed = server;
      server = undefined;
      let restarted = await killAndRestart(killed, pages, {
        dataDir,
        port,
        kill: 'process',
        whileDown: () => sendChat(ada, LOST),
      });
      server = restarted.server;
      t.diagnostic(describeTimes('process', restarted.times));
      await assertBack(pages, restarted, code);

      // The message written while the server was down says it was not delivered, and never arrived;
      // one written now goes through the new group.
      await openPanel(ada, 'chat');
      const lost = ada.locator('[data-testid="chat-message"]', { hasText: LOST });
      await lost.getByTestId('chat-undelivered').waitFor({ timeout: 10_000 });
      assert.equal(await lost.getAttribute('data-undelivered'), 'true');
      await sendChat(ada, SENT);
      await waitUntil('chat arrives after the restart', async () =>
        ((await summary(grace))?.chat ?? []).some((c) => c.text === SENT && c.fromName === 'Ada'),
      );
      assert.ok(
        !((await summary(grace))?.chat ?? []).some((c) => c.text === LOST),
        'the lost one never came',
      );
      assert.ok(
        ((await summary(ada))?.chat ?? []).some((c) => c.text === SENT && !c.undelivered),
        'the new one is not marked',
      );

      // Then as a supervisor that kills the whole service (its Janus too): media stops at once, and the
      // pages come back the same way, a second time.
      code = (await summary(ada))?.e2ee.safetyCode ?? '';
      killed = server;
      server = undefined;
      restarted = await killAndRestart(killed, pages, { dataDir, port, kill: 'group' });
      server = restarted.server;
      t.diagnostic(describeTimes('group', restarted.times));
      await assertBack(pages, restarted, code);
    } finally {
      await browser?.close();
      await server?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
