/** Waiting in the lobby until the host lets you in: the meeting title, your preview, a Leave button. */
import { Trans, useTranslation } from 'react-i18next';
import type { LocalMedia } from '../../../src/client/LocalMedia.js';
import { Avatar } from '../components/Avatar.js';
import { DoorIcon } from '../components/Icons.js';
import { MediaVideo } from '../components/MediaVideo.js';
import { PreviewToggles } from '../components/RoundButton.js';
import { useLocalMediaState } from '../hooks.js';
import { TopBar } from './TopBar.js';

interface Props {
  title: string | null;
  displayName: string;
  localMedia: LocalMedia;
  onLeave: () => void;
}

export function LobbyWait({ title, displayName, localMedia, onLeave }: Props) {
  const { t } = useTranslation();
  const media = useLocalMediaState(localMedia);
  // Only what the pre-join screen already opened: nothing new is asked for while waiting.
  const devicesOpen = media.mic !== null || media.camera !== null;
  const micOn = !media.audioMuted && media.mic !== null;
  const cameraOn = !media.videoMuted && media.camera !== null;
  return (
    <div className="status-page">
      <TopBar />
      <main className="lobby-main" data-testid="meeting-status" data-state="lobby">
        <div className="lobby-card" data-testid="lobby-wait">
          {devicesOpen ? (
            <div className="preview lobby-preview">
              {cameraOn && media.cameraStream ? (
                <MediaVideo stream={media.cameraStream} mirrored label={t('prejoin.preview')} />
              ) : (
                <div className="preview-off">
                  <Avatar name={displayName} size={72} />
                </div>
              )}
              <PreviewToggles
                testIdPrefix="lobby"
                micOn={micOn}
                cameraOn={cameraOn}
                onMic={() => localMedia.setAudioMuted(micOn)}
                onCamera={() => localMedia.setVideoMuted(cameraOn)}
              />
            </div>
          ) : (
            <div className="lobby-icon" aria-hidden="true">
              <DoorIcon size={40} />
            </div>
          )}
          <div className="lobby-text">
            {title ? (
              <p className="lobby-title" data-testid="lobby-title">
                {title}
              </p>
            ) : null}
            <h1>{t('lobby.waiting')}</h1>
            <p className="status-message">
              <Trans
                i18nKey="lobby.youAreIn"
                values={{ name: displayName }}
                components={[<strong key="s" />]}
              />
            </p>
            <span className="lobby-dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            <button type="button" className="secondary-button" data-testid="lobby-leave" onClick={onLeave}>
              {t('lobby.leave')}
            </button>
          </div>
        </div>
      </main>
    </div>
  );
}
