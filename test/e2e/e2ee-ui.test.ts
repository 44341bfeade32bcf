/**
 * axe-core finds no violations in the room's end-to-end encryption UI, dark and light theme, for each
 * state the client can report: encrypted (People with key-group marks and duplicate names, the
 * Encryption dialog with the safety code, the "code changed" toast), waiting for keys (tiles), the
 * ghost warning (banner, ghost row, a missing person) and "cannot decrypt". The components are
 * rendered with react-dom/server from given `E2eeView`s (test/support/e2eeScenes.ts) and loaded into
 * one Chromium page with the app's style sheets: the client does not fill `SessionState.e2ee` yet.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createElement } from 'react';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { appStyles, sceneDocument, sceneHtml, type SceneOptions } from '../support/e2eeScenes.js';
import { encryptedView, failedView, waitingView, warningView } from '../support/e2eeViews.js';
import { axeViolations, describeViolations } from '../support/ui.js';
import type { E2eeView } from '../../src/client/types.js';

let browser: TestBrowser;
let page: Page;
let styles: string;

before(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  styles = await appStyles();
});
after(async () => {
  await browser?.close();
});

async function check(what: string, view: E2eeView, options: SceneOptions = {}): Promise<void> {
  const markup = sceneHtml(view, options);
  for (const theme of ['dark', 'light'] as const) {
    await page.setContent(sceneDocument(styles, markup, theme));
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${what} (${theme}):\n${describeViolations(violations)}`);
  }
}

test('encrypted: People with key-group marks, the Encryption dialog and the code-changed toast', async () => {
  const toast = createElement(
    'span',
    { className: 'toast-lobby', 'data-testid': 'e2ee-code-changed' },
    createElement('span', null, 'The safety code changed. Compare it again.'),
    createElement('button', { type: 'button', className: 'text-button small' }, 'Show the code'),
  );
  await check('encrypted, dialog open', encryptedView(), { dialog: true, toast });
  await check('encrypted, People panel', encryptedView());
  assert.equal(await page.locator('[data-testid=e2ee-member]').count(), 5);
  assert.equal(await page.locator('[data-testid=e2ee-member][data-in-group=false]').count(), 1, 'Bob');
  assert.equal(await page.locator('[data-testid=e2ee-lock]').getAttribute('data-state'), 'encrypted');
});

test('on a phone the lock has a place of its own: it overlaps no other button', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const host of [false, true]) {
      await page.setContent(
        sceneDocument(styles, sceneHtml(encryptedView(), { host, panel: false }), 'dark'),
      );
      const overlaps = await page.evaluate(() => {
        const lock = document.querySelector('[data-testid=e2ee-lock]')?.getBoundingClientRect();
        if (!lock || lock.width === 0) return ['no visible lock'];
        return [...document.querySelectorAll('button')]
          .filter((b) => b.dataset.testid !== 'e2ee-lock' && b.offsetParent !== null)
          .filter((b) => {
            const r = b.getBoundingClientRect();
            return r.left < lock.right && lock.left < r.right && r.top < lock.bottom && lock.top < r.bottom;
          })
          .map((b) => b.dataset.testid ?? b.className);
      });
      assert.deepEqual(overlaps, [], `host: ${host}`);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, describeViolations(violations));
    }
  } finally {
    await page.setViewportSize({ width: 960, height: 600 });
  }
});

test('waiting for keys: the tiles say so', async () => {
  await check('waiting', waitingView(), { dialog: true });
  await check('waiting, no dialog', waitingView());
  // Your own tile shows your camera; the other person's tile waits for keys.
  assert.equal(await page.locator('[data-testid=e2ee-tile-waiting]').count(), 1);
});

test('the ghost warning: banner above the stage, ghost row, a missing person', async () => {
  await check('warning', warningView());
  const warning = page.getByTestId('e2ee-warning');
  assert.equal(await warning.getAttribute('data-unannounced'), 'p-eve');
  assert.equal(await page.locator('[data-testid=e2ee-ghost]').getAttribute('data-participant-name'), 'Eve');
  // The warning has its own row: it does not overlap the tiles or the side panel.
  const boxes = await page.evaluate(() =>
    ['[data-testid=e2ee-warning]', '.stage', '.side-panel'].map(
      (selector) => document.querySelector(selector)?.getBoundingClientRect().toJSON() as DOMRect | undefined,
    ),
  );
  const [warningBox, stageBox, panelBox] = boxes;
  assert.ok(warningBox && stageBox && panelBox);
  assert.ok(warningBox.bottom <= stageBox.top, 'the stage starts below the warning');
  assert.ok(warningBox.bottom <= panelBox.top, 'the side panel starts below the warning');
});

test('cannot decrypt: the reason in place of the stage', async () => {
  await check('failed', failedView('mls_removed'), { dialog: true });
  await check('failed, no dialog', failedView('keys_missing'));
  assert.equal(await page.getByTestId('e2ee-failed').getAttribute('data-code'), 'keys_missing');
});
