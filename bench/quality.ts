/**
 * bench:quality — the CPU cost of the network quality indicator's stats polling (web/src/room/
 * networkQuality.ts: every 2 s, getStats on each remote receiver plus the candidate pair) in headless
 * Chromium, against the same pages with polling answered empty, in one run.
 *
 * Three pages at 320x240 join one meeting through a real Janus, so each receives the other two's audio
 * and video (with end-to-end encryption, as always). An init script wraps `RTCRtpReceiver.getStats`
 * and `RTCPeerConnection.getStats`: while `window.__statsOff` is set they return an empty report at
 * once (the indicator then shows "unknown"), otherwise they run and their calls are counted. Windows
 * alternate on / off / on / off to cancel drift; CPU is utime + stime of every Chromium process, read
 * from /proc. The difference is what polling costs all three pages together; the wall time the getStats
 * calls were outstanding, summed, bounds it from above independently of the machine's other load.
 *
 * Usage: npm run bench:quality   (QUALITY_BENCH_SECONDS=15 per window by default)
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.js';
import { startTestServer } from '../test/support/server.js';
import { browserCpuMicros, fmt, machineSummary, printTable, sleep } from './lib.js';

const WINDOW_S = Number(process.env.QUALITY_BENCH_SECONDS ?? 15);
const PAGES = 3;

/** As a string, so the page gets the code as written (no helpers from the TypeScript loader). */
const WRAP_GET_STATS = `(() => {
  window.__statsCalls = 0;
  window.__statsMs = 0;
  window.__statsOff = false;
  for (const proto of [RTCRtpReceiver.prototype, RTCPeerConnection.prototype]) {
    const real = proto.getStats;
    proto.getStats = function (...args) {
      if (window.__statsOff) return Promise.resolve(new Map());
      window.__statsCalls++;
      const t0 = performance.now();
      return real.apply(this, args).finally(() => (window.__statsMs += performance.now() - t0));
    };
  }
})()`;

type StatsWindow = Window & { __statsCalls: number; __statsMs: number; __statsOff: boolean };

async function setOff(pages: readonly Page[], off: boolean): Promise<void> {
  await Promise.all(
    pages.map((p) => p.evaluate((v) => void ((window as unknown as StatsWindow).__statsOff = v), off)),
  );
}

/** getStats calls so far and the milliseconds their promises took, summed over the pages. */
async function calls(pages: readonly Page[]): Promise<{ n: number; ms: number }> {
  const each = await Promise.all(
    pages.map((p) =>
      p.evaluate(() => {
        const w = window as unknown as StatsWindow;
        return { n: w.__statsCalls, ms: w.__statsMs };
      }),
    ),
  );
  return { n: each.reduce((a, c) => a + c.n, 0), ms: each.reduce((a, c) => a + c.ms, 0) };
}

async function measure(pages: readonly Page[], off: boolean) {
  await setOff(pages, off);
  await sleep(2_000); // one poll interval to settle
  const before = await calls(pages);
  const c0 = browserCpuMicros();
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const cpuS = (browserCpuMicros() - c0) / 1e6;
  const after = await calls(pages);
  return {
    cpuPercent: (100 * cpuS) / seconds,
    callsPerS: (after.n - before.n) / seconds,
    // Wall time the calls were outstanding: an upper bound of the work they caused, as % of one core.
    statsPercent: (100 * (after.ms - before.ms)) / 1000 / seconds,
  };
}

const server = await startTestServer();
const browser = await launchBrowser();
try {
  const meetingId = await server.createMeeting('Quality bench');
  const pages: Page[] = [];
  for (let i = 0; i < PAGES; i++) {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 320, height: 240 });
    await page.context().addInitScript(WRAP_GET_STATS);
    await page.goto(`${server.url}/m/${meetingId}?name=P${i + 1}&autojoin=1`);
    await page.locator('[data-testid="meeting-status"][data-state="joined"]').waitFor({ timeout: 30_000 });
    pages.push(page);
  }
  await sleep(8_000); // media and keys flowing everywhere
  console.log(`bench:quality — ${machineSummary()}`);
  console.log(
    `load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${PAGES} pages at 320x240, real Janus, ${WINDOW_S} s windows\n`,
  );
  const on: number[] = [];
  const off: number[] = [];
  let rate = 0;
  let statsPercent = 0;
  for (let round = 0; round < 2; round++) {
    const a = await measure(pages, false);
    on.push(a.cpuPercent);
    rate = Math.max(rate, a.callsPerS);
    statsPercent = Math.max(statsPercent, a.statsPercent);
    off.push((await measure(pages, true)).cpuPercent);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const diff = mean(on) - mean(off);
  printTable(
    [
      'stats polling',
      `CPU % of a core (${PAGES} pages)`,
      'getStats calls/s',
      'getStats outstanding, % of a core',
    ],
    [
      ['on (every 2 s)', on.map((x) => fmt(x)).join(', '), fmt(rate), fmt(statsPercent, 2)],
      ['off (empty reports)', off.map((x) => fmt(x)).join(', '), '0', '0'],
      ['on - off', `${fmt(diff, 2)} (${fmt(diff / PAGES, 2)} per page)`, '', ''],
      ['on / off', `x${fmt(mean(on) / mean(off), 3)}`, '', ''],
    ],
  );
} finally {
  await browser.close();
  await server.close();
}
