/**
 * The bar at the bottom of the meeting: media toggles (not for webinar attendees), raise hand, panels,
 * link, leave, and for the host "end meeting for everyone".
 */
import {
  ChatIcon,
  HandIcon,
  LinkIcon,
  LockIcon,
  PeopleIcon,
  PhoneOffIcon,
  ScreenShareIcon,
  ScreenShareOffIcon,
  StopIcon,
} from './Icons.js';
import { CameraToggle, MicToggle, RoundButton, type ButtonProps } from './RoundButton.js';

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
  screenSharing: boolean;
  canShareScreen: boolean;
  panel: Panel;
  unreadChat: number;
  participantCount: number;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  onToggleScreen: () => void;
  onToggleHand: () => void;
  onEndMeeting: () => void;
  onTogglePanel: (panel: Exclude<Panel, null>) => void;
  onCopyLink: () => void;
  onLeave: () => void;
}

export function ControlBar(props: Props) {
  const micOn = !props.audioMuted && props.hasMic;
  const cameraOn = !props.videoMuted && props.hasCamera;
  return (
    <footer className="control-bar">
      <div className="control-info">
        <span className="control-clock">{props.clock}</span>
        <span className="control-divider" aria-hidden="true" />
        {props.locked ? (
          <span className="control-locked" title="The meeting is locked" data-testid="meeting-locked">
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
            <MicToggle testId="toggle-mic" on={micOn} onClick={props.onToggleMic} />
            <CameraToggle testId="toggle-camera" on={cameraOn} onClick={props.onToggleCamera} />
            <RoundButton
              testId="toggle-screen"
              label={props.screenSharing ? 'Stop presenting' : 'Present your screen'}
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
          label={props.handRaised ? 'Lower your hand' : 'Raise your hand'}
          on={props.handRaised}
          accent={props.handRaised}
          onClick={props.onToggleHand}
        >
          <HandIcon />
        </RoundButton>
        <button
          type="button"
          className="leave-button"
          data-testid="leave"
          aria-label="Leave the meeting"
          title="Leave the meeting"
          onClick={props.onLeave}
        >
          <PhoneOffIcon />
        </button>
        {props.canEndMeeting ? (
          <button
            type="button"
            className="end-button"
            data-testid="end-meeting"
            title="End the meeting for everyone"
            aria-label="End the meeting for everyone"
            onClick={props.onEndMeeting}
          >
            <StopIcon size={18} className="end-icon" />
            <span className="end-label">End for all</span>
          </button>
        ) : null}
      </div>
      <div className="control-side">
        <IconButton
          testId="copy-link"
          label="Copy meeting link"
          onClick={props.onCopyLink}
          className={props.canEndMeeting ? 'hide-narrow' : undefined}
        >
          <LinkIcon />
        </IconButton>
        <IconButton
          testId="toggle-participants"
          label="Participants"
          on={props.panel === 'participants'}
          onClick={() => props.onTogglePanel('participants')}
          badge={
            props.lobbyWaiting > 0
              ? String(props.lobbyWaiting)
              : props.participantCount > 0
                ? String(props.participantCount)
                : undefined
          }
          badgeQuiet={props.lobbyWaiting === 0}
          badgeTestId={props.lobbyWaiting > 0 ? 'lobby-badge' : undefined}
        >
          <PeopleIcon />
        </IconButton>
        <IconButton
          testId="toggle-chat"
          label="Chat"
          on={props.panel === 'chat'}
          onClick={() => props.onTogglePanel('chat')}
          badge={props.unreadChat > 0 ? (props.unreadChat > 9 ? '9+' : String(props.unreadChat)) : undefined}
        >
          <ChatIcon />
        </IconButton>
      </div>
    </footer>
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
  onClick,
  children,
}: ButtonProps & { badgeTestId?: string | undefined; className?: string | undefined }) {
  return (
    <button
      type="button"
      className={`icon-button${on ? ' on' : ''}${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-on={on ? 'true' : 'false'}
      aria-pressed={on ? 'true' : 'false'}
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      {children}
      {badge ? (
        <span className={`badge${badgeQuiet ? ' quiet' : ''}`} data-testid={badgeTestId}>
          {badge}
        </span>
      ) : null}
    </button>
  );
}
