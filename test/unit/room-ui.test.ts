/** The room's plain-TS rules: chat links, single-key shortcuts, the stage layout. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParticipantView } from '../../src/client/types.js';
import type { TileModel } from '../../web/src/components/VideoTile.js';
import { safeHref, splitLinks } from '../../web/src/room/chatLinks.js';
import { shortcutFor } from '../../web/src/room/shortcuts.js';
import { arrangeStage, type StageChoices } from '../../web/src/room/stageLayout.js';

test('only http, https and mailto become links; trailing punctuation stays text', () => {
  assert.equal(safeHref('javascript:alert(1)'), null);
  assert.equal(safeHref('data:text/html,x'), null);
  assert.equal(safeHref('https://example.org/a'), 'https://example.org/a');
  assert.equal(safeHref('www.example.org'), 'https://www.example.org/');
  assert.equal(safeHref('mailto:a@example.org'), 'mailto:a@example.org');
  assert.deepEqual(splitLinks('go to https://example.org/x. javascript:alert(1) JAVASCRIPT://x'), [
    { kind: 'text', text: 'go to ' },
    { kind: 'link', text: 'https://example.org/x', href: 'https://example.org/x' },
    { kind: 'text', text: '. javascript:alert(1) JAVASCRIPT://x' },
  ]);
  assert.deepEqual(splitLinks('没有链接'), [{ kind: 'text', text: '没有链接' }]);
  assert.deepEqual(splitLinks('看 https://例子.中国/页，好'), [
    { kind: 'text', text: '看 ' },
    { kind: 'link', text: 'https://例子.中国/页', href: new URL('https://例子.中国/页').href },
    { kind: 'text', text: '，好' },
  ]);
});

const key = (
  k: string,
  extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  target: null,
  ...extra,
});

test('single-key shortcuts, with Ctrl/Cmd+D and +E kept', () => {
  assert.equal(shortcutFor(key('m')), 'mic');
  assert.equal(shortcutFor(key('M')), 'mic');
  assert.equal(shortcutFor(key('v')), 'camera');
  assert.equal(shortcutFor(key('h')), 'hand');
  assert.equal(shortcutFor(key('e')), 'reactions');
  assert.equal(shortcutFor(key('c')), 'chat');
  assert.equal(shortcutFor(key('p')), 'people');
  assert.equal(shortcutFor(key('?', { shiftKey: true })), 'help');
  assert.equal(shortcutFor(key('d', { ctrlKey: true })), 'mic');
  assert.equal(shortcutFor(key('e', { metaKey: true })), 'camera');
  assert.equal(shortcutFor(key('m', { ctrlKey: true })), null);
  assert.equal(shortcutFor(key('m', { altKey: true })), null);
  assert.equal(shortcutFor(key('x')), null);
});

const person = (id: string, isLocal = false): ParticipantView =>
  ({ id, displayName: id, isLocal }) as unknown as ParticipantView;
const camera = (id: string, isLocal = false): TileModel => ({
  key: `${id}:camera`,
  participant: person(id, isLocal),
  source: 'camera',
  stream: null,
  speaking: false,
});
const screen = (id: string, isLocal = false): TileModel => ({
  ...camera(id, isLocal),
  key: `${id}:screen`,
  source: 'screen',
});
const choices = (over: Partial<StageChoices> = {}): StageChoices => ({
  layout: 'tiles',
  pinnedKey: null,
  hideSelf: false,
  screensInGrid: false,
  activeSpeakerId: null,
  spotlightId: null,
  ...over,
});
const keys = (tiles: readonly TileModel[]) => tiles.map((t) => t.key);

test('the stage: grid, speaker view, pin, screens, hidden self-view, no mirror for the presenter', () => {
  const cams = [camera('ada'), camera('bob'), camera('me', true)];
  const grid = arrangeStage(cams, [], choices());
  assert.equal(grid.mode, 'grid');

  const speaker = arrangeStage(cams, [], choices({ layout: 'speaker', activeSpeakerId: 'bob' }));
  assert.ok(speaker.mode === 'focus' && speaker.main.key === 'bob:camera' && speaker.reason === 'speaker');

  const pinned = arrangeStage(cams, [screen('ada')], choices({ pinnedKey: 'me:camera' }));
  assert.ok(pinned.mode === 'focus' && pinned.main.key === 'me:camera' && pinned.reason === 'pinned');
  assert.deepEqual(keys(pinned.strip), ['ada:screen', 'ada:camera', 'bob:camera']);

  const shared = arrangeStage(cams, [screen('ada')], choices());
  assert.ok(shared.mode === 'focus' && shared.main.key === 'ada:screen' && shared.reason === 'screen');
  const backToGrid = arrangeStage(cams, [screen('ada')], choices({ screensInGrid: true }));
  assert.ok(backToGrid.mode === 'grid' && backToGrid.hasScreens && backToGrid.tiles.length === 4);

  const presenting = arrangeStage(cams, [screen('me', true)], choices());
  assert.ok(presenting.mode === 'grid' && !keys(presenting.tiles).includes('me:screen'));

  const noSelf = arrangeStage(cams, [], choices({ hideSelf: true }));
  assert.ok(noSelf.mode === 'grid' && !keys(noSelf.tiles).includes('me:camera'));
  const alone = arrangeStage([camera('me', true)], [], choices({ hideSelf: true }));
  assert.ok(alone.mode === 'grid' && alone.tiles.length === 1, 'alone, your tile stays');
});

test("the host's spotlight: above a shared screen and speaker view, below your own pin", () => {
  const cams = [camera('ada'), camera('bob'), camera('me', true)];
  const spot = arrangeStage(cams, [screen('ada')], choices({ layout: 'speaker', spotlightId: 'bob' }));
  assert.ok(spot.mode === 'focus' && spot.main.key === 'bob:camera' && spot.reason === 'spotlight');
  assert.deepEqual(keys(spot.strip), ['ada:screen', 'ada:camera', 'me:camera']);
  const pinned = arrangeStage(cams, [], choices({ spotlightId: 'bob', pinnedKey: 'ada:camera' }));
  assert.ok(pinned.mode === 'focus' && pinned.reason === 'pinned');
  const self = arrangeStage(cams, [], choices({ spotlightId: 'me', hideSelf: true }));
  assert.ok(self.mode === 'focus' && self.main.key === 'me:camera', 'spotlit, your own tile shows');
  const gone = arrangeStage(cams, [], choices({ spotlightId: 'left-already' }));
  assert.equal(gone.mode, 'grid');
});

test('connection quality levels from loss, round trip and frame rate', async () => {
  const { classify } = await import('../../web/src/room/networkQuality.js');
  assert.equal(classify(0, 40, 30), 'good');
  assert.equal(classify(0.03, 40, 30), 'fair');
  assert.equal(classify(0, 350, null), 'fair');
  assert.equal(classify(0, 40, 12), 'fair');
  assert.equal(classify(0.15, 40, 30), 'poor');
  assert.equal(classify(0, 800, 30), 'poor');
  assert.equal(classify(0, null, 5), 'poor');
});
