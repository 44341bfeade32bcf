/** Round media buttons shared by the meeting control bar and the pre-join preview. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { t as translate } from '../i18n/index.js';
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
  /** `aria-keyshortcuts` value ("M"); also shown in the tooltip. */
  shortcut?: string | undefined;
  onClick: () => void;
  children: ReactNode;
}

/** A tooltip with the shortcut key: "Turn off microphone (M)". */
export function withShortcut(label: string, shortcut: string | undefined): string {
  return shortcut ? translate('common.withShortcut', { label, key: shortcut.replace('Shift+', '') }) : label;
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
  shortcut,
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
      aria-keyshortcuts={shortcut}
      title={withShortcut(label, shortcut)}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

interface ToggleProps {
  on: boolean;
  testId: string;
  glass?: boolean;
  shortcut?: string;
  /** The permission was refused: the button says so and asks again when clicked. */
  denied?: boolean;
  onClick: () => void;
}

/** The microphone toggle: red with a struck-through icon while off. */
export function MicToggle(props: ToggleProps) {
  const { t } = useTranslation();
  return (
    <RoundButton
      testId={props.testId}
      label={props.denied ? t('controls.micBlocked') : props.on ? t('controls.micOn') : t('controls.micOff')}
      shortcut={props.shortcut}
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
export function CameraToggle(props: ToggleProps) {
  const { t } = useTranslation();
  return (
    <RoundButton
      testId={props.testId}
      label={
        props.denied
          ? t('controls.cameraBlocked')
          : props.on
            ? t('controls.cameraOn')
            : t('controls.cameraOff')
      }
      shortcut={props.shortcut}
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
