/**
 * The web app through a restart of the real `convene start` (issue 9): pages in one meeting, the
 * server SIGKILLed and started again on the same port and data directory, and when each page got back
 * to each step. Shared by test/e2e/restart-rejoin.test.ts (which asserts what the pages show) and
 * bench/restartWeb.ts (which repeats the restart and prints the times).
 *
 * The times are taken inside each page (a 100 ms sampler of `window.__convene` and of the WebRTC stats
 * of the PeerConnections made after the kill), so they do not depend on how fast the test process
 * polls a busy machine.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { SessionSummary } from '../../web/src/debug.js';
import { inboundStats, peerConnectionCount, waitUntil, type TestBrowser } from './browser.js';
import { alive, startConvene, type ConveneProcess } from './conveneProcess.js';

export const summary = (page: Page): Promise<SessionSummary | null> =>
  page.evaluate(() => window.__convene?.getState() ?? null);

/** Video frames decoded on the page's PeerConnections from the `fromIndex`-th one on. */
export const decodedVideo = async (page: Page, fromIndex = 0): Promise<number> =>
  (await inboundStats(page, fromIndex))
    .filter((s) => s.kind === 'video')
    .reduce((n, s) => n + s.framesDecoded, 0);

/** Every page encrypted on one epoch and safety code, the group being exactly their own seats. */
export function oneGroup(states: readonly (SessionSummary | null)[]): boolean {
  const ids = states.map((s) => s?.self?.id ?? '');
  if (ids.some((id) => !id)) return false;
  const first = states[0];
  const want = [...ids].sort().join();
  return states.every(
    (s) =>
      s?.e2ee.status === 'encrypted' &&
      [...s.e2ee.members].sort().join() === want &&
      s.e2ee.epoch === first?.e2ee.epoch &&
      s.e2ee.safetyCode !== null &&
      s.e2ee.safetyCode === first?.e2ee.safetyCode,
  );
}

/**
 * Opens one page per name at 320x240; the first creates the meeting (anonymously, so its browser holds
 * the host key cookie). Resolves when every page is in one encrypted group and decodes video.
 */
export async function encryptedMeeting(browser: TestBrowser, url: string, names: readonly string[]) {
  const pages: Page[] = [];
  let meetingId = '';
  for (const name of names) {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 320, height: 240 });
    pages.push(page);
    if (!meetingId) {
      await page.goto(`${url}/`);
      const created = await page.request.post(`${url}/api/meetings`, { data: {} });
      if (created.status() !== 201) throw new Error(`POST /api/meetings: ${created.status()}`);
      meetingId = ((await created.json()) as { id: string }).id;
    }
    await page.goto(`${url}/m/${meetingId}?name=${name}&autojoin=1`);
    await page.locator('[data-testid="meeting-status"][data-state="joined"]').waitFor({ timeout: 30_000 });
  }
  await waitUntil(
    'every page in one encrypted group',
    async () => oneGroup(await Promise.all(pages.map(summary))),
    30_000,
  );
  for (const page of pages)
    await waitUntil('video from the others decodes', async () => (await decodedVideo(page)) > 30, 30_000);
  return { pages, meetingId };
}

/** When a page first showed each step after the kill (ms after SIGKILL). */
export interface PageTimes {
  /** Status `joined` again, with a new seat. */
  joined: number;
  /** Every other page's new seat in its participant list. */
  roster: number;
  /** E2EE `encrypted`, its group being the new seats. */
  encrypted: number;
  /** A video frame decoded on a PeerConnection made after the kill. */
  decoding: number;
  /** The room's "safety code changed" notice (the new group has a new code). */
  codeNotice: number;
}

export interface RestartTimes {
  /** Every page shows `reconnecting` (status and banner). */
  reconnecting: number;
  /** The new process printed its address. */
  ready: number;
  pages: PageTimes[];
  /** Every page decoding video again: the meeting is usable. */
  usable: number;
}

/**
 * The sampler, as a string so the page runs it as written (no helpers of the TypeScript loader). It
 * records epoch milliseconds in `window.__recovery` and stops once every step is seen.
 */
const SAMPLER = `(({ oldIds, fromPc, others }) => {
  const r = {};
  window.__recovery = r;
  const fresh = (id) => !!id && !oldIds.includes(id);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const now = Date.now();
      const s = window.__convene && window.__convene.getState();
      if (s && s.self && s.status === 'joined' && fresh(s.self.id)) {
        if (r.joined === undefined) r.joined = now;
        const seen = s.participants.filter((p) => fresh(p.id)).length;
        if (r.roster === undefined && seen >= others) r.roster = now;
        const e = s.e2ee;
        if (r.encrypted === undefined && e.status === 'encrypted' && e.members.length === others + 1 &&
            e.members.includes(s.self.id) && e.members.every(fresh)) r.encrypted = now;
      }
      if (r.codeNotice === undefined && document.querySelector('[data-testid="e2ee-code-changed"]'))
        r.codeNotice = now;
      if (r.decoding === undefined) {
        for (const pc of (window.__testPeerConnections || []).slice(fromPc)) {
          if (pc.connectionState === 'closed') continue;
          const stats = await pc.getStats();
          stats.forEach((x) => {
            if (x.type === 'inbound-rtp' && x.kind === 'video' && x.framesDecoded > 0 && r.decoding === undefined)
              r.decoding = Date.now();
          });
        }
      }
      if (r.joined && r.roster && r.encrypted && r.decoding && r.codeNotice) clearInterval(timer);
    } finally {
      busy = false;
    }
  }, 100);
})`;

