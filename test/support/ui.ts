/** Helpers for the UI e2e tests: English left on a page, screenshots for docs/screenshots, axe. */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..', '..');

/** English UI strings that must not appear once the page is in Chinese. */
export const ENGLISH_UI = [
  'Turn off microphone',
  'Turn on microphone',
  'Turn off camera',
  'Turn on camera',
  'Raise your hand',
  'Leave the meeting',
  'Copy meeting link',
  'People',
  'Chat',
  'In-call messages',
  'Send a message',
  'in this meeting',
  'Mute all',
  'Lock meeting',
  'Host',
  '(You)',
  'Muted',
  'Present your screen',
  'Keyboard shortcuts',
  'Speaker view',
  'Close panel',
  'Pin',
  'Full screen',
  'Hide self-view',
  'End for all',
];

/** Visible text plus accessible names, titles and placeholders of everything in the page. */
export function uiText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]'))) {
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(attr);
        if (value) parts.push(value);
      }
    }
    return parts.join('\n');
  });
}

/** English UI strings and Latin words left in the page, apart from `allowed` (names, brand). */
export async function englishLeft(page: Page, allowed: readonly string[]): Promise<string[]> {
  let text = await uiText(page);
  for (const word of allowed) text = text.split(word).join(' ');
  const found = ENGLISH_UI.filter((s) => text.includes(s));
  const words = text.match(/[A-Za-z]{3,}/g) ?? [];
  return [...found, ...new Set(words)];
}

export const SCREENSHOT_SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

/** Writes docs/screenshots/<name>-desktop.png and -phone.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = path.join(root, 'docs', 'screenshots');
  await mkdir(dir, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of Object.entries(SCREENSHOT_SIZES)) {
    await page.setViewportSize(viewport);
    // Let the stage re-measure itself (ResizeObserver, then a React render) before the picture.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(400);
    await page.screenshot({
      path: path.join(dir, `${name}-${size}.png`),
      animations: 'disabled',
      caret: 'hide',
    });
  }
  if (before) await page.setViewportSize(before);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string; failureSummary?: string }>;
}

let axeSource: string | null = null;

/** Runs axe-core (WCAG 2.0/2.1 A and AA plus best practices) in the page; returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol rather than a <script> tag: the page's strict CSP (no inline
  // script) rightly refuses injected tags, and the test must not weaken it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  // Let entrance animations (toasts, dialogs) end: mid-fade colours are not what people read.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => ({ target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary })),
    }));
  });
}

export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} ${n.html}: ${n.failureSummary ?? ''}`).join('\n')}`,
    )
    .join('\n');
}
