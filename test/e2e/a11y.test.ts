/**
 * axe-core finds no violations (WCAG 2.1 A/AA and best practices) on every screen, in the dark and in
 * the light theme: home, sign in, sign up, My meetings, the schedule form, pre-join, the lobby, the
 * room with the People and the Chat panel open, and the end screens. Two pages: a host and a guest.
 * Also writes the screenshots of those screens to docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, openPanel, type TestBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { axeViolations, describeViolations, screenshots } from '../support/ui.js';

let server: TestServer;
let browser: TestBrowser;
let host: Page;
let guest: Page;
let meetingPath: string;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Checks the page as it is, in both themes (the app follows prefers-color-scheme). */
/** `shot`: the screenshot name, taken in the dark theme (and in the light one with `light: true`). */
async function checkBothThemes(page: Page, what: string, shot?: string, light = false): Promise<void> {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction((theme) => document.documentElement.dataset.theme === theme, colorScheme);
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${what} (${colorScheme}):\n${describeViolations(violations)}`);
    if (shot && colorScheme === 'dark') await screenshots(page, shot);
    if (shot && light && colorScheme === 'light') await screenshots(page, `${shot}-light`);
  }
  await page.emulateMedia({ colorScheme: 'dark' });
}

describe('accessibility (axe-core)', () => {
  test('home, sign up, sign in', async () => {
    host = await browser.newPage();
    await host.goto(`${server.url}/`);
    await host.getByTestId('create-meeting').waitFor();
    await checkBothThemes(host, 'home', 'home', true);
    await host.goto(`${server.url}/signin`);
    await host.getByTestId('signin-email').waitFor();
    await checkBothThemes(host, 'sign in');
    await host.goto(`${server.url}/signup`);
    await host.getByTestId('signup-name').fill('Hana Host');
    await host.getByTestId('signup-email').fill('hana-a11y@example.org');
    await host.getByTestId('signup-password').fill('short');
    await checkBothThemes(host, 'sign up (with a field hint)');
  });

  test('My meetings (empty and with a meeting) and the schedule form', async () => {
    await host.getByTestId('signup-password').fill('correct horse battery');
    await host.getByTestId('signup-submit').click();
    await host.waitForURL('**/meetings');
    await host.locator('.empty-state').waitFor();
    await checkBothThemes(host, 'My meetings (empty)');
    await host.getByTestId('schedule-meeting').click();
    await host.getByTestId('meeting-title').fill('Design review');
    await host.getByTestId('meeting-lobby').check({ force: true });
    await host.getByTestId('meeting-region-mode').selectOption('deny');
    await host.getByTestId('meeting-region-codes').fill('DE, XX');
    await checkBothThemes(host, 'schedule form (with a problem shown)', 'schedule', true);
    await host.getByTestId('meeting-region-mode').selectOption('none');
    await host.getByTestId('meeting-save').click();
    await host.getByTestId('meeting-row').waitFor();
    await checkBothThemes(host, 'My meetings', 'my-meetings', true);
    meetingPath = (await host.getByTestId('meeting-start').getAttribute('href')) ?? '';
    assert.match(meetingPath, /^\/m\//);
  });

  test('pre-join, the lobby, and the room with People and Chat open', async () => {
    await host.getByTestId('meeting-start').click();
    await host.getByTestId('prejoin-join').waitFor();
    await host.getByTestId('prejoin-video').waitFor();
    await checkBothThemes(host, 'pre-join', 'prejoin');
    await host.getByTestId('prejoin-join').click();
    await host
      .locator('[data-testid="meeting-status"][data-state="joined"]')
      .waitFor({ state: 'attached', timeout: 20_000 });

    guest = await browser.newPage();
    await guest.goto(`${server.url}${meetingPath}`);
    await guest.getByTestId('prejoin-name').fill('Gus');
    await guest.getByTestId('prejoin-join').click();
    await guest.getByTestId('lobby-wait').waitFor({ timeout: 20_000 });
    await checkBothThemes(guest, 'lobby wait', 'lobby');

    await host.getByTestId('lobby-toast').waitFor();
    await openPanel(host, 'people');
    await host.getByTestId('lobby-admit').click();
    await guest
      .locator('[data-testid="meeting-status"][data-state="joined"]')
      .waitFor({ state: 'attached', timeout: 20_000 });
    await host.locator('[data-testid="roster-entry"][data-participant-name="Gus"]').waitFor();
    await host.getByTestId('raise-hand').click();
    await host.getByTestId('hand-queue').waitFor();
    await checkBothThemes(host, 'room, People panel (host, raised hand)', 'room-host');
    await openPanel(host, 'chat');
    await host.getByTestId('chat-input').fill('Welcome, see https://example.org');
    await host.keyboard.press('Enter');
    await guest.getByTestId('chat-unread').waitFor();
    await checkBothThemes(guest, 'room, guest with an unread message');
    await host.locator('[data-testid="chat-message"]').waitFor();
    await checkBothThemes(host, 'room, Chat panel');
    await host.getByTestId('shortcuts-button').click();
    await checkBothThemes(host, 'room, shortcuts sheet');
    await host.keyboard.press('Escape');
    await host.getByTestId('reactions-button').click();
    await host.getByTestId('reactions-menu').waitFor();
    await checkBothThemes(host, 'room, reactions menu');
    await host.getByTestId('reaction-heart').click();
    await guest.locator('[data-testid="reaction-bubble"]').first().waitFor();
    await checkBothThemes(guest, 'room, a reaction floating over a tile');
    await host.keyboard.press('Escape');
    const gusTile = host.locator('[data-testid="video-tile"][data-participant-name="Gus"]');
    await gusTile.hover();
    await gusTile.getByTestId('tile-spotlight').click();
    await guest.locator('section.stage[data-focus="spotlight"]').waitFor();
    await checkBothThemes(guest, 'room, spotlighted for everyone');
    await gusTile.hover();
    await gusTile.getByTestId('tile-spotlight').click();
    await host.getByTestId('leave').click();
    await host.getByTestId('host-leave-dialog').waitFor();
    await checkBothThemes(host, 'room, host leave dialog (hand over or end)');
    assert.equal(
      await host.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'host-leave-new-host',
      'the destructive button does not get the first focus',
    );
    await host.keyboard.press('Escape');
    await host.getByTestId('end-meeting').click();
    await checkBothThemes(host, 'room, end-for-all dialog');
    assert.equal(
      await host.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      null,
      'the destructive button does not get the first focus',
    );
    assert.equal(await host.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await host.keyboard.press('Escape');
  });

  test('the end screens: removed (guest) and left (host)', async () => {
    await openPanel(host, 'people');
    const gus = host.locator('[data-testid="roster-entry"][data-participant-name="Gus"]');
    await gus.getByTestId('participant-menu').click();
    await host.keyboard.press('End'); // arrow keys and Home/End move in the menu
    assert.equal(
      await host.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'action-remove',
    );
    await host.keyboard.press('Enter');
    await host.getByTestId('remove-confirm').click();
    await guest.getByTestId('session-ended').waitFor({ timeout: 20_000 });
    await checkBothThemes(guest, 'end screen (removed)', 'ended');
    await host.getByTestId('leave').click();
    await host.locator('[data-testid="meeting-status"][data-state="left"]').waitFor();
    await checkBothThemes(host, 'left screen');
  });
});
