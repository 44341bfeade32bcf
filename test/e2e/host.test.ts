/**
 * A host and a guest in real Chromium: the host signs up and schedules a meeting with a lobby and a
 * passcode; the guest joins by link, waits, is admitted, is muted by the host, raises a hand and is
 * removed; the host ends the meeting and it stays in My meetings as history. A wrong passcode and a
 * made-up meeting id look identical to a guest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, openPanel, type TestBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: TestBrowser;
let host: Page;
let guest: Page;
let meetingUrl: string;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const byName = (page: Page, testId: string, name: string) =>
  page.locator(`[data-testid="${testId}"][data-participant-name="${name}"]`);

describe('host and guest', () => {
  test('the host signs up, signs in again and schedules a meeting with a lobby and a passcode', async () => {
    host = await browser.newPage();
    await host.goto(`${server.url}/signup`);
    await host.getByTestId('signup-name').fill('Hana Host');
    await host.getByTestId('signup-email').fill('hana@example.org');
    await host.getByTestId('signup-password').fill('correct horse battery');
    await host.getByTestId('signup-submit').click();
    // Sign out and back in, as a returning host would.
    await host.getByTestId('account-menu').click();
    await host.getByTestId('signout').click();
    await host.goto(`${server.url}/signin`);
    await host.getByTestId('signin-email').fill('hana@example.org');
    await host.getByTestId('signin-password').fill('correct horse battery');
    await host.getByTestId('signin-submit').click();
    await host.getByTestId('schedule-meeting').click();
    await host.getByTestId('meeting-title').fill('Candlelight vigil');
    await host.getByTestId('meeting-lobby').check({ force: true });
    await host.getByTestId('meeting-passcode').fill('june4th');
    await host.getByTestId('meeting-save').click();
    const row = host.getByTestId('meeting-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    // The host's link, as the app would copy it (with the passcode in the fragment).
    const listed = await host.evaluate(
      async () =>
        (await (await fetch('/api/meetings')).json()) as { meetings: Array<{ url: string; title: string }> },
    );
    assert.equal(listed.meetings[0]?.title, 'Candlelight vigil');
    meetingUrl = listed.meetings[0]?.url ?? '';
    assert.match(meetingUrl, /\/m\/[A-Za-z0-9_-]{22}#pwd=june4th$/);
    await row.first().getByTestId('meeting-start').click();
    const name = host.getByTestId('prejoin-name');
    await name.waitFor({ timeout: 15_000 });
    if (!(await name.inputValue())) await name.fill('Hana Host');
    await host.getByTestId('prejoin-join').click();
    await host
      .locator('[data-testid="meeting-status"][data-state="joined"]')
      .waitFor({ state: 'attached', timeout: 20_000 });
  });

  test('a guest joins by link without an account, waits in the lobby and is admitted', async () => {
    guest = await browser.newPage();
    await guest.goto(meetingUrl);
    await guest.getByTestId('prejoin-name').fill('Gus Guest');
    await guest.getByTestId('prejoin-join').click();
    await guest.getByTestId('lobby-wait').waitFor({ timeout: 15_000 });
    assert.match(await guest.getByTestId('lobby-wait').innerText(), /let you in soon/i);
    await openPanel(host, 'people');
    await byName(host, 'lobby-entry', 'Gus Guest').getByTestId('lobby-admit').click();
    await guest
      .locator('[data-testid="meeting-status"][data-state="joined"]')
      .waitFor({ state: 'attached', timeout: 20_000 });
    await guest.locator('[data-testid="remote-video"]').first().waitFor({ timeout: 20_000 });
  });

  test('the host mutes the guest; the guest raises a hand and the host sees it', async () => {
    await guest.locator('[data-testid="toggle-mic"][data-on="true"]').waitFor({ timeout: 10_000 });
    await openPanel(host, 'people');
    const entry = byName(host, 'roster-entry', 'Gus Guest');
    await entry.getByTestId('participant-menu').click();
    await entry.getByTestId('action-mute').click();
    await guest.locator('[data-testid="toggle-mic"][data-on="false"]').waitFor({ timeout: 10_000 });
    await guest.getByTestId('raise-hand').click();
    await host
      .locator('[data-testid="roster-entry"][data-participant-name="Gus Guest"][data-hand-raised="true"]')
      .waitFor({ timeout: 10_000 });
  });

  test('the host removes the guest, who sees why and is not reconnected', async () => {
    const entry = byName(host, 'roster-entry', 'Gus Guest');
    await entry.getByTestId('participant-menu').click();
    await entry.getByTestId('action-remove').click();
    await host.getByTestId('remove-confirm').click();
    await guest.locator('[data-testid="session-ended"][data-reason="removed"]').waitFor({ timeout: 10_000 });
    await host.waitForFunction(
      () => !document.querySelector('[data-testid="roster-entry"][data-participant-name="Gus Guest"]'),
      undefined,
      { timeout: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(
      await guest.getByTestId('session-ended').isVisible(),
      true,
      'still ended: no silent reconnect',
    );
  });

  test('the host ends the meeting from My meetings; it stays there as history with its date', async () => {
    await host.goto(`${server.url}/meetings`);
    const row = host.getByTestId('meeting-row').first();
    await row.getByTestId('meeting-end').click();
    await host.getByTestId('meeting-end-confirm').click();
    await host.locator('[data-testid="meeting-row"][data-ended="true"]').waitFor({ timeout: 10_000 });
    assert.equal(await host.getByTestId('meeting-row').count(), 1, 'the ended meeting did not vanish');
    assert.match(await host.getByTestId('meeting-ended-on').innerText(), /^Ended \w{3}, \w{3} \d{1,2}$/);
    assert.equal(await row.getByTestId('meeting-start').count(), 0, 'no Start for an ended meeting');
  });

  test('a wrong passcode and a made-up meeting id look identical', async () => {
    const page = await browser.newPage();
    const id = /\/m\/([^#]+)/.exec(meetingUrl)?.[1] ?? '';
    const screenFor = async (url: string) => {
      await page.goto('about:blank');
      await page.goto(url);
      await page.getByTestId('prejoin-name').fill('Curious');
      await page.getByTestId('prejoin-join').click();
      const error = page.getByTestId('error-message');
      await error.waitFor({ timeout: 15_000 });
      return { code: await error.getAttribute('data-code'), text: await error.innerText() };
    };
    const wrong = await screenFor(`${server.url}/m/${id}#pwd=june5th`);
    const madeUp = await screenFor(`${server.url}/m/AAAAAAAAAAAAAAAAAAAAAA#pwd=june4th`);
    assert.equal(wrong.code, 'meeting_not_found');
    assert.deepEqual(wrong, madeUp);
  });
});
