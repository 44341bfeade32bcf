/**
 * SFrame in real Chromium without a Convene server: the worker and a test page are bundled with esbuild
 * and served from a local node:http server; one page sends its fake camera and microphone from one
 * RTCPeerConnection to another through the encrypt and decrypt SFrame workers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import type { LoopbackStats } from '../support/sframeLoopbackPage.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let server: Server;
let url: string;
let browser: TestBrowser;

function bundle(entry: string, out: string, format: 'iife' | 'esm'): void {
  // esbuild comes with tsx (a dependency); the worker must be its own script, as in the web app.
  const esbuild = path.join(root, 'node_modules/.bin/esbuild');
  const args = [
    entry,
    '--bundle',
    `--format=${format}`,
    '--target=es2022',
    `--outfile=${path.join(dir, out)}`,
    '--log-level=warning',
  ];
  const r = spawnSync(esbuild, args, { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `esbuild ${entry}: ${r.stderr}`);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'convene-sframe-e2e-'));
  bundle('src/client/e2ee/sframeWorker.ts', 'sframeWorker.js', 'iife');
  bundle('test/support/sframeLoopbackPage.ts', 'page.js', 'esm');
  const files: Record<string, [string, string]> = {
    '/': ['<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>', 'text/html'],
    '/page.js': [await readFile(path.join(dir, 'page.js'), 'utf8'), 'text/javascript'],
    '/sframeWorker.js': [await readFile(path.join(dir, 'sframeWorker.js'), 'utf8'), 'text/javascript'],
  };
  server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    res
      .writeHead(file ? 200 : 404, { 'content-type': file?.[1] ?? 'text/plain' })
      .end(file?.[0] ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // http://127.0.0.1 is a secure context, so crypto.subtle exists in the page and the workers.
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const KEY_A = Array.from({ length: 16 }, (_, i) => i + 1);
const KEY_B = Array.from({ length: 16 }, (_, i) => 0xf0 - i);

async function open(senderKey: number[], receiverKey: number[], senderEpoch = 1): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'sframeLoopback' in window);
  await page.evaluate(
    ([s, r, e]) =>
      (
        window as unknown as { sframeLoopback: { start(a: number[], b: number[], e: number): Promise<void> } }
      ).sframeLoopback.start(s, r, e),
    [senderKey, receiverKey, senderEpoch] as const,
  );
  return page;
}

const stats = (page: Page): Promise<LoopbackStats> =>
  page.evaluate(() =>
    (window as unknown as { sframeLoopback: { stats(): Promise<LoopbackStats> } }).sframeLoopback.stats(),
  );

async function waitFor(
  page: Page,
  what: string,
  check: (s: LoopbackStats) => boolean,
  timeoutMs = 30_000,
): Promise<LoopbackStats> {
  const deadline = Date.now() + timeoutMs;
  let last = await stats(page);
  while (!check(last)) {
    if (Date.now() > deadline)
      assert.fail(`timed out waiting for ${what}; last stats ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 500));
    last = await stats(page);
  }
  return last;
}

describe('SFrame loopback in Chromium', () => {
  test('with the same epoch secret, video frames are encrypted, decrypted and decoded', async () => {
    const page = await open(KEY_A, KEY_A);
    const s = await waitFor(page, '30 decoded video frames', (x) => x.video.framesDecoded >= 30);
    assert.ok((s.sender['send-video']?.framesEncrypted ?? 0) > 0, 'sender encrypted video');
    assert.ok((s.sender['send-audio']?.framesEncrypted ?? 0) > 0, 'sender encrypted audio');
    const recvVideo = s.receiver['recv-video'];
    assert.ok(recvVideo && recvVideo.framesDecrypted >= 30, 'receiver decrypted video');
    assert.equal(recvVideo.framesDropped.authFailed, 0);
    const a = await waitFor(
      page,
      'decrypted audio',
      (x) => (x.receiver['recv-audio']?.framesDecrypted ?? 0) > 10,
    );
    assert.equal(a.receiver['recv-audio']?.framesDropped.authFailed, 0);
    await page.context().close();
  });

  test('with a different epoch secret, packets arrive but no frame decrypts or decodes', async () => {
    const page = await open(KEY_A, KEY_B);
    const s = await waitFor(
      page,
      'at least 30 video frames failing authentication',
      (x) => (x.receiver['recv-video']?.framesDropped.authFailed ?? 0) >= 30,
    );
    assert.ok(s.video.packetsReceived > 30, 'RTP packets did arrive');
    assert.equal(s.video.framesDecoded, 0);
    assert.equal(s.receiver['recv-video']?.framesDecrypted, 0);
    assert.equal(s.receiver['recv-video']?.framesDropped.noKey, 0, 'a wrong key is authFailed, not noKey');
    assert.equal(s.receiver['recv-audio']?.framesDecrypted ?? 0, 0);
    await page.context().close();
  });

  test("without a key for the sender's epoch, frames are dropped as noKey and keyframe requests are throttled", async () => {
    const started = Date.now();
    // The sender is already in epoch 2 (as after a commit the receiver has not processed yet), so its
    // KIDs name an epoch the receiver has no secret for.
    const page = await open(KEY_A, KEY_A, 2);
    const s = await waitFor(
      page,
      '60 video frames dropped for lack of a key',
      (x) => (x.receiver['recv-video']?.framesDropped.noKey ?? 0) >= 60,
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    const video = s.receiver['recv-video'];
    assert.ok(video);
    assert.equal(video.framesDropped.authFailed, 0, 'a missing key is noKey, not authFailed');
    assert.equal(s.video.framesDecoded, 0);
    // One request per second at most (keyframeThrottle.ts): far fewer than the frames dropped.
    assert.ok(video.keyframeRequests >= 1, 'asked for a keyframe');
    assert.ok(
      video.keyframeRequests <= Math.ceil(elapsedSeconds) + 1,
      `${video.keyframeRequests} keyframe requests in ${elapsedSeconds} s for ${video.framesDropped.noKey} dropped frames`,
    );
    await page.context().close();
  });
});
