/**
 * The bar at the bottom of the meeting: media toggles with their device menus (not for webinar
 * attendees), raise hand, reactions, panels, layout, shortcuts, link, leave, and for the host "end for all";
 * the end-to-end encryption lock leads the side group (on phones e2ee.css moves it above the stage).
 * Tooltips name the single-key shortcut; `aria-keyshortcuts` announces it.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ariaShortcut } from '../room/shortcuts.js';
import type { Layout } from '../room/stageLayout.js';
import {
  ChatIcon,
  ChevronUpIcon,
  GridIcon,
  HandIcon,
  KeyboardIcon,
  LinkIcon,
  LockIcon,
  PeopleIcon,
  PhoneOffIcon,
  ScreenShareIcon,
  ScreenShareOffIcon,
  SpeakerViewIcon,
  StopIcon,
} from './Icons.js';
import { CameraToggle, MicToggle, RoundButton, withShortcut, type ButtonProps } from './RoundButton.js';

export type Panel = 'chat' | 'participants' | null;

interface Props {
  meetingLabel: string;
  locked: boolean;
  clock: string;
  /** Webinar attendees send nothing: no microphone, camera or screen buttons. */
  canPublish: boolean;
  handRaised: boolean;
  /** The host may end the meeting for everyone. */
  canEndMeeting: boolean;
  /** Hosts and co-hosts: people waiting in the lobby (shown on the People button). */
  lobbyWaiting: number;
  audioMuted: boolean;
  videoMuted: boolean;
  hasMic: boolean;
  hasCamera: boolean;
  micDenied: boolean;
  cameraDenied: boolean;
  screenSharing: boolean;
  canShareScreen: boolean;
  panel: Panel;
  unreadChat: number;
  participantCount: number;
  layout: Layout;
  /** The device menu open beside the microphone or the camera. */
  deviceMenu: 'mic' | 'camera' | null;
  deviceMenuContent: ReactNode;
  /** The reactions button and its menu (raise hand is in it too). */
  reactions: ReactNode;
  /** The end-to-end encryption lock (renders nothing while encryption is off). */
  e2ee?: ReactNode;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  onDeviceMenu: (which: 'mic' | 'camera') => void;
  onToggleScreen: () => void;
  onToggleHand: () => void;
  onEndMeeting: () => void;
  onTogglePanel: (panel: Exclude<Panel, null>) => void;
  onToggleLayout: () => void;
  onShortcuts: () => void;
  onCopyLink: () => void;
  onLeave: () => void;
}

