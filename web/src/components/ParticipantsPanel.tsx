/**
 * The People panel. Everyone: the roster (role badges, raised hands, mic and camera). Hosts and
 * co-hosts also get the lobby (admit / deny), the raised-hand queue, "mute all", "lock meeting" and a
 * menu of actions per person. With end-to-end encryption on, each person is marked against the MLS
 * group this client verified, and members the server never announced get their own rows.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { LobbyEntry, ParticipantView, SessionState } from '../../../src/client/types.js';
import { useTicker } from '../hooks.js';
import { t } from '../i18n/index.js';
import { ghosts, rosterMarks, rosterVerified, type RosterMark } from '../room/e2eeModel.js';
import { E2eeGhostRow, E2eeRosterMark, E2eeRosterNote } from '../room/E2eeRoster.js';
import { Avatar } from './Avatar.js';
import {
  HandIcon,
  LinkIcon,
  LockIcon,
  MicIcon,
  MicOffIcon,
  MoreIcon,
  ScreenShareIcon,
  UnlockIcon,
  VideoIcon,
  VideoOffIcon,
} from './Icons.js';
import { canManage, ParticipantMenu, type Act } from './ParticipantMenu.js';
import { RoleBadge } from './RoleBadge.js';

interface Props {
  session: MeetingSession;
  state: SessionState;
  speaking: ReadonlySet<string>;
  act: Act;
  onCopyLink: () => void;
}

export function ParticipantsPanel({ session, state, speaking, act, onCopyLink }: Props) {
  useTranslation();
  const everyone = state.self ? [state.self, ...state.participants] : [...state.participants];
  const webinar = state.meeting?.webinar === true;
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const marks = rosterMarks(state.e2ee, everyone);
  const entry = (p: ParticipantView) => (
    <RosterEntry
      key={p.id}
      participant={p}
      mark={marks.get(p.id)}
      speaking={speaking.has(p.id)}
      menu={canManage(state, p)}
      menuOpen={menuFor === p.id}
      onMenu={() => setMenuFor((current) => (current === p.id ? null : p.id))}
    >
      {menuFor === p.id ? (
        <ParticipantMenu
          target={p}
          state={state}
          session={session}
          act={act}
          onClose={() => setMenuFor(null)}
        />
      ) : null}
    </RosterEntry>
  );
  const speakers = webinar ? everyone.filter((p) => p.role !== 'attendee') : everyone;
  const attendees = webinar ? everyone.filter((p) => p.role === 'attendee') : [];
  // Focusable so the list can be scrolled from the keyboard when nothing in it takes focus (axe
  // scrollable-region-focusable: a participant's list of many people, or with the encryption note).
  return (
    <div className="roster-wrap" tabIndex={0} role="group" aria-label={t('panel.peopleTitle')}>
      {state.isModerator ? (
        <HostToolbar session={session} state={state} act={act} onCopyLink={onCopyLink} />
      ) : null}
      {state.isModerator && state.lobby.length > 0 ? (
        <LobbySection lobby={state.lobby} session={session} act={act} />
      ) : null}
      {state.isModerator && state.hands.length > 0 ? (
        <HandQueue state={state} session={session} act={act} />
      ) : null}
      {rosterVerified(state.e2ee) ? <E2eeRosterNote /> : null}
      <p className="side-caption">{t('people.count', { count: everyone.length })}</p>
      <ul className="roster" data-testid="roster">
        {ghosts(state.e2ee).map((ghost) => (
          <E2eeGhostRow key={ghost.participantId} ghost={ghost} />
        ))}
        {webinar ? (
          <li className="roster-group">{t('people.speakers', { count: speakers.length })}</li>
        ) : null}
        {speakers.map(entry)}
        {webinar && attendees.length > 0 ? (
          <li className="roster-group">{t('people.attendees', { count: attendees.length })}</li>
        ) : null}
        {attendees.map(entry)}
      </ul>
    </div>
  );
}

function HostToolbar({
  session,
  state,
  act,
  onCopyLink,
}: Pick<Props, 'session' | 'state' | 'act' | 'onCopyLink'>) {
  const locked = state.meeting?.locked === true;
  return (
    <div className="host-toolbar">
      <button
        type="button"
        className="chip-button"
        data-testid="mute-all"
        onClick={() => act(() => session.host.muteAll(), t('people.muteAllFailed'))}
      >
        <MicOffIcon size={17} />
        <span>{t('people.muteAll')}</span>
      </button>
      <button
        type="button"
        className={`chip-button${locked ? ' on' : ''}`}
        data-testid="lock-meeting"
        data-on={locked ? 'true' : 'false'}
        aria-pressed={locked}
        title={locked ? t('people.unlockTitle') : t('people.lockTitle')}
        onClick={() =>
          act(() => session.host.lock(!locked), locked ? t('people.unlockFailed') : t('people.lockFailed'))
        }
      >
        {locked ? <LockIcon size={17} /> : <UnlockIcon size={17} />}
        <span>{locked ? t('people.locked') : t('people.lock')}</span>
      </button>
      <button type="button" className="chip-button" data-testid="people-copy-link" onClick={onCopyLink}>
        <LinkIcon size={17} />
        <span>{t('people.copyLink')}</span>
      </button>
    </div>
  );
}

function waitedFor(since: number, now: number): string {
  const minutes = Math.floor((now - since) / 60_000);
  if (minutes < 1) return t('people.justNow');
  return minutes < 60
    ? t('people.minutes', { count: minutes })
    : t('people.hours', { count: Math.floor(minutes / 60) });
}

function LobbySection({
  lobby,
  session,
  act,
}: {
  lobby: readonly LobbyEntry[];
  session: MeetingSession;
  act: Act;
}) {
  useTicker(30_000);
  const now = Date.now();
  return (
    <section
      className="panel-section lobby-section"
      data-testid="lobby-panel"
      aria-label={t('people.waiting')}
    >
      <SectionHeader
        title={t('people.waiting')}
        count={lobby.length}
        action={t('people.admitAll')}
        actionTestId="lobby-admit-all"
        onAction={() => act(() => session.host.admit('all'), t('people.admitAllFailed'))}
      />
      <ul className="lobby-list">
        {lobby.map((entry) => (
          <li
            key={entry.id}
            className="lobby-entry"
            data-testid="lobby-entry"
            data-participant-id={entry.id}
            data-participant-name={entry.displayName}
          >
            <Avatar name={entry.displayName} seed={entry.id} size={32} />
            <span className="roster-name">
              <span className="roster-label">{entry.displayName}</span>
              <span className="roster-sub">
                {t('people.lobbySub', {
                  who: entry.signedIn ? t('people.signedIn') : t('people.guest'),
                  since: waitedFor(entry.waitingSince, now),
                })}
              </span>
            </span>
            <button
              type="button"
              className="text-button small danger-text"
              data-testid="lobby-deny"
              onClick={() =>
                act(() => session.host.deny([entry.id]), t('people.denyFailed', { name: entry.displayName }))
              }
            >
              {t('people.deny')}
            </button>
            <button
              type="button"
              className="primary-button small"
              data-testid="lobby-admit"
              onClick={() =>
                act(
                  () => session.host.admit([entry.id]),
                  t('people.admitFailed', { name: entry.displayName }),
                )
              }
            >
              {t('people.admit')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function HandQueue({ state, session, act }: Pick<Props, 'session' | 'state' | 'act'>) {
  return (
    <section className="panel-section" data-testid="hand-queue" aria-label={t('people.hands')}>
      <SectionHeader
        title={t('people.hands')}
        count={state.hands.length}
        action={t('people.lowerAll')}
        actionTestId="hand-lower-all"
        onAction={() => act(() => session.host.lowerHand('all'), t('people.lowerAllFailed'))}
      />
      <ol className="hand-list">
        {state.hands.map((hand, index) => (
          <li
            key={hand.participantId}
            className="hand-entry"
            data-testid="hand-entry"
            data-participant-id={hand.participantId}
            data-participant-name={hand.displayName}
          >
            <span className="hand-rank">{index + 1}</span>
            <HandIcon size={16} />
            <span className="roster-label" dir="auto">
              {hand.isLocal ? t('common.youSuffix', { name: hand.displayName }) : hand.displayName}
            </span>
            <button
              type="button"
              className="text-button small"
              data-testid="hand-lower"
              onClick={() => act(() => session.host.lowerHand([hand.participantId]), t('people.lowerFailed'))}
            >
              {t('people.lower')}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

interface EntryProps {
  participant: ParticipantView;
  /** The key-group mark (end-to-end encryption on and the roster verified). */
  mark: RosterMark | undefined;
  speaking: boolean;
  menu: boolean;
  menuOpen: boolean;
  onMenu: () => void;
  children?: ReactNode;
}

