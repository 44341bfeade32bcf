/**
 * The device menu opened by the chevron beside the microphone and camera buttons: microphone, camera,
 * background blur, speaker (where the browser can choose one) and a test sound, without leaving the
 * meeting. A new microphone or camera, and the blurred camera, are swapped into the call by LocalMedia
 * (replaceTrack).
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalMedia } from '../../../src/client/LocalMedia.js';
import { useLocalMediaState } from '../hooks.js';
import { prefs } from '../prefs.js';
import {
  onSpeakerChange,
  playTestSound,
  setSpeakerDeviceId,
  speakerChoiceSupported,
  speakerDeviceId,
} from '../room/speaker.js';
import { BlurToggle } from './BlurToggle.js';
import { DeviceSelect } from './DeviceSelect.js';
import { MicIcon, SpeakerIcon, VideoIcon } from './Icons.js';

interface Props {
  localMedia: LocalMedia;
  onClose: () => void;
}

export function DeviceMenu({ localMedia, onClose }: Props) {
  const { t } = useTranslation();
  const media = useLocalMediaState(localMedia);
  const speaker = useSyncExternalStore(onSpeakerChange, speakerDeviceId);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const menu = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    menu?.querySelector<HTMLElement>('select, button')?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      onClose();
      opener?.focus();
    };
    const onDown = (event: MouseEvent): void => {
      const target = event.target as Node;
      if (menu && !menu.contains(target) && !opener?.contains(target)) onClose();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [onClose]);
  const canChooseSpeaker = speakerChoiceSupported() && media.devices.speakers.length > 0;
  return (
    <div
      className="device-menu"
      role="dialog"
      aria-label={t('devices.title')}
      data-testid="device-menu"
      ref={ref}
    >
      <DeviceSelect
        label={t('devices.microphone')}
        icon={<MicIcon size={18} />}
        devices={media.devices.microphones}
        value={media.micDeviceId}
        testId="device-mic-select"
        emptyLabel={t('prejoin.noMicrophones')}
        onChange={(id) => {
          prefs.setMicDeviceId(id);
          void localMedia.selectMicrophone(id);
        }}
      />
      <DeviceSelect
        label={t('devices.camera')}
        icon={<VideoIcon size={18} />}
        devices={media.devices.cameras}
        value={media.cameraDeviceId}
        testId="device-camera-select"
        emptyLabel={t('prejoin.noCameras')}
        onChange={(id) => {
          prefs.setCameraDeviceId(id);
          void localMedia.selectCamera(id);
        }}
      />
      <BlurToggle localMedia={localMedia} testIdPrefix="device" />
      {canChooseSpeaker ? (
        <DeviceSelect
          label={t('devices.speaker')}
          icon={<SpeakerIcon size={18} />}
          devices={media.devices.speakers}
          value={speaker}
          testId="device-speaker-select"
          emptyLabel={t('prejoin.noSpeakers')}
          onChange={setSpeakerDeviceId}
        />
      ) : (
        <p className="device-note">{t('devices.speakerUnsupported')}</p>
      )}
      <button
        type="button"
        className="secondary-button small"
        data-testid="device-test-sound"
        onClick={playTestSound}
      >
        <SpeakerIcon size={17} />
        <span>{t('devices.testSound')}</span>
      </button>
    </div>
  );
}
