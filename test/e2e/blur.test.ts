/**
 * Background blur in real Chromium, two pages at 320x240 from the fake camera: Ana turns blur on in the
 * pre-join screen, joins, and Bo still receives and decodes her video, now blurred; Ana turns it off in
 * the device menu and the plain camera is back, at her preview, in her publisher and at Bo. The model
 * and the WebAssembly runtime come from Convene's own origin only (every request is recorded), under
 * the strict Content-Security-Policy, and the choice is remembered. When the model cannot load (Bo's
 * page, the model answered with 404), the switch says so and the plain camera goes on.
 *
 * "Blurred" is measured, not assumed: the share of sharp edges (neighbouring pixels more than 16 grey
 * levels apart) in what a video element shows. The fake camera's pattern has sharp edges (its moving
 * disc and its digits); blurred, it has almost none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { BLUR_ASSET_PATH } from '../../src/client/blurAssets.js';
import { cspViolations, inboundStats, launchBrowser, type TestBrowser } from '../support/browser.js';
import { fixedCameraScript } from '../support/camera.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { axeViolations, describeViolations } from '../support/ui.js';

let server: TestServer;
let browser: TestBrowser;
let ana: Page;
let bo: Page;
let meetingId: string;
const requests: string[] = [];

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  meetingId = await server.createMeeting('Blur check');
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function smallCameraPage(): Promise<Page> {
  const page = await browser.newPage();
  // Small frames: blur runs on the CPU of a shared test machine.
  await page.context().addInitScript(fixedCameraScript(320, 240));
  page.on('request', (req) => requests.push(req.url()));
  return page;
}

const joined = (page: Page) =>
  page
    .locator('[data-testid="meeting-status"][data-state="joined"]')
    .waitFor({ state: 'attached', timeout: 20_000 });

/** Per mille of horizontally neighbouring grey pixels of a video element that differ by more than 16. */
function sharpEdges(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const video = document.querySelector<HTMLVideoElement>(sel);
    if (!video || video.videoWidth === 0) return -1;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return -1;
    ctx.drawImage(video, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x + 1 < width; x++) {
        const i = (y * width + x) * 4;
        const a = data[i]! + data[i + 1]! + data[i + 2]!;
        const b = data[i + 4]! + data[i + 5]! + data[i + 6]!;
        if (Math.abs(a - b) / 3 > 16) sum++;
      }
    }
    return (1000 * sum) / ((width - 1) * height);
  }, selector);
}

/** Waits until the video shows what `accept` wants (frames take a moment to change), and returns it. */
async function waitForEdges(page: Page, selector: string, accept: (e: number) => boolean): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    last = await sharpEdges(page, selector);
    if (last >= 0 && accept(last)) return last;
    await page.waitForTimeout(250);
  }
  return last;
}

/** The label of the track Ana's publisher sends as video, and of her camera device. */
function senderAndCamera(page: Page): Promise<{ sender: string | null; camera: string | null }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __testPeerConnections: RTCPeerConnection[] }).__testPeerConnections;
    const sender = pcs
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .find((s) => s.track?.kind === 'video');
    const devices = await navigator.mediaDevices.enumerateDevices();
    const camera = devices.find((d) => d.kind === 'videoinput');
    return { sender: sender?.track?.label ?? null, camera: camera?.label ?? null };
  });
}

async function framesFromAna(): Promise<number> {
  const stats = await inboundStats(bo);
  return stats.filter((s) => s.kind === 'video').reduce((n, s) => n + s.framesDecoded, 0);
}

async function framesGrow(): Promise<number> {
  const before = await framesFromAna();
  let now = before;
  for (let i = 0; i < 80 && now <= before + 5; i++) {
    await bo.waitForTimeout(250);
    now = await framesFromAna();
  }
  return now - before;
}

const LOCAL = '[data-testid="local-video"]';
const FROM_ANA = '[data-testid="video-tile"][data-participant-name="Ana"] video';