export function ControlBar(props: Props) {
  const { t } = useTranslation();
  const micOn = !props.audioMuted && props.hasMic;
  const cameraOn = !props.videoMuted && props.hasCamera;
  const count = props.participantCount;
  const peopleLabel =
    props.lobbyWaiting > 0
      ? t('controls.peopleWaiting', { count: props.lobbyWaiting })
      : count > 0
        ? t('controls.peopleCount', { count })
        : t('controls.people');
  const chatLabel =
    props.unreadChat > 0 ? t('controls.chatUnread', { count: props.unreadChat }) : t('controls.chat');
  const speaker = props.layout === 'speaker';
  return (
    <footer className="control-bar">
      <div className="control-info">
        <span className="control-clock">{props.clock}</span>
        <span className="control-divider" aria-hidden="true" />
        {props.locked ? (
          <span
            className="control-locked"
            role="img"
            aria-label={t('controls.locked')}
            title={t('controls.locked')}
            data-testid="meeting-locked"
          >
            <LockIcon size={16} />
          </span>
        ) : null}
        <span className="control-meeting" title={props.meetingLabel}>
          {props.meetingLabel}
        </span>
      </div>
      <div className="control-main">
        {props.canPublish ? (
          <>
            <span className="split-button">
              <MicToggle
                testId="toggle-mic"
                on={micOn}
                denied={props.micDenied}
                shortcut={ariaShortcut('mic')}
                onClick={props.onToggleMic}
              />
              <DeviceChevron
                testId="mic-devices"
                open={props.deviceMenu === 'mic'}
                onClick={() => props.onDeviceMenu('mic')}
              />
              {props.deviceMenu === 'mic' ? props.deviceMenuContent : null}
            </span>
            <span className="split-button">
              <CameraToggle
                testId="toggle-camera"
                on={cameraOn}
                denied={props.cameraDenied}
                shortcut={ariaShortcut('camera')}
                onClick={props.onToggleCamera}
              />
              <DeviceChevron
                testId="camera-devices"
                open={props.deviceMenu === 'camera'}
                onClick={() => props.onDeviceMenu('camera')}
              />
              {props.deviceMenu === 'camera' ? props.deviceMenuContent : null}
            </span>
            <RoundButton
              testId="toggle-screen"
              label={props.screenSharing ? t('controls.stopPresenting') : t('controls.present')}
              on={props.screenSharing}
              accent={props.screenSharing}
              disabled={!props.canShareScreen}
              onClick={props.onToggleScreen}
              hideOnMobile
            >
              {props.screenSharing ? <ScreenShareOffIcon /> : <ScreenShareIcon />}
            </RoundButton>
          </>
        ) : null}
        <RoundButton
          testId="raise-hand"
          label={props.handRaised ? t('controls.lowerHand') : t('controls.raiseHand')}
          on={props.handRaised}
          accent={props.handRaised}
          shortcut={ariaShortcut('hand')}
          onClick={props.onToggleHand}
          hideOnMobile
        >
          <HandIcon />
        </RoundButton>
        {/* On phones the hand is only in the reactions menu, to keep the bar to one row. */}
        {props.reactions}
        <button
          type="button"
          className="leave-button"
          data-testid="leave"
          aria-label={t('controls.leave')}
          title={t('controls.leave')}
          onClick={props.onLeave}
        >
          <PhoneOffIcon />
        </button>
        {props.canEndMeeting ? (
          <button
            type="button"
            className="end-button"
            data-testid="end-meeting"
            title={t('controls.endForAllLong')}
            onClick={props.onEndMeeting}
          >
            <StopIcon size={18} className="end-icon" />
            <span className="end-label">{t('controls.endForAll')}</span>
          </button>
        ) : null}
      </div>
      <div className="control-side">
        {props.e2ee}
        <IconButton
          testId="shortcuts-button"
          label={t('controls.shortcuts')}
          shortcut={ariaShortcut('help')}
          onClick={props.onShortcuts}
          className="hide-narrow"
        >
          <KeyboardIcon />
        </IconButton>
        <IconButton
          testId="layout-toggle"
          label={speaker ? t('controls.layoutTiles') : t('controls.layoutSpeaker')}
          data={{ 'data-layout': props.layout }}
          onClick={props.onToggleLayout}
          className="hide-narrow"
        >
          {speaker ? <GridIcon /> : <SpeakerViewIcon />}
        </IconButton>
        <IconButton
          testId="copy-link"
          label={t('controls.copyLink')}
          onClick={props.onCopyLink}
          className={props.canEndMeeting ? 'hide-narrow' : undefined}
        >
          <LinkIcon />
        </IconButton>
        <IconButton
          testId="toggle-participants"
          label={peopleLabel}
          on={props.panel === 'participants'}
          shortcut={ariaShortcut('people')}
          onClick={() => props.onTogglePanel('participants')}
          badge={props.lobbyWaiting > 0 ? String(props.lobbyWaiting) : count > 0 ? String(count) : undefined}
          badgeQuiet={props.lobbyWaiting === 0}
          badgeTestId={props.lobbyWaiting > 0 ? 'lobby-badge' : 'people-count'}
        >
          <PeopleIcon />
        </IconButton>
        <IconButton
          testId="toggle-chat"
          label={chatLabel}
          on={props.panel === 'chat'}
          shortcut={ariaShortcut('chat')}
          onClick={() => props.onTogglePanel('chat')}
          badge={props.unreadChat > 0 ? (props.unreadChat > 9 ? '9+' : String(props.unreadChat)) : undefined}
          badgeTestId="chat-unread"
        >
          <ChatIcon />
        </IconButton>
      </div>
    </footer>
  );
}

function DeviceChevron({ testId, open, onClick }: { testId: string; open: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`chevron-button${open ? ' on' : ''}`}
      data-testid={testId}
      aria-label={t('controls.devices')}
      aria-haspopup="dialog"
      aria-expanded={open}
      title={t('controls.devices')}
      onClick={onClick}
    >
      <ChevronUpIcon size={16} />
    </button>
  );
}

function IconButton({
  testId,
  label,
  on,
  badge,
  badgeQuiet,
  badgeTestId,
  className,
  shortcut,
  data,
  onClick,
  children,
}: Omit<ButtonProps, 'on'> & {
  on?: boolean;
  badgeTestId?: string | undefined;
  className?: string | undefined;
  data?: Record<`data-${string}`, string>;
}) {
  const pressable = on !== undefined;
  return (
    <button
      type="button"
      className={`icon-button${on ? ' on' : ''}${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-on={on ? 'true' : 'false'}
      {...(pressable ? { 'aria-pressed': on ? 'true' : 'false' } : {})}
      aria-label={label}
      aria-keyshortcuts={shortcut}
      title={withShortcut(label, shortcut)}
      onClick={onClick}
      {...data}
    >
      {children}
      {badge ? (
        <span className={`badge${badgeQuiet ? ' quiet' : ''}`} data-testid={badgeTestId} aria-hidden="true">
          {badge}
        </span>
      ) : null}
    </button>
  );
}
