/** Toasts for what happens in the room: arrivals, departures, chat, the lobby, host actions, problems. */
import { useEffect, useRef, type MutableRefObject } from 'react';
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
import type { Toast } from '../components/Toasts.js';
import type { Panel } from '../components/ControlBar.js';

type Push = (toast: Omit<Toast, 'id'>, ms?: number) => number;

const ROLE_TEXT: Record<Role, string> = {
  host: 'You are now the host.',
  cohost: 'You are now a co-host: you can manage the lobby and the participants.',
  participant: 'You are now a participant.',
  panelist: 'You are now a panelist: your camera is on the stage and your microphone starts muted.',
  attendee: 'You are now an attendee: you watch and can raise your hand.',
};

interface Options {
  session: MeetingSession;
  push: Push;
  dismiss: (id: number) => void;
  panelRef: MutableRefObject<Panel>;
  onUnread: () => void;
  openPeople: () => void;
}

export function useRoomNotices({ session, push, dismiss, panelRef, onUnread, openPeople }: Options): void {
  const lockedRef = useRef<boolean | null>(session.state.meeting?.locked ?? null);
  /** Lobby toasts and whom they announce: gone once none of them is waiting any more. */
  const lobbyToasts = useRef(new Map<number, string[]>());
  useEffect(() => {
    const offs = [
      session.on('participantJoined', (p) =>
        push({
          icon: <Avatar name={p.displayName} seed={p.id} size={28} />,
          text: `${p.displayName} joined`,
        }),
      ),
      session.on('participantsWithheld', (w) =>
        push({
          icon: <DoorIcon size={20} />,
          text: (
            <span
              data-testid="withheld-summary"
              data-count={w.count}
              data-jurisdiction={w.jurisdiction}
              data-case-ref={w.caseRef}
            >
              {w.count === 1 ? '1 participant' : `${w.count} participants`} connecting from{' '}
              {countryName(w.jurisdiction)} {w.count === 1 ? 'was' : 'were'} disconnected in response to a
              legal demand (case{' '}
              <a href={w.noticePath} target="_blank" rel="noopener noreferrer">
                {w.caseRef}
              </a>
              ).
            </span>
          ),
        }),
      ),
      session.on('participantLeft', (p, reason) =>
        // People withheld together are announced once, by the summary above.
        reason === 'withheld'
          ? undefined
          : push({
              icon: <Avatar name={p.displayName} seed={p.id} size={28} />,
              text: reason === 'removed' ? `${p.displayName} was removed` : `${p.displayName} left`,
            }),
      ),
      session.on('chat', (entry) => {
        if (entry.isLocal || panelRef.current === 'chat') return;
        onUnread();
        push({
          icon: <ChatIcon size={20} />,
          text: (
            <>
              <strong>{entry.fromName}</strong>{' '}
              {entry.text.length > 80 ? `${entry.text.slice(0, 80)}…` : entry.text}
            </>
          ),
        });
      }),
      session.on('lobbyArrived', (entries) => {
        const first = entries[0];
        if (!first) return;
        const who =
          entries.length === 1 ? first.displayName : `${first.displayName} and ${entries.length - 1} more`;
        const id = push(
          {
            icon: <DoorIcon size={20} />,
            text: (
              <span className="toast-lobby" data-testid="lobby-toast">
                <span>
                  <strong>{who}</strong> {entries.length === 1 ? 'is' : 'are'} waiting in the lobby
                </span>
                <button
                  type="button"
                  className="text-button small"
                  onClick={() => void session.host.admit(entries.map((e) => e.id)).catch(() => undefined)}
                >
                  Admit
                </button>
                <button type="button" className="text-button small" onClick={openPeople}>
                  View
                </button>
              </span>
            ),
          },
          10_000,
        );
        lobbyToasts.current.set(
          id,
          entries.map((e) => e.id),
        );
      }),
      session.on('forceMuted', () =>
        push({ icon: <MicOffIcon size={20} />, text: 'A host muted your microphone' }),
      ),
      session.on('roleChanged', (role) =>
        push({ icon: <HandIcon size={20} />, text: ROLE_TEXT[role] }, 6000),
      ),
      session.on('change', (state) => {
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
        push({
          icon: locked ? <LockIcon size={20} /> : <UnlockIcon size={20} />,
          text: locked ? 'The meeting is locked: nobody new can join' : 'The meeting is unlocked',
        });
      }),
      session.on('problem', (error) => {
        const cause = error.cause;
        if (cause instanceof DOMException && cause.name === 'NotAllowedError') return; // cancelled picker
        push({ icon: <AlertIcon size={20} />, text: error.message, tone: 'error' }, 6000);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [session, push, dismiss, panelRef, onUnread, openPeople]);
}