describe('background blur', () => {
  let plainLocal = 0;
  let plainRemote = 0;

  test('off by default; Bo sees Ana plain first', async () => {
    ana = await smallCameraPage();
    await ana.goto(`${server.url}/m/${meetingId}`);
    await ana.getByTestId('prejoin-name').fill('Ana');
    const toggle = ana.getByTestId('prejoin-blur-toggle');
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), false);
    assert.equal(await ana.getByTestId('prejoin-blur-status').getAttribute('data-blur'), 'off');
    await ana.getByTestId('prejoin-join').click();
    await joined(ana);
    bo = await smallCameraPage();
    await bo.goto(`${server.url}/m/${meetingId}?name=Bo&autojoin=1`);
    await joined(bo);
    await bo.locator(FROM_ANA).waitFor({ timeout: 15_000 });
    plainRemote = await waitForEdges(bo, FROM_ANA, (e) => e > 0);
    plainLocal = await waitForEdges(ana, LOCAL, (e) => e > 0);
    assert.ok(plainRemote > 0 && plainLocal > 0, `plain edges: local ${plainLocal}, remote ${plainRemote}`);
    const { sender, camera } = await senderAndCamera(ana);
    assert.ok(camera, 'the fake camera has a label');
    assert.equal(sender, camera, 'the plain camera is sent');
    assert.equal(
      requests.filter((u) => u.includes(BLUR_ASSET_PATH)).length,
      0,
      'nothing of blur loads while it is off',
    );
  });

  test('turned on in the device menu: blurred at Ana and at Bo, and frames keep coming', async (t) => {
    await ana.getByTestId('camera-devices').click();
    const toggle = ana.getByTestId('device-blur-toggle');
    await toggle.check({ force: true });
    await ana
      .locator('[data-testid="device-blur-status"][data-blur="on"]')
      .waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await ana.evaluate(() => localStorage.getItem('convene.backgroundBlur')), 'on');
    const { sender, camera } = await senderAndCamera(ana);
    assert.notEqual(sender, camera, 'the publisher now sends the blurred track');
    const blurredLocal = await waitForEdges(ana, LOCAL, (e) => e < plainLocal * 0.3);
    assert.ok(blurredLocal >= 0 && blurredLocal < plainLocal * 0.3, `local ${plainLocal} -> ${blurredLocal}`);
    const blurredRemote = await waitForEdges(bo, FROM_ANA, (e) => e < plainRemote * 0.3);
    assert.ok(
      blurredRemote >= 0 && blurredRemote < plainRemote * 0.3,
      `remote ${plainRemote} -> ${blurredRemote}`,
    );
    t.diagnostic(
      `sharp edges, local ${plainLocal} -> ${blurredLocal}, at Bo ${plainRemote} -> ${blurredRemote}`,
    );
    assert.ok((await framesGrow()) > 5, 'Bo keeps decoding frames from the blurred track');
    const violations = await axeViolations(ana);
    assert.deepEqual(violations, [], `the open device menu with blur on:\n${describeViolations(violations)}`);
  });

  test('the model and the runtime came from Convene only, under the CSP', () => {
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => /^https?:/.test(u) && new URL(u).origin !== origin);
    assert.deepEqual(foreign, [], 'no request left the Convene origin');
    const blur = requests.filter((u) => u.includes(BLUR_ASSET_PATH));
    assert.ok(
      blur.some((u) => u.endsWith('.tflite')),
      `the model was fetched: ${blur.join(', ')}`,
    );
    assert.ok(
      blur.some((u) => u.endsWith('.wasm')),
      `the runtime was fetched: ${blur.join(', ')}`,
    );
    for (const p of [ana, bo]) assert.deepEqual(cspViolations.get(p) ?? [], []);
  });

  test('a model that cannot load: Bo is told, and his plain camera goes on', async () => {
    await bo.route(`**${BLUR_ASSET_PATH}*.tflite`, (route) => route.fulfill({ status: 404, body: '' }));
    await bo.getByTestId('camera-devices').click();
    await bo.getByTestId('device-blur-toggle').check({ force: true });
    const status = bo.locator('[data-testid="device-blur-status"][data-blur="failed"]');
    await status.waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(
      await status.innerText(),
      'Background blur could not start on this device, so your camera is shown as it is.',
    );
    assert.equal(await bo.getByTestId('device-blur-toggle').isChecked(), false);
    const violations = await axeViolations(bo);
    assert.deepEqual(violations, [], `the blur failure message:\n${describeViolations(violations)}`);
    const { sender, camera } = await senderAndCamera(bo);
    assert.equal(sender, camera, 'Bo still sends his camera');
    await bo.unroute(`**${BLUR_ASSET_PATH}*.tflite`);
    await bo.keyboard.press('Escape');
  });

  test('turned off: the plain camera is back at Ana, in her publisher and at Bo', async (t) => {
    await ana.getByTestId('device-blur-toggle').uncheck({ force: true });
    await ana
      .locator('[data-testid="device-blur-status"][data-blur="off"]')
      .waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal(await ana.evaluate(() => localStorage.getItem('convene.backgroundBlur')), null);
    const { sender, camera } = await senderAndCamera(ana);
    assert.equal(sender, camera, 'the device track is sent again');
    const local = await waitForEdges(ana, LOCAL, (e) => e > plainLocal * 0.8);
    assert.ok(local > plainLocal * 0.8, `local back to plain: ${plainLocal} -> ${local}`);
    const remote = await waitForEdges(bo, FROM_ANA, (e) => e > plainRemote * 0.8);
    assert.ok(remote > plainRemote * 0.8, `remote back to plain: ${plainRemote} -> ${remote}`);
    t.diagnostic(`sharp edges after blur off, local ${local}, at Bo ${remote}`);
    assert.ok((await framesGrow()) > 5, 'Bo keeps decoding frames');
  });
});
