/**
 * Before joining: camera preview, name, mic/camera toggles, device choice and background blur; the
 * meeting's title and who is there (as far as the preview API lets this viewer know), a passcode field
 * when the meeting may need one and the link did not carry it, and the link to copy.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalMedia } from '../../../src/client/LocalMedia.js';
import type { MeetingPreview } from '../../../src/client/api.js';
import { Avatar } from '../components/Avatar.js';
import { BlurToggle } from '../components/BlurToggle.js';
import { DeviceSelect } from '../components/DeviceSelect.js';
import { AlertIcon, MicIcon, VideoIcon } from '../components/Icons.js';
import { PreviewToggles } from '../components/RoundButton.js';
import { MediaVideo } from '../components/MediaVideo.js';
import { MicLevel } from '../components/MicLevel.js';
import { useLocalMediaState } from '../hooks.js';
import { prefs } from '../prefs.js';
import { ArrivalInfo } from '../room/ArrivalInfo.js';
import { TopBar } from './TopBar.js';

interface Props {
  meetingId: string;
  localMedia: LocalMedia;
  /** From `?name=`; else the remembered name. */
  initialName?: string;
  /** The preview API's answer (null while it loads, or when it failed). */
  preview: MeetingPreview | null;
  /** The passcode from the link's fragment, if any. */
  passcode: string | null;
  /** Joins with this name, and the passcode typed here (null: the link's, or none). */
  onJoin: (displayName: string, passcode: string | null) => void;
}

export function PreJoin({ meetingId, localMedia, initialName, preview, passcode, onJoin }: Props) {
  const { t } = useTranslation();
  const [typedPasscode, setTypedPasscode] = useState('');
  const askPasscode = preview?.passcodeRequired === true && !passcode;
  const media = useLocalMediaState(localMedia);
  const [name, setName] = useState(() => initialName || prefs.displayName());
  const trimmed = name.trim();
  // While the devices are still opening, show what the user asked for rather than "off".
  const micOn = !media.audioMuted && (media.mic !== null || media.starting);
  const cameraOn = !media.videoMuted && (media.camera !== null || media.starting);
  const denied =
    media.cameraDenied && media.micDenied
      ? t('prejoin.deniedBoth')
      : media.cameraDenied
        ? t('prejoin.deniedCamera')
        : media.micDenied
          ? t('prejoin.deniedMicrophone')
          : null;
  const problem = denied
    ? null
    : media.cameraError
      ? t('prejoin.cameraFailed')
      : media.micError
        ? t('prejoin.micFailed')
        : null;
  const askAgain = (): void => {
    if (media.micDenied) void localMedia.selectMicrophone(media.micDeviceId);
    if (media.cameraDenied) void localMedia.selectCamera(media.cameraDeviceId);
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!trimmed) return;
    prefs.setDisplayName(trimmed);
    onJoin(trimmed.slice(0, 64), askPasscode && typedPasscode.trim() ? typedPasscode.trim() : null);
  };

  return (
    <div className="prejoin">
      <TopBar />
      <main className="prejoin-main">
        <section className="prejoin-preview">
          <div className="preview">
            {cameraOn && media.cameraStream ? (
              <MediaVideo
                stream={media.cameraStream}
                mirrored
                data-testid="prejoin-video"
                label={t('prejoin.preview')}
              />
            ) : (
              <div className="preview-off">
                {trimmed ? <Avatar name={trimmed} size={96} /> : null}
                <span>
                  {media.starting
                    ? t('prejoin.startingCamera')
                    : media.camera
                      ? t('prejoin.cameraOff')
                      : t('prejoin.noCamera')}
                </span>
              </div>
            )}
            <div className="preview-name">{trimmed}</div>
            <PreviewToggles
              testIdPrefix="prejoin"
              micOn={micOn}
              cameraOn={cameraOn}
              onMic={() => localMedia.setAudioMuted(micOn)}
              onCamera={() => localMedia.setVideoMuted(cameraOn)}
            />
            {micOn ? (
              <div className="preview-level">
                <MicLevel track={media.mic} />
              </div>
            ) : null}
          </div>
          <div className="device-row">
            <DeviceSelect
              label={t('prejoin.microphone')}
              emptyLabel={t('prejoin.noMicrophones')}
              icon={<MicIcon size={18} />}
              devices={media.devices.microphones}
              value={media.micDeviceId}
              testId="prejoin-mic-select"
              pending={media.starting}
              onChange={(id) => {
                prefs.setMicDeviceId(id);
                void localMedia.selectMicrophone(id);
              }}
            />
            <DeviceSelect
              label={t('prejoin.camera')}
              emptyLabel={t('prejoin.noCameras')}
              icon={<VideoIcon size={18} />}
              devices={media.devices.cameras}
              value={media.cameraDeviceId}
              testId="prejoin-camera-select"
              pending={media.starting}
              onChange={(id) => {
                prefs.setCameraDeviceId(id);
                void localMedia.selectCamera(id);
              }}
            />
          </div>
          <BlurToggle localMedia={localMedia} testIdPrefix="prejoin" />
          {denied ? (
            <div className="notice" data-testid="prejoin-denied" role="alert">
              <AlertIcon size={18} />
              <span>
                <strong>{denied}</strong>
                <br />
                {t('prejoin.deniedHelp')}
              </span>
              <button type="button" className="secondary-button small" onClick={askAgain}>
                {t('prejoin.askAgain')}
              </button>
            </div>
          ) : problem ? (
            <p className="notice">
              <AlertIcon size={18} />
              <span>{t('prejoin.problemLater', { problem })}</span>
            </p>
          ) : null}
        </section>
        <section className="prejoin-form">
          <h1 data-testid="prejoin-title">
            {preview && !preview.passcodeRequired
              ? t('arrive.readyFor', { title: preview.title })
              : t('prejoin.ready')}
          </h1>
          <ArrivalInfo meetingId={meetingId} preview={preview} passcodeFromLink={passcode} />
          <form onSubmit={submit}>
            <label className="field">
              <span className="field-label">{t('prejoin.name')}</span>
              <input
                data-testid="prejoin-name"
                type="text"
                autoComplete="name"
                maxLength={64}
                placeholder={t('prejoin.namePlaceholder')}
                value={name}
                autoFocus={!name}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
            {askPasscode ? (
              <label className="field">
                <span className="field-label">{t('arrive.passcode')}</span>
                <input
                  data-testid="prejoin-passcode"
                  type="text"
                  autoComplete="off"
                  maxLength={128}
                  value={typedPasscode}
                  onChange={(event) => setTypedPasscode(event.target.value)}
                />
              </label>
            ) : null}
            <button
              type="submit"
              className="primary-button large wide"
              data-testid="prejoin-join"
              disabled={!trimmed}
            >
              {t('prejoin.join')}
            </button>
          </form>
        </section>
      </main>
    </div>
  );
}
