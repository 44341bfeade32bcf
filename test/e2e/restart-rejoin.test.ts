/**
 * The restart drill in the browser (issue 9): two real Chromium pages in an end-to-end encrypted
 * meeting on the real `convene start` (with its own Janus), the server SIGKILLed and started again on
 * the same port and data directory, as a supervisor would. test/integration/restart-drill.test.ts does
 * this with headless clients; here it is the web app itself that must come back without anyone
 * touching it: the room shows it is reconnecting, then each page joins again as a new participant,
 * sees the other in People, decodes the other's video on new PeerConnections, and both pages form a
 * new MLS group (encrypted, one epoch, one safety code).
 *
 * It also prints how long each step took after the SIGKILL (`# restart-rejoin:` diagnostics); those
 * figures go to BENCHMARKS.md and README "Operations", never into an assertion.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { SessionSummary } from '../../web/src/debug.js';
import {
  inboundStats,
  launchBrowser,
  openPanel,
  peerConnectionCount,
  waitUntil,
  type TestBrowser,
} from '../support/browser.js';
import { freePort, startConvene, type ConveneProcess } from '../support/conveneProcess.js';

const NAMES = ['Ada', 'Grace'] as const;

const summary = (page: Page): Promise<SessionSummary | null> =>
  page.evaluate(() => window.__convene?.getState() ?? null);

/** Video frames decoded on the page's PeerConnections from the `fromIndex`-th one on. */
const decodedVideo = async (page: Page, fromIndex = 0): Promise<number> =>
  (await inboundStats(page, fromIndex))
    .filter((s) => s.kind === 'video')
    .reduce((n, s) => n + s.framesDecoded, 0);

/** Participant ids in the page's People panel (what the user sees, not the library's state). */
const rosterIds = (page: Page): Promise<(string | null)[]> =>
  page
    .locator('[data-testid="roster-entry"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-participant-id')));

/** Both pages encrypted on one epoch and safety code, the group being exactly the two of them. */
function oneGroup(states: (SessionSummary | null)[]): boolean {
  const [a, b] = states;
  if (!a?.self || !b?.self) return false;
  const ids = [a.self.id, b.self.id].sort().join();
  return [a, b].every(
    (s) =>
      s.e2ee.status === 'encrypted' &&
      [...s.e2ee.members].sort().join() === ids &&
      s.e2ee.epoch === a.e2ee.epoch &&
      s.e2ee.safetyCode !== null &&
      s.e2ee.safetyCode === a.e2ee.safetyCode,
  );
}

/** Whether a process runs (a zombie, killed but not yet reaped by its new parent, does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** What the pages have reached after the restart, each the first time (ms after the SIGKILL). */
interface Milestones {
  joined?: number;
  roster?: number;
  encrypted?: number;
  decoding?: number;
}

