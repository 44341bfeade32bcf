/**
 * The "Bans" section of a meeting's edit page in real Chromium: a signed-in host sees each ban (the
 * name it was given under and what it matches, with the plain statement of what a ban can and cannot
 * do) and lifts one with "Unban"; the other stays. Media is not the subject: in-memory engine.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: TestBrowser;

before(async () => {
  server = await startTestServer({}, { engine: new MemoryEngine() });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('a host lists the bans of a meeting from My meetings and lifts one', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/signup`);
  await page.getByTestId('signup-name').fill('Hana Host');
  await page.getByTestId('signup-email').fill('hana-bans@example.org');
  await page.getByTestId('signup-password').fill('correct horse battery');
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('schedule-meeting').click();
  await page.getByTestId('meeting-title').fill('Town hall');
  await page.getByTestId('meeting-save').click();
  await page.getByTestId('meeting-row').first().waitFor();
  const listed = await page.evaluate(
    async () => (await (await fetch('/api/meetings')).json()) as { meetings: Array<{ id: string }> },
  );
  const meetingId = listed.meetings[0]?.id ?? '';
  // Bans as the room makes them (remove with ban): one guest, one signed-in participant.
  await server.store.bans.add(meetingId, ['guest:firstguestkey'], 'Mallory');
  await server.store.bans.add(meetingId, ['account:someone', 'guest:secondguestkey'], 'Eve');

  await page.getByTestId('meeting-edit').click();
  const rows = page.getByTestId('meeting-ban');
  await rows.nth(1).waitFor();
  assert.deepEqual(await page.getByTestId('meeting-ban-label').allInnerTexts(), ['Mallory', 'Eve']);
  const section = await page.getByTestId('meeting-bans').innerText();
  assert.match(section, /Guest cookie only/);
  assert.match(section, /Account and guest cookie/);
  assert.match(await page.getByTestId('meeting-bans-explainer').innerText(), /not an address ban/);
  assert.ok(!section.includes('firstguestkey'), 'the guest key is never shown');

  await rows.nth(0).getByTestId('meeting-unban').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="meeting-ban"]').length === 1);
  assert.deepEqual(await page.getByTestId('meeting-ban-label').allInnerTexts(), ['Eve']);
  assert.deepEqual(
    (await server.store.bans.bans(meetingId)).map((b) => b.label),
    ['Eve'],
    'only the lifted ban is gone',
  );
  await page.reload();
  await page.getByTestId('meeting-ban').first().waitFor();
  assert.equal(await page.getByTestId('meeting-ban').count(), 1);
});
