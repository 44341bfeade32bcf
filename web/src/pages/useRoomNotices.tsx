/**
 * Toasts and screen-reader announcements for what happens in the room: arrivals, departures, raised
 * hands, chat, the lobby, host actions, problems.
 */
import { useEffect, useRef, type MutableRefObject } from 'react';
import { Trans } from 'react-i18next';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { Role } from '../../../src/client/types.js';
import { countryName } from '../countries.js';
import { Avatar } from '../components/Avatar.js';
import {
  AlertIcon,
  ChatIcon,
  DoorIcon,
  HandIcon,
  LockIcon,
  MicOffIcon,
  UnlockIcon,
} from '../components/Icons.js';
import type { PushToast } from '../components/Toasts.js';
import type { Panel } from '../components/ControlBar.js';
import { errorText } from '../errorText.js';
import { t } from '../i18n/index.js';
import { announce } from '../room/announcer.js';

const ROLE_TEXT: Record<Role, string> = {
  host: 'notices.nowHost',
  cohost: 'notices.nowCohost',
  participant: 'notices.nowParticipant',
  panelist: 'notices.nowPanelist',
  attendee: 'notices.nowAttendee',
};

interface Options {
  session: MeetingSession;
  push: PushToast;
  dismiss: (id: number) => void;
  panelRef: MutableRefObject<Panel>;
  onUnread: () => void;
  openPeople: () => void;
}

const preview = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

export function useRoomNotices({ session, push, dismiss, panelRef, onUnread, openPeople }: Options): void {
  const lockedRef = useRef<boolean | null>(session.state.meeting?.locked ?? null);
  /** Lobby toasts and whom they announce: gone once none of them is waiting any more. */
  const lobbyToasts = useRef(new Map<number, string[]>());
  /** Chat messages since the chat toast appeared (a burst collapses into one toast). */
  const chatBurst = useRef<{ count: number; until: number }>({ count: 0, until: 0 });
  const hands = useRef(new Set<string>(session.state.hands.map((h) => h.participantId)));
  useEffect(() => {
    const say = (text: string): void => {
      announce(text);
    };
    const offs = [
      session.on('participantJoined', (p) => {
        const text = t('notices.joined', { name: p.displayName });
        say(text);
        push({ icon: <Avatar name={p.displayName} seed={p.id} size={28} />, text, panel: 'participants' });
      }),
      session.on('participantsWithheld', (w) => {
        const country = countryName(w.jurisdiction);
        say(t('notices.withheld', { count: w.count, country, ref: w.caseRef }));
        push({
          icon: <DoorIcon size={20} />,
          text: (
            <span
              data-testid="withheld-summary"
              data-count={w.count}
              data-jurisdiction={w.jurisdiction}
              data-case-ref={w.caseRef}
            >
              <Trans
                i18nKey="notices.withheldLinked"
                count={w.count}
                values={{ country, ref: w.caseRef }}
                components={[<a key="case" href={w.noticePath} target="_blank" rel="noopener noreferrer" />]}
              />
            </span>
          ),
        });
      }),
      session.on('participantLeft', (p, reason) => {
        // People withheld together are announced once, by the summary above.
        if (reason === 'withheld') return;
        const text =
          reason === 'removed'
            ? t('notices.removed', { name: p.displayName })
            : t('notices.left', { name: p.displayName });
        say(text);
        push({ icon: <Avatar name={p.displayName} seed={p.id} size={28} />, text, panel: 'participants' });
      }),
      session.on('chat', (entry) => {
        if (entry.isLocal) return;
        say(t('notices.chatFrom', { name: entry.fromName, text: preview(entry.text) }));
        if (panelRef.current === 'chat') return;
        onUnread();
        const now = Date.now();
        const burst = chatBurst.current;
        burst.count = now < burst.until ? burst.count + 1 : 1;
        burst.until = now + 5000;
        push(
          {
            icon: <ChatIcon size={20} />,
            group: 'chat',
            panel: 'chat',
            text: (
              <>
                {burst.count > 1 ? (
                  <span className="toast-count">{t('notices.newMessages', { count: burst.count })}</span>
                ) : null}
                <strong>{entry.fromName}</strong> <span dir="auto">{preview(entry.text)}</span>
              </>
            ),
          },
          5000,
        );
      }),
      session.on('lobbyArrived', (entries) => {
        const first = entries[0];
        if (!first) return;
        const more = entries.length - 1;
        const message =
          more === 0 ? (
            <Trans
              i18nKey="notices.waitingOne"
              values={{ name: first.displayName }}
              components={[<strong key="s" />]}
            />
          ) : (
            <Trans
              i18nKey="notices.waitingMany"
              values={{ name: first.displayName, count: more }}
              count={more}
              components={[<strong key="s" />]}
            />
          );
        say(
          more === 0
            ? t('notices.waitingOne', { name: first.displayName }).replace(/<\/?0>/g, '')
            : t('notices.waitingMany', { name: first.displayName, count: more }).replace(/<\/?0>/g, ''),
        );
        const id = push(
          {
            icon: <DoorIcon size={20} />,
            text: (
              <span className="toast-lobby" data-testid="lobby-toast">
                <span>{message}</span>
                <button
                  type="button"
                  className="text-button small"
                  onClick={() => void session.host.admit(entries.map((e) => e.id)).catch(() => undefined)}
                >
                  {t('notices.admit')}
                </button>
                <button type="button" className="text-button small" onClick={openPeople}>
                  {t('notices.view')}
                </button>
              </span>
            ),
            panel: 'participants',
          },
          10_000,
        );
        lobbyToasts.current.set(
          id,
          entries.map((e) => e.id),
        );
      }),
      session.on('forceMuted', () => {
        const text = t('notices.forceMuted');
        say(text);
        push({ icon: <MicOffIcon size={20} />, text });
      }),
      session.on('roleChanged', (role) => {
        const text = t(ROLE_TEXT[role]);
        say(text);
        push({ icon: <HandIcon size={20} />, text }, 6000);
      }),
      session.on('change', (state) => {
        // Raised hands: announce each hand that goes up (anyone's, yours included).
        const up = new Set(state.hands.map((h) => h.participantId));
        for (const hand of state.hands) {
          if (!hands.current.has(hand.participantId))
            say(t('notices.handRaised', { name: hand.displayName }));
        }
        hands.current = up;
        if (lobbyToasts.current.size > 0) {
          const waiting = new Set(state.lobby.map((e) => e.id));
          for (const [id, ids] of lobbyToasts.current) {
            if (ids.some((who) => waiting.has(who))) continue;
            lobbyToasts.current.delete(id);
            dismiss(id);
          }
        }
        const locked = state.meeting?.locked ?? null;
        const before = lockedRef.current;
        lockedRef.current = locked;
        if (locked === null || before === null || locked === before) return;
        const text = locked ? t('notices.locked') : t('notices.unlocked');
        say(text);
        push({ icon: locked ? <LockIcon size={20} /> : <UnlockIcon size={20} />, text });
      }),
      session.on('problem', (error) => {
        const cause = error.cause;
        if (cause instanceof DOMException && cause.name === 'NotAllowedError') return; // cancelled picker
        push(
          {
            icon: <AlertIcon size={20} />,
            text: errorText(error, t('common.somethingWrong')),
            tone: 'error',
          },
          6000,
        );
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [session, push, dismiss, panelRef, onUnread, openPeople]);
}