type RecoveryWindow = { __recovery?: Partial<PageTimes> };

/**
 * How the server dies: `process` SIGKILLs only the Convene process (`kill -9`, an OOM kill): its Janus
 * is orphaned and keeps forwarding until the new process stops it. `group` SIGKILLs its Janus too, as a
 * supervisor that kills what the service owns does (systemd's default `KillMode=control-group`, a
 * container restart): media stops at once.
 */
export type KillMode = 'process' | 'group';

/**
 * SIGKILLs `server` (and its Janus for `kill: 'group'`), waits until every page shows it is
 * reconnecting, starts `convene start` again on the same port and data directory,
 * and waits until every page has rejoined, sees the others, is encrypted, has told its user that the
 * safety code changed, and decodes video again.
 */
export async function killAndRestart(
  server: ConveneProcess,
  pages: readonly Page[],
  opts: {
    dataDir: string;
    port: number;
    timeoutMs?: number;
    kill?: KillMode;
    /** Done while the server is down and every page shows it (delays the restart by its time). */
    whileDown?: () => Promise<void>;
  },
): Promise<{ server: ConveneProcess; times: RestartTimes; oldIds: string[]; pcsBefore: number[] }> {
  const oldIds = (await Promise.all(pages.map(summary))).map((s) => s?.self?.id ?? '');
  const pcsBefore = await Promise.all(pages.map(peerConnectionCount));
  const janusPid = Number((await readFile(path.join(opts.dataDir, 'janus', 'janus.pid'), 'utf8')).trim());
  if (!alive(janusPid)) throw new Error('the server’s Janus is not running');
  // A "safety code changed" notice left from the group forming must be gone, so that the one seen
  // after the restart is new.
  for (const page of pages)
    await page.getByTestId('e2ee-code-changed').waitFor({ state: 'detached', timeout: 30_000 });
  for (const [i, page] of pages.entries())
    await page.evaluate(
      `(${SAMPLER})(${JSON.stringify({ oldIds, fromPc: pcsBefore[i], others: pages.length - 1 })})`,
    );
  // Watch for the reconnecting state from before the kill, so a short one cannot be missed.
  const reconnecting = pages.map((page) =>
    Promise.all([
      page
        .locator('[data-testid="meeting-status"][data-state="reconnecting"]')
        .waitFor({ state: 'attached', timeout: 60_000 }),
      page.getByTestId('reconnecting-banner').waitFor({ state: 'visible', timeout: 60_000 }),
    ]),
  );

  const killedAt = Date.now();
  server.child.kill('SIGKILL');
  if (opts.kill === 'group') process.kill(janusPid, 'SIGKILL');
  await server.exited();
  await Promise.all(reconnecting);
  const seenReconnecting = Date.now() - killedAt;
  await opts.whileDown?.();
  const next = await startConvene(opts.dataDir, { port: opts.port });
  const ready = Date.now() - killedAt;
  let times: Partial<PageTimes>[] = [];
  try {
    if (next.url !== server.url) throw new Error(`restarted at ${next.url}, not ${server.url}`);
    if (alive(janusPid)) throw new Error('the killed server’s Janus was not stopped by the new one');
    await waitUntil(
      'every page back: joined, the others listed, encrypted (code-changed notice), decoding',
      async () => {
        times = await Promise.all(
          pages.map((p) => p.evaluate(() => ({ ...(window as RecoveryWindow).__recovery }))),
        );
        return times.every((t) => t.joined && t.roster && t.encrypted && t.decoding && t.codeNotice);
      },
      opts.timeoutMs ?? 120_000,
    );
  } catch (error) {
    // Say which steps were reached, so a failure names the one that was not.
    const states = await Promise.all(pages.map(summary));
    await next.stop();
    throw new Error(
      `${(error as Error).message}; reached: ${JSON.stringify(times)}; ` +
        `states: ${JSON.stringify(states.map((s) => ({ status: s?.status, self: s?.self?.id, e2ee: s?.e2ee })))}`,
    );
  }
  const pageTimes = times.map((t) => ({
    joined: (t.joined ?? 0) - killedAt,
    roster: (t.roster ?? 0) - killedAt,
    encrypted: (t.encrypted ?? 0) - killedAt,
    decoding: (t.decoding ?? 0) - killedAt,
    codeNotice: (t.codeNotice ?? 0) - killedAt,
  }));
  return {
    server: next,
    oldIds,
    pcsBefore,
    times: {
      reconnecting: seenReconnecting,
      ready,
      pages: pageTimes,
      usable: Math.max(...pageTimes.map((t) => t.decoding)),
    },
  };
}
