/**
 * The room's encryption UI as static HTML (react-dom/server) for a given `E2eeView`, with the app's
 * own components and style sheets, so a browser can check it (axe) while the client library does not
 * fill `SessionState.e2ee` yet. Not a page of the app: a test fixture only.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { MeetingSession } from '../../src/client/MeetingSession.js';
import { initialSessionState } from '../../src/client/sessionState.js';
import type { E2eeView, ParticipantView, SessionState } from '../../src/client/types.js';
import { ControlBar } from '../../web/src/components/ControlBar.js';
import { SidePanel } from '../../web/src/components/SidePanel.js';
import { Toasts } from '../../web/src/components/Toasts.js';
import { VideoTile } from '../../web/src/components/VideoTile.js';
import { E2eeDialog } from '../../web/src/room/E2eeDialog.js';
import { E2eeFailed, E2eeLock, E2eeWarning } from '../../web/src/room/E2eeStatus.js';
import { ReactionsButton } from '../../web/src/room/ReactionsMenu.js';
import { announced } from './e2eeViews.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The style sheets in web/src/main.tsx's order. */
export async function appStyles(): Promise<string> {
  const main = await readFile(path.join(root, 'web/src/main.tsx'), 'utf8');
  const sheets = [...main.matchAll(/import '\.\/(styles\/[\w-]+\.css)';/g)].map((m) => m[1] ?? '');
  const texts = await Promise.all(sheets.map((s) => readFile(path.join(root, 'web/src', s), 'utf8')));
  return texts.join('\n');
}

function sessionState(view: E2eeView, people: ParticipantView[]): SessionState {
  const local = {
    camera: null,
    screen: null,
    audioMuted: false,
    videoMuted: true,
    screenSharing: false,
    hasMic: true,
    hasCamera: true,
  };
  const [self, ...others] = people;
  return {
    ...initialSessionState(local),
    status: 'joined',
    meetingId: 'scene',
    self: self ?? null,
    role: 'participant',
    canPublish: true,
    participants: others,
    e2ee: view,
  };
}

export interface SceneOptions {
  /** The Encryption dialog is open. */
  dialog?: boolean;
  /** A toast shown, e.g. the "safety code changed" notice. */
  toast?: ReactElement;
  /** The control bar of the host (end for everyone). */
  host?: boolean;
  /** The People panel is open (the default). */
  panel?: boolean;
}

/** The room body, the People panel, the control bar with the lock and (optionally) the dialog. */
export function sceneHtml(view: E2eeView, options: SceneOptions = {}): string {
  const people = announced();
  const state = sessionState(view, people);
  // Rendering reads no method of the session (no host controls for a participant).
  const session = {} as MeetingSession;
  const noop = (): void => undefined;
  const actions = {
    pinnedKey: null,
    onPin: noop,
    onHideSelf: noop,
    quality: {},
    e2eeWaiting: view.status === 'waiting',
  };
  const tiles = people.slice(0, 2).map((participant) =>
    h(
      'div',
      { key: participant.id, style: { width: 320, height: 180 } },
      h(VideoTile, {
        tile: {
          key: `${participant.id}:camera`,
          participant,
          source: 'camera',
          stream: null,
          speaking: false,
        },
        actions,
      }),
    ),
  );
  const stage =
    view.status === 'failed'
      ? h(E2eeFailed, { view })
      : h('section', { className: 'stage' }, h('div', { style: { display: 'flex', gap: 10 } }, tiles));
  const body = h(
    'div',
    {
      className: `room${options.panel === false ? '' : ' with-panel'}${view.status === 'off' ? '' : ' e2ee-on'}`,
    },
    h(
      'main',
      { className: `room-body${view.status === 'warning' ? ' e2ee-warned' : ''}` },
      h('h1', { className: 'visually-hidden' }, 'Scene'),
      h(E2eeWarning, { view, announced: people, onShowPeople: noop }),
      stage,
      options.panel === false
        ? null
        : h(SidePanel, {
            panel: 'participants',
            session,
            state,
            speaking: new Set<string>(),
            act: noop,
            onCopyLink: noop,
            onClose: noop,
          }),
      h(Toasts, { toasts: options.toast ? [{ id: 1, text: options.toast }] : [] }),
    ),
    h(ControlBar, {
      meetingLabel: 'Scene',
      locked: false,
      clock: '21:40',
      canPublish: true,
      handRaised: false,
      canEndMeeting: options.host === true,
      lobbyWaiting: 0,
      audioMuted: false,
      videoMuted: true,
      hasMic: true,
      hasCamera: true,
      micDenied: false,
      cameraDenied: false,
      screenSharing: false,
      canShareScreen: true,
      panel: 'participants',
      unreadChat: 0,
      participantCount: people.length,
      layout: 'tiles',
      deviceMenu: null,
      deviceMenuContent: null,
      reactions: h(ReactionsButton, {
        open: false,
        handRaised: false,
        onToggle: noop,
        onClose: noop,
        onReact: noop,
        onToggleHand: noop,
      }),
      e2ee: h(E2eeLock, { view, open: options.dialog === true, onOpen: noop }),
      onToggleMic: noop,
      onToggleCamera: noop,
      onDeviceMenu: noop,
      onToggleScreen: noop,
      onToggleHand: noop,
      onEndMeeting: noop,
      onTogglePanel: noop,
      onToggleLayout: noop,
      onShortcuts: noop,
      onCopyLink: noop,
      onLeave: noop,
    }),
    options.dialog ? h(E2eeDialog, { view, onShowPeople: noop, onClose: noop }) : null,
  );
  return renderToStaticMarkup(body);
}

/** A whole document for `page.setContent`. */
export function sceneDocument(styles: string, markup: string, theme: 'dark' | 'light'): string {
  return `<!doctype html><html lang="en" data-theme="${theme}"><head><meta charset="utf-8"><title>Encryption scene</title><style>${styles}</style></head><body><div id="root">${markup}</div></body></html>`;
}
