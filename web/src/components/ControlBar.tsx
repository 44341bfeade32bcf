/** The bar at the bottom of the meeting: media toggles, panels, link, leave. */
import {
  ChatIcon,
  LinkIcon,
  PeopleIcon,
  PhoneOffIcon,
  ScreenShareIcon,
  ScreenShareOffIcon,
} from './Icons.js';
import { CameraToggle, MicToggle, RoundButton, type ButtonProps } from './RoundButton.js';

export type Panel = 'chat' | 'participants' | null;

interface Props {
  meetingLabel: string;
  clock: string;
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
        <span className="control-meeting" title={props.meetingLabel}>
          {props.meetingLabel}
        </span>
      </div>
      <div className="control-main">
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
      </div>
      <div className="control-side">
        <IconButton testId="copy-link" label="Copy meeting link" onClick={props.onCopyLink}>
          <LinkIcon />
        </IconButton>
        <IconButton
          testId="toggle-participants"
          label="Participants"
          on={props.panel === 'participants'}
          onClick={() => props.onTogglePanel('participants')}
          badge={props.participantCount > 0 ? String(props.participantCount) : undefined}
          badgeQuiet
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

function IconButton({ testId, label, on, badge, badgeQuiet, onClick, children }: ButtonProps) {
  return (
    <button
      type="button"
      className={`icon-button${on ? ' on' : ''}`}
      data-testid={testId}
      data-on={on ? 'true' : 'false'}
      aria-pressed={on ? 'true' : 'false'}
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      {children}
      {badge ? <span className={`badge${badgeQuiet ? ' quiet' : ''}`}>{badge}</span> : null}
    </button>
  );
}
