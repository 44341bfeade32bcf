/**
 * Real Chromium for end-to-end tests: Debian's /usr/bin/chromium through playwright-core, fake camera,
 * microphone and screen, a fresh profile per launch. Never downloads a browser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CONVENE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen',
  '--autoplay-policy=no-user-gesture-required',
];

/** Records every RTCPeerConnection a page creates, so a test can read WebRTC stats from outside the app. */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const all = [];
  window.__testPeerConnections = all;
  window.RTCPeerConnection = function (...args) { const pc = new Native(...args); all.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();`;

/** Content-Security-Policy violations each page reported on its console (should stay empty). */
export const cspViolations = new WeakMap<Page, string[]>();

export interface TestBrowser {
  /**
   * A new page in its own profile (own fake devices, own storage). `extraHTTPHeaders` go on every
   * request, the WebSocket upgrade included (e.g. X-Forwarded-For through a trusted proxy).
   */
  newPage(options?: { extraHTTPHeaders?: Record<string, string> }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const contexts: BrowserContext[] = [];
  const dirs: string[] = [];
  return {
    async newPage(options = {}) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-chromium-'));
      dirs.push(dir);
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 960, height: 600 },
        permissions: ['camera', 'microphone'],
        ...(options.extraHTTPHeaders ? { extraHTTPHeaders: options.extraHTTPHeaders } : {}),
      });
      contexts.push(context);
      await context.addInitScript(RECORD_PEER_CONNECTIONS);
      const page = context.pages()[0] ?? (await context.newPage());
      const violations: string[] = [];
      cspViolations.set(page, violations);
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
      });
      return page;
    },
    async close() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await Promise.allSettled(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** Opens the people or chat side panel unless it is already open. */
export async function openPanel(page: Page, panel: 'people' | 'chat'): Promise<void> {
  const [content, toggle] =
    panel === 'people' ? ['roster', 'toggle-participants'] : ['chat-input', 'toggle-chat'];
  if (
    !(await page
      .getByTestId(content)
      .isVisible()
      .catch(() => false))
  )
    await page.getByTestId(toggle).click();
}

export interface InboundSummary {
  kind: 'audio' | 'video';
  mid: string | undefined;
  packetsReceived: number;
  framesReceived: number;
  framesDecoded: number;
  /** Frames the receiver dropped before decoding (a decoder that cannot keep up on a starved page). */
  framesDropped: number;
  totalAudioEnergy: number;
}

/** How many PeerConnections the page has created so far. */
export function peerConnectionCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as { __testPeerConnections?: RTCPeerConnection[] }).__testPeerConnections?.length ??
      0,
  );
}

/** Inbound RTP stats of the open PeerConnections the page created (from the `fromIndex`-th one on). */
export function inboundStats(page: Page, fromIndex = 0): Promise<InboundSummary[]> {
  return page.evaluate(async (from: number) => {
    const pcs =
      (window as unknown as { __testPeerConnections: RTCPeerConnection[] }).__testPeerConnections ?? [];
    const out: InboundSummary[] = [];
    for (const pc of pcs.slice(from)) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp') return;
        out.push({
          kind: s.kind as 'audio' | 'video',
          mid: s.mid as string | undefined,
          packetsReceived: Number(s.packetsReceived ?? 0),
          framesReceived: Number(s.framesReceived ?? 0),
          framesDecoded: Number(s.framesDecoded ?? 0),
          framesDropped: Number(s.framesDropped ?? 0),
          totalAudioEnergy: Number(s.totalAudioEnergy ?? 0),
        });
      });
    }
    return out;
  }, fromIndex);
}

/** Polls `check` until it holds; fails the test naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
