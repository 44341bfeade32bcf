/**
 * Three people in real Chromium (fake camera and microphone) in one meeting through Convene and Janus.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  cspViolations,
  inboundStats,
  launchBrowser,
  openPanel,
  peerConnectionCount,
  type TestBrowser,
  waitUntil,
} from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: TestBrowser;
let meetingId: string;
const pages: Page[] = [];
const NAMES = ['Ada', 'Grace', 'Linus'];

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  meetingId = await server.createMeeting('e2e');
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const rosterNames = (page: Page) =>
  page
    .locator('[data-testid="roster-entry"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-participant-name')));

describe('three people in Chromium', () => {
  test('each joins by link with a name and sees the other two', async () => {
    for (const name of NAMES) {
      const page = await browser.newPage();
      pages.push(page);
      await page.goto(`${server.url}/m/${meetingId}`);
      await page.getByTestId('prejoin-name').fill(name);
      await page.getByTestId('prejoin-join').click();
      await page.locator('[data-testid="meeting-status"][data-state="joined"]').waitFor({ timeout: 20_000 });
    }
    for (const page of pages) {
      await openPanel(page, 'people');
      await waitUntil('full roster', async () => (await rosterNames(page)).length === 3);
      assert.deepEqual((await rosterNames(page)).sort(), [...NAMES].sort());
    }
  });

  test('each decodes video from the other two (framesDecoded close to framesReceived) and receives audio', async () => {
    for (const page of pages) {
      await waitUntil(
        'two remote camera videos',
        async () => (await page.locator('[data-testid="remote-video"][data-source="camera"]').count()) === 2,
      );
      // Let media run, then read the receiver's own counters twice to see them advance.
      await waitUntil('decoded video from both', async () => {
        const v = (await inboundStats(page)).filter((s) => s.kind === 'video' && s.framesDecoded > 30);
        return v.length >= 2;
      });
      // Counted over a window once both decode: frames that arrived before the page held the group's
      // keys (end-to-end encryption) are never decodable, so counting from the stream's start would
      // measure how long the keys took (a starved CI page once decoded 297 of 337 that way).
      const first = await inboundStats(page);
      await new Promise((r) => setTimeout(r, 3000));
      const second = await inboundStats(page);
      const video = second.filter((s) => s.kind === 'video' && s.framesReceived > 0);
      assert.equal(video.length, 2, 'two inbound video streams');
      for (const v of video) {
        const before = first.find((f) => f.mid === v.mid && f.kind === 'video');
        assert.ok(before, 'the stream was there before');
        const received = v.framesReceived - before.framesReceived;
        const decoded = v.framesDecoded - before.framesDecoded;
        // A few frames may sit in the jitter buffer at either reading.
        assert.ok(received > 0 && decoded >= 0.9 * received - 5, `decoded ${decoded} of ${received} frames`);
        // Decoding keeps going: allow a pause (a new epoch's keyframe, a starved CI machine), not a stop.
        await waitUntil('decoding keeps going', async () =>
          (await inboundStats(page)).some(
            (s) => s.mid === v.mid && s.kind === 'video' && s.framesDecoded > before.framesDecoded + 10,
          ),
        );
      }
      const audio = second.filter((s) => s.kind === 'audio' && s.packetsReceived > 0);
      assert.equal(audio.length, 2, 'two inbound audio streams');
      for (const a of audio) {
        const before = first.find((f) => f.mid === a.mid && f.kind === 'audio');
        assert.ok(before && a.packetsReceived > before.packetsReceived + 20, 'audio packets keep arriving');
        assert.ok(a.totalAudioEnergy > 0, 'the fake microphone tone is heard');
      }
      // The video elements themselves are playing.
      const playing = await page
        .locator('[data-testid="remote-video"][data-source="camera"]')
        .evaluateAll((els) =>
          els.map((e) => (e as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames),
        );
      for (const frames of playing) assert.ok(frames > 0, 'remote <video> renders frames');
    }
  });

  test('a screen share reaches the others', async () => {
    const [sharer, ...others] = pages as [Page, ...Page[]];
    await sharer.getByTestId('toggle-screen').click();
    for (const page of others) {
      await waitUntil(
        'remote screen share video',
        async () => (await page.locator('[data-testid="remote-video"][data-source="screen"]').count()) === 1,
      );
      await waitUntil(
        'screen frames decoded',
        async () =>
          (await page
            .locator('[data-testid="remote-video"][data-source="screen"]')
            .evaluate((e) => (e as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames)) > 0,
      );
    }
    await sharer.getByTestId('toggle-screen').click();
    for (const page of others) {
      await waitUntil(
        'screen share gone',
        async () => (await page.locator('[data-testid="remote-video"][data-source="screen"]').count()) === 0,
      );
    }
  });

  test('chat arrives at everyone', async () => {
    const [sender, ...others] = pages as [Page, ...Page[]];
    await openPanel(sender, 'chat');
    await sender.getByTestId('chat-input').fill('Hello from Ada');
    await sender.getByTestId('chat-send').click();
    for (const page of others) {
      await openPanel(page, 'chat');
      await page
        .locator('[data-testid="chat-message"]', { hasText: 'Hello from Ada' })
        .waitFor({ timeout: 10_000 });
      assert.equal(
        await page
          .locator('[data-testid="chat-message"]', { hasText: 'Hello from Ada' })
          .getAttribute('data-from-name'),
        'Ada',
      );
    }
  });

  test("a page that leaves disappears from the others' participant lists", async () => {
    const leaver = pages.pop() as Page;
    await leaver.getByTestId('leave').click();
    await leaver.locator('[data-testid="meeting-status"][data-state="left"]').waitFor({ timeout: 10_000 });
    for (const page of pages) {
      await openPanel(page, 'people');
      await waitUntil('leaver gone from roster', async () => !(await rosterNames(page)).includes('Linus'));
      await waitUntil(
        'leaver video gone',
        async () => (await page.locator('[data-testid="remote-video"][data-source="camera"]').count()) === 1,
      );
    }
  });
});

describe('media server restart in the browser', () => {
  test('after Janus is killed, the pages decode each other again without rejoining', async () => {
    const selfIds = await Promise.all(
      pages.map((p) => p.evaluate(() => window.__convene?.getState()?.self?.id)),
    );
    const pid = server.janusPid();
    assert.ok(pid);
    const pcsBefore = await Promise.all(pages.map((p) => peerConnectionCount(p)));
    process.kill(pid, 'SIGKILL');
    for (const [i, page] of pages.entries()) {
      // The client drops its PeerConnections and makes new ones; only those count as recovered.
      const fresh = () => inboundStats(page, pcsBefore[i]);
      await waitUntil(
        'video decoding on a new PeerConnection after the restart',
        async () => (await fresh()).some((s) => s.kind === 'video' && s.framesDecoded > 20),
        15_000,
      );
      const a = (await fresh()).filter((s) => s.kind === 'video').reduce((n, s) => n + s.framesDecoded, 0);
      await new Promise((r) => setTimeout(r, 1000));
      const b = (await fresh()).filter((s) => s.kind === 'video').reduce((n, s) => n + s.framesDecoded, 0);
      assert.ok(b > a + 5, `frames keep being decoded after the restart (${a} -> ${b})`);
      assert.ok(
        (await fresh()).some((s) => s.kind === 'audio' && s.packetsReceived > 0),
        'audio is back too',
      );
    }
    assert.notEqual(server.janusPid(), pid);
    const selfAfter = await Promise.all(
      pages.map((p) => p.evaluate(() => window.__convene?.getState()?.self?.id)),
    );
    assert.deepEqual(selfAfter, selfIds, 'same participants: nobody rejoined');
  });

  test('the app runs under the Content-Security-Policy without a violation', async () => {
    const page = pages[0];
    assert.ok(page);
    const res = await page.request.get(`${server.url}/m/${meetingId}`);
    assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.equal(res.headers()['x-frame-options'], 'DENY');
    for (const p of pages) assert.deepEqual(cspViolations.get(p) ?? [], []);
  });

  test('creating an anonymous meeting in the page makes that browser its host, with no key in storage', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    const created = await page.request.post(`${server.url}/api/meetings`, { data: {} });
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${server.url}/m/${id}?name=Hana&autojoin=1`);
    await page.locator('[data-testid="meeting-status"][data-state="joined"]').waitFor({ timeout: 20_000 });
    await openPanel(page, 'people');
    await page
      .locator('[data-testid="roster-entry"][data-participant-name="Hana"][data-role="host"]')
      .waitFor();
    const stored = await page.evaluate(() =>
      Object.keys(window.localStorage).filter((k) => k.includes('hostKey')),
    );
    assert.deepEqual(stored, []);
    const readable = await page.evaluate(() => document.cookie);
    assert.doesNotMatch(readable, /convene_host_/);
    assert.deepEqual(cspViolations.get(page) ?? [], []);
    await page.close();
  });
});
