/**
 * bench:blur — the CPU cost of background blur in headless Chromium (Debian's, fake camera), at
 * 320x240 and 640x480, against the same page with blur off, in one run.
 *
 * The page is the pre-join screen of a meeting (camera preview only: no WebRTC encoding, so the
 * difference is blur's). For each size: one browser, the camera pinned to that size, a warm-up, then
 * a window with blur off and a window with blur on. CPU is utime + stime of every Chromium process
 * this benchmark started (browser, renderer, GPU process: blur's WebGL runs in SwiftShader there on
 * a machine without a GPU), read from /proc. Frames are those the preview element presented
 * (requestVideoFrameCallback), so "per frame" is per frame the person sees and sends.
 *
 * Usage: npm run bench:blur   (BLUR_BENCH_SECONDS=10 per window by default)
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchBrowser, type TestBrowser } from '../test/support/browser.js';
import { fixedCameraScript } from '../test/support/camera.js';
import { loadConfig } from '../src/config.js';
import { MemoryEngine } from '../src/media/memory/MemoryEngine.js';
import { startConvene } from '../src/server/main.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { browserCpuMicros, createMeeting, fmt, machineSummary, printTable, sleep } from './lib.js';

const WINDOW_S = Number(process.env.BLUR_BENCH_SECONDS ?? 10);
const WARMUP_S = 4;
const SIZES = [
  { width: 320, height: 240 },
  { width: 640, height: 480 },
] as const;

/**
 * Counts frames the preview element presents into `window.__frames` (a string, so that the page gets
 * the code as written, without the helpers the TypeScript loader adds to named functions).
 */
const COUNT_FRAMES = `(() => {
  window.__frames = 0;
  if (window.__counting) return;
  window.__counting = true;
  const tick = () => {
    const video = document.querySelector('[data-testid="prejoin-video"]');
    if (!video) return void setTimeout(tick, 50);
    video.requestVideoFrameCallback(() => {
      window.__frames++;
      tick();
    });
  };
  tick();
})()`;

const frames = (page: Page) => page.evaluate(() => (window as unknown as { __frames: number }).__frames);

interface Window {
  cpuPercent: number;
  fps: number;
  cpuMsPerFrame: number;
}

async function measure(page: Page): Promise<Window> {
  await sleep(WARMUP_S * 1000);
  const f0 = await frames(page);
  const c0 = browserCpuMicros();
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const f1 = await frames(page);
  const c1 = browserCpuMicros();
  const seconds = (performance.now() - t0) / 1000;
  const cpuS = (c1 - c0) / 1e6;
  const count = f1 - f0;
  return { cpuPercent: (100 * cpuS) / seconds, fps: count / seconds, cpuMsPerFrame: (1000 * cpuS) / count };
}

async function runSize(browser: TestBrowser, url: string, width: number, height: number) {
  const page = await browser.newPage();
  await page.context().addInitScript(fixedCameraScript(width, height));
  await page.goto(url);
  await page.getByTestId('prejoin-blur-toggle').waitFor();
  await page.waitForFunction(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="prejoin-video"]');
    return !!v && v.videoWidth > 0;
  });
  await page.evaluate(COUNT_FRAMES);
  const off = await measure(page);
  await page.getByTestId('prejoin-blur-toggle').check({ force: true });
  const status = page.locator('[data-testid="prejoin-blur-status"]');
  await page
    .locator('[data-testid="prejoin-blur-status"][data-blur="on"]')
    .waitFor({ state: 'attached', timeout: 60_000 })
    .catch(async () => {
      throw new Error(`blur did not start: ${await status.getAttribute('data-blur')}`);
    });
  const on = await measure(page);
  await page.context().close();
  return { off, on };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-blur-'));
const server = await startConvene(loadConfig({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn' }), {
  engine: new MemoryEngine(),
});
const browser = await launchBrowser();
try {
  const meeting = await createMeeting(server.url);
  console.log(`bench:blur — ${machineSummary()}`);
  console.log(
    `${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}; load average at start ` +
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
  );
  console.log(
    `headless Chromium, fake camera, pre-join preview; ${WARMUP_S} s warm-up, ${WINDOW_S} s windows\n`,
  );
  const rows: string[][] = [];
  for (const { width, height } of SIZES) {
    const { off, on } = await runSize(browser, `${server.url}/m/${meeting}`, width, height);
    for (const [label, w] of [
      ['off', off],
      ['on', on],
    ] as const) {
      rows.push([`${width}x${height}`, label, fmt(w.cpuPercent), fmt(w.fps), fmt(w.cpuMsPerFrame)]);
    }
    rows.push([
      `${width}x${height}`,
      'on/off',
      `x${fmt(on.cpuPercent / off.cpuPercent, 2)}`,
      `x${fmt(on.fps / off.fps, 2)}`,
      `+${fmt(on.cpuMsPerFrame - off.cpuMsPerFrame)} ms`,
    ]);
  }
  printTable(['camera', 'blur', 'CPU % of a core', 'frames/s shown', 'CPU ms per frame'], rows);
} finally {
  await browser.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
