/**
 * Arriving, reactions, the host spotlight and the host hand-over in real Chromium, two pages: Hana hosts
 * (she created the meeting in her browser, so its host-key cookie is hers), Gus joins by link. Alone,
 * Hana gets a card with the link; Gus's pre-join names the meeting and who is there, and a meeting with
 * a passcode says so before anything else. A reaction
 * from the keyboard floats over the sender's tile on the other page and is announced; the spotlight
 * switches the other page's stage; leaving as host offers the hand-over, and Gus becomes host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: TestBrowser;
let hana: Page;
let gus: Page;

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const joined = (page: Page) =>
  page
    .locator('[data-testid="meeting-status"][data-state="joined"]')
    .waitFor({ state: 'attached', timeout: 20_000 });
const tile = (page: Page, name: string) =>
  page.locator(`[data-testid="video-tile"][data-participant-name="${name}"][data-source="camera"]`);
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

describe('reactions, spotlight and hand-over', () => {
  test('Hana creates a meeting and hosts it; Gus joins by link', async () => {
    hana = await browser.newPage();
    await hana.goto(`${server.url}/`);
    const id = await hana.evaluate(async () => {
      const res = await fetch('/api/meetings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Reading group' }),
      });
      return ((await res.json()) as { id: string }).id;
    });
    const locked = await hana.evaluate(async () => {
      const res = await fetch('/api/meetings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Closed circle', settings: { passcode: 'june4th' } }),
      });
      return ((await res.json()) as { id: string }).id;
    });
    await hana.goto(`${server.url}/m/${id}?name=Hana&autojoin=1`);
    await joined(hana);
    assert.equal(await tile(hana, 'Hana').getAttribute('data-role'), 'host');
    // Alone: a card with the link and a copy button.
    await hana.getByTestId('alone-card').waitFor();
    assert.match((await hana.getByTestId('alone-link').innerText()) ?? '', new RegExp(`/m/${id}$`));

    gus = await browser.newPage();
    // A meeting with a passcode says so on arrival, and asks for it (the title stays hidden).
    await gus.goto(`${server.url}/m/${locked}`);
    await gus.getByTestId('prejoin-passcode-needed').waitFor();
    await gus.getByTestId('prejoin-passcode').waitFor();
    assert.doesNotMatch(await gus.getByTestId('prejoin-title').innerText(), /Closed circle/);
    // The open meeting's pre-join: its title and who is there.
    await gus.goto(`${server.url}/m/${id}`);
    await gus.getByTestId('prejoin-present').waitFor();
    assert.equal(await gus.getByTestId('prejoin-title').innerText(), 'Ready to join Reading group?');
    assert.equal(await gus.getByTestId('prejoin-present').innerText(), 'In the meeting: Hana');
    assert.equal(await gus.getByTestId('prejoin-passcode').count(), 0);
    await gus.getByTestId('prejoin-name').fill('Gus');
    await gus.getByTestId('prejoin-join').click();
    await joined(gus);
    await hana.getByTestId('alone-card').waitFor({ state: 'detached' });
    await tile(hana, 'Gus').waitFor({ timeout: 15_000 });
    await tile(gus, 'Hana').waitFor({ timeout: 15_000 });
  });

  test("Gus reacts from the keyboard; it floats over Gus's tile on Hana's page and is announced", async () => {
    await gus.locator('body').click({ position: { x: 5, y: 5 } });
    await gus.keyboard.press('e');
    await gus.getByTestId('reactions-menu').waitFor();
    assert.equal(await focused(gus), 'reaction-thumbsUp', 'focus moves into the menu');
    await gus.keyboard.press('ArrowRight');
    await gus.keyboard.press('ArrowRight');
    await gus.keyboard.press('ArrowRight');
    await gus.keyboard.press('ArrowRight');
    assert.equal(await focused(gus), 'reaction-clap');
    await gus.keyboard.press('Enter');
    await tile(hana, 'Gus')
      .locator('[data-testid="reaction-bubble"][data-reaction="clap"]')
      .waitFor({ timeout: 10_000 });
    assert.equal(await tile(hana, 'Hana').locator('[data-testid="reaction-bubble"]').count(), 0);
    await hana
      .getByTestId('live-region')
      .getByText('Gus reacted: Clapping')
      .waitFor({ state: 'attached', timeout: 5_000 });
    // Raise hand is in the same menu; Escape closes it and gives focus back to the button.
    await gus.getByTestId('reaction-hand').click();
    await tile(hana, 'Gus').and(hana.locator('[data-hand-raised="true"]')).waitFor({ timeout: 10_000 });
    await gus.keyboard.press('e');
    await gus.getByTestId('reactions-menu').waitFor();
    await gus.keyboard.press('Escape');
    await gus.getByTestId('reactions-menu').waitFor({ state: 'detached' });
    assert.equal(await focused(gus), 'reactions-button');
  });

  test("Hana spotlights herself for everyone: Gus's stage shows her large, then the grid again", async () => {
    await tile(hana, 'Hana').hover();
    await tile(hana, 'Hana').getByTestId('tile-spotlight').click();
    const gusStage = gus.locator('section.stage');
    await gus.locator('section.stage[data-focus="spotlight"]').waitFor({ timeout: 10_000 });
    assert.equal(
      await gusStage
        .locator('.presenting-main [data-testid="video-tile"]')
        .getAttribute('data-participant-name'),
      'Hana',
    );
    assert.equal(await gus.getByTestId('tile-spotlight').count(), 0, 'a participant cannot spotlight');
    await tile(hana, 'Hana').hover();
    await tile(hana, 'Hana').getByTestId('tile-spotlight').click();
    await gus.locator('section.stage[data-layout="grid"]').waitFor({ timeout: 10_000 });
  });

  test('Hana leaves: she is offered the hand-over (destructive button not focused), and Gus becomes host', async () => {
    await hana.getByTestId('leave').click();
    await hana.getByTestId('host-leave-dialog').waitFor();
    assert.equal(await focused(hana), 'host-leave-new-host', 'first focus on the choice, not on End');
    assert.equal(
      await hana.getByTestId('host-leave-new-host').inputValue(),
      await tile(hana, 'Gus').getAttribute('data-participant-id'),
    );
    await hana.getByTestId('host-leave-hand-over').click();
    await hana.locator('[data-testid="meeting-status"][data-state="left"]').waitFor({ timeout: 10_000 });
    await gus
      .locator('[data-testid="video-tile"][data-local="true"][data-role="host"]')
      .waitFor({ timeout: 10_000 });
    await gus.getByTestId('end-meeting').waitFor();
    await gus.getByTestId('live-region').getByText('You are now the host.').waitFor({ state: 'attached' });
  });
});
