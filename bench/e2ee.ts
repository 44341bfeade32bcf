/**
 * bench:e2ee — what end-to-end encryption costs a Chromium page: CPU, and the time from joining to the
 * first decoded video frame of each other participant, against the same pages with SFrame off.
 *
 * "Off" serves the page a pass-through worker in place of the bundled SFrame worker (Playwright routes
 * the worker's URL): the page, its MLS group and the RTCRtpScriptTransform plumbing stay the same, and
 * only the frame encryption and decryption go. Convene itself has no switch to turn E2EE off, and a
 * page without the transform API refuses to send (docs/e2ee.md), so this is the closest "E2EE off" that
 * is still the product; what it leaves out is the transform plumbing (frames crossing to the worker and
 * back) and the MLS work, both measured elsewhere (bench:mls).
 *
 * Each round opens PAGES fresh pages at 320x240 in a new meeting through a real Janus, waits until every
 * page decodes every other's video, lets media flow for a few seconds, then reads the CPU (utime + stime
 * of every Chromium process, /proc) over a window. Rounds alternate on / off / on / off.
 *
 * Usage: npm run bench:e2ee   (E2EE_BENCH_SECONDS=20 per window, E2EE_BENCH_ROUNDS=4, E2EE_BENCH_PAGES=2:
 * two pages leave a 2-core machine headroom; at three its CPU is saturated and the encoders adapt)
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { inboundStats, launchBrowser, type TestBrowser } from '../test/support/browser.js';
import { startTestServer, type TestServer } from '../test/support/server.js';
import { browserCpuMicros, fmt, machineSummary, percentile, printTable, sleep } from './lib.js';

const WINDOW_S = Number(process.env.E2EE_BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.E2EE_BENCH_ROUNDS ?? 4);
const PAGES = Number(process.env.E2EE_BENCH_PAGES ?? 2);

/** Forwards every frame unchanged and answers the page's messages as the real worker would. */
const PASS_THROUGH_WORKER = `
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'getCounters') self.postMessage({ type: 'counters', counters: {} });
});
self.addEventListener('rtctransform', (event) => {
  const t = event.transformer;
  t.readable.pipeTo(t.writable).catch(() => undefined);
});
`;

interface Round {
  sframe: boolean;
  cpuPercent: number;
  firstFrameMs: number[];
  framesEncryptedPerS: number;
}

/** Frames the page's SFrame worker encrypted so far (0 with the pass-through worker). */
const encrypted = (page: Page) =>
  page.evaluate(() => {
    const s = (window as { __convene?: { getState(): unknown } }).__convene?.getState() as
      { e2ee?: { framesEncrypted?: number } } | null | undefined;
    return s?.e2ee?.framesEncrypted ?? 0;
  });

async function decodesAll(page: Page, others: number): Promise<boolean> {
  const video = (await inboundStats(page)).filter((s) => s.kind === 'video' && s.framesDecoded > 0);
  return video.length >= others;
}

async function round(server: TestServer, browser: TestBrowser, sframe: boolean, n: number): Promise<Round> {
  const meetingId = await server.createMeeting(`E2EE bench ${n}`);
  const pages: Page[] = [];
  const firstFrameMs: number[] = [];
  try {
    const joins = Array.from({ length: PAGES }, async (_, i) => {
      const page = await browser.newPage();
      pages.push(page);
      await page.setViewportSize({ width: 320, height: 240 });
      if (!sframe) {
        await page
          .context()
          .route('**/assets/sframeWorker-*.js', (route) =>
            route.fulfill({ contentType: 'text/javascript', body: PASS_THROUGH_WORKER }),
          );
      }
      const t0 = performance.now();
      await page.goto(`${server.url}/m/${meetingId}?name=P${i + 1}&autojoin=1`);
      return { page, t0 };
    });
    const opened = await Promise.all(joins);
    // Join -> every other participant's video decoded, per page (polled every 50 ms).
    await Promise.all(
      opened.map(async ({ page, t0 }) => {
        const deadline = t0 + 60_000;
        while (!(await decodesAll(page, PAGES - 1))) {
          if (performance.now() > deadline) throw new Error('a page never decoded every other video');
          await sleep(50);
        }
        firstFrameMs.push(performance.now() - t0);
      }),
    );
    await sleep(5_000);
    const e0 = (await Promise.all(pages.map(encrypted))).reduce((a, b) => a + b, 0);
    const c0 = browserCpuMicros();
    const w0 = performance.now();
    await sleep(WINDOW_S * 1000);
    const seconds = (performance.now() - w0) / 1000;
    const cpuS = (browserCpuMicros() - c0) / 1e6;
    const e1 = (await Promise.all(pages.map(encrypted))).reduce((a, b) => a + b, 0);
    return {
      sframe,
      cpuPercent: (100 * cpuS) / seconds,
      firstFrameMs,
      framesEncryptedPerS: (e1 - e0) / seconds,
    };
  } finally {
    await Promise.allSettled(pages.map((p) => p.context().close()));
  }
}

const server = await startTestServer();
const browser = await launchBrowser();
try {
  console.log(`bench:e2ee — ${machineSummary()}`);
  console.log(
    `load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${PAGES} pages at 320x240, real Janus, ${WINDOW_S} s windows, ${ROUNDS} rounds\n`,
  );
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(server, browser, i % 2 === 0, i));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const on = rounds.filter((r) => r.sframe);
  const off = rounds.filter((r) => !r.sframe);
  const row = (label: string, rs: Round[]) => {
    const ff = rs.flatMap((r) => r.firstFrameMs);
    return [
      label,
      rs.map((r) => fmt(r.cpuPercent)).join(', '),
      fmt(mean(rs.map((r) => r.framesEncryptedPerS)), 0),
      fmt(percentile(ff, 50), 0),
      fmt(percentile(ff, 95), 0),
    ];
  };
  const diff = mean(on.map((r) => r.cpuPercent)) - mean(off.map((r) => r.cpuPercent));
  printTable(
    [
      'SFrame',
      `CPU % of a core (${PAGES} pages), per round`,
      'frames encrypted/s (all pages)',
      'join -> all video decoded p50 ms',
      'p95 ms',
    ],
    [
      row('on (the product)', on),
      row('off (pass-through worker)', off),
      ['on - off', `${fmt(diff, 2)} (${fmt(diff / PAGES, 2)} per page)`, '', '', ''],
    ],
  );
} finally {
  await browser.close();
  await server.close();
}
