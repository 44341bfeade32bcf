/**
 * The room's UI in real Chromium, two people (Ada in Chinese, Bob in English): no English left in
 * zh-Hant and zh-Hans, keyboard-only operation and the shortcut sheet, safe links and right-to-left
 * chat, unread counts, pin and speaker view, hide self-view, the presenting banner, device switching
 * with fake devices. Also writes the room screenshots to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, openPanel, waitUntil, type TestBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { englishLeft, screenshots } from '../support/ui.js';

let server: TestServer;
let browser: TestBrowser;
let meetingId: string;
let ada: Page;
let bob: Page;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  meetingId = await server.createMeeting('周会');
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const on = (page: Page, testId: string) => page.getByTestId(testId).getAttribute('data-on');
const joined = (page: Page) =>
  page
    .locator('[data-testid="meeting-status"][data-state="joined"]')
    .waitFor({ state: 'attached', timeout: 20_000 });
const tile = (page: Page, name: string, source = 'camera') =>
  page.locator(`[data-testid="video-tile"][data-participant-name="${name}"][data-source="${source}"]`);
const stage = (page: Page) => page.locator('section.stage');

describe('room UI', () => {
  test('Ada joins in Traditional Chinese (?lang=zh-Hant): no English on the room, panels open', async () => {
    ada = await browser.newPage();
    bob = await browser.newPage();
    await ada.goto(`${server.url}/m/${meetingId}?lang=zh-Hant&name=Ada&autojoin=1`);
    await joined(ada);
    await bob.goto(`${server.url}/m/${meetingId}?name=Bob&autojoin=1`);
    await joined(bob);
    await tile(ada, 'Bob').waitFor();
    assert.equal(await ada.evaluate(() => document.documentElement.lang), 'zh-Hant');
    for (const panel of ['people', 'chat'] as const) {
      await openPanel(ada, panel);
      assert.deepEqual(await englishLeft(ada, ['Ada', 'Bob', 'Convene']), [], `English left (${panel} open)`);
    }
    // With autojoin the microphone opens just after `joined`: read the label once it is on.
    const micOn = (page: Page) =>
      page.locator('[data-testid="toggle-mic"][data-on="true"]').waitFor({ timeout: 15_000 });
    await micOn(ada);
    assert.equal(await ada.getByTestId('toggle-mic').getAttribute('aria-label'), '關閉麥克風');
    // Bob's page, with no language asked for, stays in English.
    assert.equal(await bob.evaluate(() => document.documentElement.lang), 'en');
    await micOn(bob);
    assert.equal(await bob.getByTestId('toggle-mic').getAttribute('aria-label'), 'Turn off microphone');
  });

  test('the language menu switches Ada to Simplified Chinese and remembers it', async () => {
    await ada.keyboard.press('Escape'); // closes the chat panel
    await ada.getByTestId('shortcuts-button').click();
    await ada.getByTestId('shortcuts-help').getByTestId('language-select').selectOption('zh-Hans');
    await ada.keyboard.press('Escape');
    await ada.getByTestId('shortcuts-help').waitFor({ state: 'detached' });
    assert.equal(await ada.evaluate(() => document.documentElement.lang), 'zh-Hans');
    assert.equal(await ada.evaluate(() => localStorage.getItem('convene.lang')), 'zh-Hans');
    assert.equal(await ada.getByTestId('toggle-mic').getAttribute('aria-label'), '关闭麦克风');
    for (const panel of ['people', 'chat'] as const) {
      await openPanel(ada, panel);
      assert.deepEqual(await englishLeft(ada, ['Ada', 'Bob', 'Convene']), [], `English left (${panel} open)`);
    }
    await ada.keyboard.press('Escape');
  });

  test('keyboard only: m, v, h, c, p, ? and Escape; keys typed in the chat are text', async () => {
    await bob.locator('body').click({ position: { x: 5, y: 5 } });
    const mic = await on(bob, 'toggle-mic');
    await bob.keyboard.press('m');
    assert.notEqual(await on(bob, 'toggle-mic'), mic, 'm toggles the microphone');
    await bob.keyboard.press('m');
    assert.equal(await on(bob, 'toggle-mic'), mic);
    const camera = await on(bob, 'toggle-camera');
    await bob.keyboard.press('v');
    assert.notEqual(await on(bob, 'toggle-camera'), camera, 'v toggles the camera');
    await bob.keyboard.press('v');
    await bob.keyboard.press('h');
    await waitUntil('h raises the hand (server echo)', async () => (await on(bob, 'raise-hand')) === 'true');
    await waitUntil(
      'Ada hears of the hand',
      async () => (await ada.getByTestId('live-region').textContent())?.includes('Bob 举手了') === true,
    );
    await bob.keyboard.press('h');
    await waitUntil('h lowers the hand', async () => (await on(bob, 'raise-hand')) === 'false');
    assert.equal(await bob.getByTestId('toggle-mic').getAttribute('aria-keyshortcuts'), 'M');

    await bob.keyboard.press('c');
    await bob.getByTestId('chat-input').waitFor();
    assert.equal(await bob.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'chat-input');
    await bob.keyboard.type('mvhcp');
    assert.equal(await bob.getByTestId('chat-input').inputValue(), 'mvhcp', 'letters go into the text field');
    assert.equal(await on(bob, 'toggle-mic'), mic, 'typing m in the chat does not mute');
    await bob.getByTestId('chat-input').fill('');
    await bob.keyboard.press('Escape');
    await bob.getByTestId('chat-input').waitFor({ state: 'detached' });

    await bob.keyboard.press('p');
    await bob.getByTestId('roster').waitFor();
    await bob.keyboard.press('Escape');
    await bob.getByTestId('roster').waitFor({ state: 'detached' });

    // The help sheet: opens with ?, keeps Tab inside, Escape closes it and focus comes back.
    await bob.getByTestId('raise-hand').focus();
    await bob.keyboard.press('Shift+Slash');
    const sheet = bob.getByTestId('shortcuts-help');
    await sheet.waitFor();
    for (let i = 0; i < 8; i++) {
      await bob.keyboard.press('Tab');
      assert.ok(
        await sheet.evaluate((el) => el.contains(document.activeElement)),
        'focus stays in the sheet',
      );
    }
    await bob.keyboard.press('m'); // shortcuts are off while the sheet is open
    assert.equal(await on(bob, 'toggle-mic'), mic);
    await bob.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    assert.equal(await bob.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'raise-hand');

    // Buttons work from the keyboard too.
    await bob.getByTestId('toggle-chat').focus();
    await bob.keyboard.press('Enter');
    await bob.getByTestId('chat-input').waitFor();
    await bob.keyboard.press('Escape');
  });

  test('chat: unread count, safe links only, right-to-left text; bursts collapse into one toast', async () => {
    await openPanel(ada, 'chat');
    const lines = [
      'See https://example.org/a?b=1, or www.example.net. Not javascript:alert(1) nor data:text/html,x',
      'mail mailto:team@example.org',
      'مرحبا بالجميع، هذا اختبار',
    ];
    for (const text of lines) {
      await ada.getByTestId('chat-input').fill(text);
      await ada.keyboard.press('Enter');
    }
    await waitUntil(
      'three unread on Bob',
      async () => (await bob.getByTestId('chat-unread').textContent()) === '3',
    );
    assert.equal(await bob.getByTestId('toggle-chat').getAttribute('aria-label'), 'Chat: 3 unread messages');
    assert.equal(await bob.locator('[data-testid="toast"][data-group="chat"]').count(), 1, 'one chat toast');
    await openPanel(bob, 'chat');
    assert.equal(
      await bob.locator('[data-testid="toast"][data-group="chat"]').count(),
      0,
      'hidden with the panel open',
    );
    assert.equal(await bob.getByTestId('chat-unread').count(), 0);
    await bob.locator('[data-testid="chat-message"]', { hasText: 'مرحبا' }).waitFor();
    const links = await bob.getByTestId('chat-link').evaluateAll((els) =>
      els.map((a) => ({
        href: a.getAttribute('href'),
        rel: a.getAttribute('rel'),
        target: a.getAttribute('target'),
      })),
    );
    assert.deepEqual(
      links.map((l) => l.href),
      ['https://example.org/a?b=1', 'https://www.example.net/', 'mailto:team@example.org'],
    );
    for (const link of links) {
      assert.equal(link.rel, 'noopener noreferrer');
      assert.equal(link.target, '_blank');
    }
    assert.equal(
      await bob.locator('.chat-list a[href^="javascript:"], .chat-list a[href^="data:"]').count(),
      0,
    );
    const arabic = bob.locator('[data-testid="chat-message"]', { hasText: 'مرحبا' }).locator('.chat-text');
    assert.equal(await arabic.getAttribute('dir'), 'auto');
    assert.equal(await arabic.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    const latin = bob.locator('[data-testid="chat-message"]', { hasText: 'mailto' }).locator('.chat-text');
    assert.equal(await latin.evaluate((el) => getComputedStyle(el).direction), 'ltr');
    await screenshots(bob, 'room-chat');
    await bob.keyboard.press('Escape');
    await ada.keyboard.press('Escape');
  });

  test('speaker view, a local pin and hiding the self-view', async () => {
    assert.equal(await stage(bob).getAttribute('data-layout'), 'grid');
    await bob.getByTestId('layout-toggle').click();
    assert.equal(await bob.getByTestId('layout-toggle').getAttribute('data-layout'), 'speaker');
    assert.equal(await stage(bob).getAttribute('data-focus'), 'speaker');
    assert.equal(
      await bob.locator('.presenting-main [data-testid="video-tile"]').getAttribute('data-participant-name'),
      'Ada',
    );
    await bob.getByTestId('layout-toggle').click();
    assert.equal(await stage(bob).getAttribute('data-layout'), 'grid');

    await tile(bob, 'Bob').getByTestId('tile-pin').click();
    assert.equal(await stage(bob).getAttribute('data-focus'), 'pinned');
    assert.equal(
      await bob.locator('.presenting-main [data-testid="video-tile"]').getAttribute('data-participant-name'),
      'Bob',
    );
    assert.equal(await tile(bob, 'Bob').getAttribute('data-pinned'), 'true');
    assert.equal(await stage(ada).getAttribute('data-layout'), 'grid', 'a pin is local');
    await tile(bob, 'Bob').getByTestId('tile-pin').click();
    assert.equal(await stage(bob).getAttribute('data-layout'), 'grid');

    await tile(bob, 'Bob').getByTestId('self-view-hide').click();
    assert.equal(await tile(bob, 'Bob').count(), 0, 'own tile hidden');
    await bob.getByTestId('self-view-show').click();
    assert.equal(await tile(bob, 'Bob').count(), 1);
  });

  test('the presenter sees "You are presenting — Stop"; the others can go back to the grid', async () => {
    await bob.getByTestId('toggle-screen').click();
    await bob.getByTestId('presenting-banner').waitFor();
    assert.equal(await bob.getByTestId('local-screen').count(), 0, 'no mirror of the own screen');
    await tile(ada, 'Bob', 'screen').waitFor();
    await waitUntil(
      'screen in focus for Ada',
      async () => (await stage(ada).getAttribute('data-focus')) === 'screen',
    );
    await screenshots(bob, 'room-presenting');
    await ada.getByTestId('back-to-grid').click();
    assert.equal(await stage(ada).getAttribute('data-layout'), 'grid');
    assert.equal(await tile(ada, 'Bob', 'screen').count(), 1, 'the screen stays, as a grid tile');
    await ada.getByTestId('show-screen').click();
    assert.equal(await stage(ada).getAttribute('data-focus'), 'screen');
    await bob.getByTestId('presenting-stop').click();
    await bob.getByTestId('presenting-banner').waitFor({ state: 'detached' });
    await waitUntil('screen gone for Ada', async () => (await tile(ada, 'Bob', 'screen').count()) === 0);
  });

  test('devices: the chevron menu switches the microphone in the call (fake devices)', async () => {
    await bob.getByTestId('mic-devices').click();
    const menu = bob.getByTestId('device-menu');
    await menu.waitFor();
    const select = bob.getByTestId('device-mic-select');
    const options = await select
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.ok(options.length >= 2, `several fake microphones (${options.length})`);
    const current = await select.inputValue();
    const other = options.find((id) => id !== current) as string;
    await select.selectOption(other);
    const sentMic = () =>
      bob.evaluate(async () => {
        const pcs = (window as unknown as { __testPeerConnections: RTCPeerConnection[] })
          .__testPeerConnections;
        for (const pc of pcs) {
          if (pc.connectionState === 'closed') continue;
          for (const sender of pc.getSenders()) {
            if (sender.track?.kind === 'audio') return sender.track.getSettings().deviceId ?? null;
          }
        }
        return null;
      });
    await waitUntil('the new microphone is sent', async () => (await sentMic()) === other);
    assert.equal(await bob.evaluate(() => localStorage.getItem('convene.micDeviceId')), other);
    assert.equal(await bob.getByTestId('device-test-sound').isEnabled(), true);
    await bob.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(
      await bob.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'mic-devices',
    );
    await openPanel(bob, 'people');
    await screenshots(bob, 'room-people');
  });

  test('each remote tile shows its connection quality, explained on keyboard focus', async () => {
    const indicator = tile(bob, 'Ada').getByTestId('network-quality');
    await waitUntil('a measured quality', async () =>
      ['good', 'fair', 'poor'].includes((await indicator.getAttribute('data-level')) ?? ''),
    );
    assert.equal(await tile(bob, 'Bob').getByTestId('network-quality').count(), 0, 'none on your own tile');
    await indicator.locator('button').focus();
    const tip = indicator.locator('[role="tooltip"]');
    assert.ok(await tip.isVisible(), 'the explanation shows on focus');
    assert.match((await tip.textContent()) ?? '', /Packet loss .*round trip .* ms/);
  });

  test('a refused camera: the pre-join names it, and the camera button says so and asks again', async () => {
    const cy = await browser.newPage();
    // The browser refuses the camera (not the microphone), as after "Block" in the permission prompt.
    await cy.addInitScript(() => {
      const devices = navigator.mediaDevices;
      const native = devices.getUserMedia.bind(devices);
      (window as unknown as { __cameraAsks: number }).__cameraAsks = 0;
      devices.getUserMedia = (constraints?: MediaStreamConstraints) => {
        if (constraints?.video) {
          (window as unknown as { __cameraAsks: number }).__cameraAsks++;
          return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        }
        return native(constraints);
      };
    });
    await cy.goto(`${server.url}/m/${meetingId}`);
    const denied = cy.getByTestId('prejoin-denied');
    await denied.waitFor();
    assert.match((await denied.textContent()) ?? '', /blocked the camera for this site/);
    assert.doesNotMatch((await denied.textContent()) ?? '', /microphone/);
    await cy.getByTestId('prejoin-name').fill('Cy');
    await cy.getByTestId('prejoin-join').click();
    await joined(cy);
    const camera = cy.getByTestId('toggle-camera');
    assert.equal(await camera.getAttribute('aria-label'), 'Camera blocked: ask again');
    const asks = () => cy.evaluate(() => (window as unknown as { __cameraAsks: number }).__cameraAsks);
    const before = await asks();
    await camera.click();
    await waitUntil('the camera is asked for again', async () => (await asks()) > before);
    assert.equal(await cy.getByTestId('toggle-mic').getAttribute('aria-label'), 'Turn off microphone');
    await cy.getByTestId('leave').click();
  });
});