test(
  'the web app in Chromium rejoins by itself after convene start is SIGKILLed and restarted',
  { timeout: 300_000 },
  async (t) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-restart-web-'));
    const port = await freePort();
    let server: ConveneProcess | undefined = await startConvene(dataDir, { port });
    let browser: TestBrowser | undefined;
    try {
      const url = server.url;
      browser = await launchBrowser();
      const pages: Page[] = [];
      let meetingId = '';
      for (const name of NAMES) {
        const page = await browser.newPage();
        await page.setViewportSize({ width: 320, height: 240 });
        pages.push(page);
        if (!meetingId) {
          // The first page creates the meeting (anonymously: its browser holds the host key cookie).
          await page.goto(`${url}/`);
          const created = await page.request.post(`${url}/api/meetings`, { data: {} });
          assert.equal(created.status(), 201);
          meetingId = ((await created.json()) as { id: string }).id;
        }
        await page.goto(`${url}/m/${meetingId}?name=${name}&autojoin=1`);
        await page
          .locator('[data-testid="meeting-status"][data-state="joined"]')
          .waitFor({ timeout: 30_000 });
      }
      const [ada, grace] = pages;
      assert.ok(ada && grace);

      // Before: one encrypted group, and each page decodes the other's video.
      let before: (SessionSummary | null)[] = [];
      await waitUntil(
        'both pages in one encrypted group',
        async () => oneGroup((before = await Promise.all(pages.map(summary)))),
        30_000,
      );
      for (const page of pages)
        await waitUntil('video from the other decodes', async () => (await decodedVideo(page)) > 30, 30_000);
      const oldIds = before.map((s) => s?.self?.id ?? '');
      const oldCode = before[0]?.e2ee.safetyCode;
      const pcsBefore = await Promise.all(pages.map(peerConnectionCount));
      const janusPid = Number((await readFile(path.join(dataDir, 'janus', 'janus.pid'), 'utf8')).trim());
      assert.ok(alive(janusPid), 'the server’s Janus runs');
      // A mark in each document: still there afterwards means nobody reloaded the page.
      for (const page of pages) await page.evaluate(() => Object.assign(window, { restartMark: true }));

      // Watch for the reconnecting state from before the kill, so a short one cannot be missed.
      const reconnecting = pages.map((page) =>
        Promise.all([
          page
            .locator('[data-testid="meeting-status"][data-state="reconnecting"]')
            .waitFor({ state: 'attached', timeout: 60_000 }),
          page.getByTestId('reconnecting-banner').waitFor({ state: 'visible', timeout: 60_000 }),
        ]),
      );

      // SIGKILL, as a crash or an OOM kill would: the process cannot clean up. Its Janus is orphaned
      // and is stopped by the next process (as in the integration drill).
      const killedAt = Date.now();
      server.child.kill('SIGKILL');
      await server.exited();
      server = undefined;
      await Promise.all(reconnecting);
      const seenReconnecting = Date.now() - killedAt;

      server = await startConvene(dataDir, { port });
      const ready = Date.now() - killedAt;
      assert.equal(server.url, url, 'the same address');
      assert.equal(alive(janusPid), false, 'the killed server’s Janus was stopped by the new one');

      // Sample both pages until each has reached every milestone, recording when it first did.
      const reached: Milestones[] = pages.map(() => ({}));
      const done = (m: Milestones): boolean =>
        m.joined !== undefined &&
        m.roster !== undefined &&
        m.encrypted !== undefined &&
        m.decoding !== undefined;
      await waitUntil(
        'both pages back: joined, the other in People, encrypted, decoding',
        async () => {
          const states = await Promise.all(pages.map(summary));
          const now = Date.now() - killedAt;
          const group = oneGroup(states);
          for (const [i, page] of pages.entries()) {
            const m = reached[i];
            const s = states[i];
            const other = states[1 - i];
            if (!m || !s?.self) continue;
            const fresh = s.status === 'joined' && !oldIds.includes(s.self.id);
            if (fresh) m.joined ??= now;
            if (
              fresh &&
              other?.self &&
              !oldIds.includes(other.self.id) &&
              s.participants.some((p) => p.id === other.self?.id)
            )
              m.roster ??= now;
            if (fresh && group) m.encrypted ??= now;
            if (m.decoding === undefined && (await decodedVideo(page, pcsBefore[i])) > 0) m.decoding = now;
          }
          return reached.every(done);
        },
        120_000,
      );
      const usable = Math.max(...reached.map((m) => m.decoding ?? Infinity));
      t.diagnostic(
        `restart-rejoin: SIGKILL -> reconnecting shown ${seenReconnecting} ms, server ready ${ready} ms, ` +
          reached
            .map(
              (m, i) =>
                `${NAMES[i]}: joined ${m.joined} ms, other in People ${m.roster} ms, ` +
                `encrypted ${m.encrypted} ms, decoding ${m.decoding} ms`,
            )
            .join('; ') +
          `; time to usable (both decoding) ${usable} ms`,
      );

      // New seats: the old ones died with the process. Nobody reloaded: the same documents.
      const after = await Promise.all(pages.map(summary));
      const newIds = after.map((s) => s?.self?.id ?? '');
      for (const [i, id] of newIds.entries()) {
        assert.ok(id && id !== oldIds[i], `${NAMES[i]} has a new seat`);
        assert.equal(after[i]?.error, null);
        assert.equal(after[i]?.ended, null);
      }
      for (const page of pages)
        assert.equal(await page.evaluate(() => 'restartMark' in window), true, 'the page was not reloaded');

      // People shows the other's new seat and not the old one.
      for (const [i, page] of pages.entries()) {
        await openPanel(page, 'people');
        await waitUntil(
          `${NAMES[i]} sees ${NAMES[1 - i]} in People`,
          async () => (await rosterIds(page)).includes(newIds[1 - i] ?? '-'),
          15_000,
        );
        const ids = await rosterIds(page);
        assert.ok(!ids.includes(oldIds[1 - i] ?? '-'), 'the old seat is gone from People');
        assert.equal(ids.length, 2, 'exactly the two of them');
      }

      // Video from the other keeps decoding on the new PeerConnections.
      for (const [i, page] of pages.entries()) {
        const fromIndex = pcsBefore[i];
        const a = await decodedVideo(page, fromIndex);
        await waitUntil(
          `${NAMES[i]} keeps decoding`,
          async () => (await decodedVideo(page, fromIndex)) > a + 10,
          15_000,
        );
      }

      // End-to-end encryption is back: a new group of the two new seats, the same code on both pages,
      // frames decrypted again, and the lock says so.
      const groupAfter = await Promise.all(pages.map(summary));
      assert.ok(oneGroup(groupAfter), 'one encrypted group');
      const newCode = groupAfter[0]?.e2ee.safetyCode;
      assert.notEqual(newCode, oldCode, 'a new group, so a new safety code');
      for (const page of pages) {
        const decrypted = (await summary(page))?.e2ee.framesDecrypted ?? 0;
        await waitUntil(
          'frames are decrypted again',
          async () => ((await summary(page))?.e2ee.framesDecrypted ?? 0) > decrypted,
          10_000,
        );
        await page.locator('[data-testid="e2ee-lock"][data-state="encrypted"]').waitFor({ timeout: 10_000 });
        assert.equal(await page.getByTestId('reconnecting-banner').count(), 0, 'the banner is gone');
      }
    } finally {
      await browser?.close();
      await server?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
