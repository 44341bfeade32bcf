/** Round media buttons shared by the meeting control bar and the pre-join preview. */
import type { ReactNode } from 'react';
import { MicIcon, MicOffIcon, VideoIcon, VideoOffIcon } from './Icons.js';

export interface ButtonProps {
  testId: string;
  label: string;
  on?: boolean;
  danger?: boolean;
  accent?: boolean;
  /** Translucent style, for buttons drawn over video. */
  glass?: boolean;
  disabled?: boolean;
  hideOnMobile?: boolean;
  badge?: string | undefined;
  badgeQuiet?: boolean;
  onClick: () => void;
  children: ReactNode;
}

export function RoundButton({
  testId,
  label,
  on,
  danger,
  accent,
  glass,
  disabled,
  hideOnMobile,
  onClick,
  children,
}: ButtonProps) {
  const classes = [
    'round-button',
    danger ? 'danger' : '',
    accent ? 'accent' : '',
    glass && !danger ? 'glass' : '',
    hideOnMobile ? 'hide-mobile' : '',
  ];
  return (
    <button
      type="button"
      className={classes.join(' ').trim()}
      data-testid={testId}
      data-on={on ? 'true' : 'false'}
      aria-pressed={on ? 'true' : 'false'}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** The microphone toggle: red with a struck-through icon while off. */
export function MicToggle(props: { on: boolean; testId: string; glass?: boolean; onClick: () => void }) {
  return (
    <RoundButton
      testId={props.testId}
      label={props.on ? 'Turn off microphone' : 'Turn on microphone'}
      on={props.on}
      danger={!props.on}
      glass={props.glass ?? false}
      onClick={props.onClick}
    >
      {props.on ? <MicIcon /> : <MicOffIcon />}
    </RoundButton>
  );
}

/** The camera toggle: red with a struck-through icon while off. */
export function CameraToggle(props: { on: boolean; testId: string; glass?: boolean; onClick: () => void }) {
  return (
    <RoundButton
      testId={props.testId}
      label={props.on ? 'Turn off camera' : 'Turn on camera'}
      on={props.on}
      danger={!props.on}
      glass={props.glass ?? false}
      onClick={props.onClick}
    >
      {props.on ? <VideoIcon /> : <VideoOffIcon />}
    </RoundButton>
  );
}

/** The microphone and camera toggles drawn over a local preview (pre-join and lobby screens). */
export function PreviewToggles(props: {
  testIdPrefix: string;
  micOn: boolean;
  cameraOn: boolean;
  onMic: () => void;
  onCamera: () => void;
}) {
  return (
    <div className="preview-controls">
      <MicToggle testId={`${props.testIdPrefix}-toggle-mic`} on={props.micOn} glass onClick={props.onMic} />
      <CameraToggle
        testId={`${props.testIdPrefix}-toggle-camera`}
        on={props.cameraOn}
        glass
        onClick={props.onCamera}
      />
    </div>
  );
}