function RosterEntry({ participant: p, mark, speaking, menu, menuOpen, onMenu, children }: EntryProps) {
  const attendee = p.role === 'attendee';
  return (
    <li
      className={`roster-item${menuOpen ? ' open' : ''}`}
      data-testid="roster-entry"
      data-participant-id={p.id}
      data-participant-name={p.displayName}
      data-role={p.role}
      data-hand-raised={p.handRaised ? 'true' : 'false'}
    >
      <div className={`roster-entry${speaking && !p.audioMuted ? ' speaking' : ''}`}>
        <Avatar name={p.displayName} seed={p.id} size={36} />
        <span className="roster-name">
          <span className="roster-label">
            <span dir="auto">
              {p.isLocal ? t('common.youSuffix', { name: p.displayName }) : p.displayName}
            </span>
            <RoleBadge role={p.role} />
          </span>
          {p.screenSharing ? (
            <span className="roster-presenting">
              <ScreenShareIcon size={13} /> {t('people.presenting')}
            </span>
          ) : null}
          {mark ? <E2eeRosterMark participantId={p.id} mark={mark} /> : null}
        </span>
        <span className="roster-icons">
          {p.handRaised ? (
            <span
              className="hand"
              role="img"
              title={t('people.handRaised')}
              aria-label={t('people.handRaised')}
            >
              <HandIcon size={18} />
            </span>
          ) : null}
          {attendee ? null : (
            <>
              <span
                className={p.videoMuted ? 'off' : ''}
                role="img"
                aria-label={p.videoMuted ? t('people.cameraOff') : t('people.cameraOn')}
                title={p.videoMuted ? t('people.cameraOff') : t('people.cameraOn')}
              >
                {p.videoMuted ? <VideoOffIcon size={18} /> : <VideoIcon size={18} />}
              </span>
              <span
                className={p.audioMuted ? 'off' : ''}
                role="img"
                aria-label={p.audioMuted ? t('people.muted') : t('people.micOn')}
                title={p.audioMuted ? t('people.muted') : t('people.micOn')}
              >
                {p.audioMuted ? <MicOffIcon size={18} /> : <MicIcon size={18} />}
              </span>
            </>
          )}
          {menu ? (
            <button
              type="button"
              className={`icon-button tiny${menuOpen ? ' on' : ''}`}
              data-testid="participant-menu"
              aria-label={t('people.moreFor', { name: p.displayName })}
              aria-haspopup="menu"
              aria-expanded={menuOpen}
              title={t('people.moreFor', { name: p.displayName })}
              onClick={onMenu}
            >
              <MoreIcon size={18} />
            </button>
          ) : null}
        </span>
      </div>
      {children}
    </li>
  );
}

/** A panel section's heading with its count and one action for the whole section. */
function SectionHeader(props: {
  title: string;
  count: number;
  action: string;
  actionTestId: string;
  onAction: () => void;
}) {
  return (
    <header className="section-header">
      <h3>
        {props.title} <span className="count">{props.count}</span>
      </h3>
      <button
        type="button"
        className="text-button small"
        data-testid={props.actionTestId}
        onClick={props.onAction}
      >
        {props.action}
      </button>
    </header>
  );
}
