/**
 * The room's one-line banners over the top of the stage, most urgent first: the connection is being
 * re-established, a media problem, or the browser blocked remote sound. (The encryption warning is
 * not one of them: it has a place of its own above the stage, E2eeStatus.tsx.)
 */
import { useTranslation } from 'react-i18next';
import { unlockAudio, useAudioBlocked } from '../audioUnlock.js';
import { AlertIcon, SpeakerIcon, WifiOffIcon } from '../components/Icons.js';
import { currentLanguage } from '../i18n/index.js';

export function RoomBanners({
  reconnecting,
  mediaProblem,
}: {
  reconnecting: boolean;
  mediaProblem: string | null;
}) {
  const { t } = useTranslation();
  const audioBlocked = useAudioBlocked();
  if (reconnecting) {
    return (
      <div className="banner warning" data-testid="reconnecting-banner">
        <WifiOffIcon size={18} />
        <span>{t('room.connectionLost')}</span>
        <span className="spinner small" aria-hidden="true" />
      </div>
    );
  }
  if (mediaProblem) {
    return (
      <div className="banner error">
        <AlertIcon size={18} />
        <span>{currentLanguage() === 'en' ? mediaProblem : t('errors.mediaProblem')}</span>
      </div>
    );
  }
  if (!audioBlocked) return null;
  return (
    <div className="banner">
      <SpeakerIcon size={18} />
      <span>{t('room.soundPaused')}</span>
      <button type="button" className="banner-button" data-testid="enable-audio" onClick={unlockAudio}>
        {t('room.turnOnSound')}
      </button>
    </div>
  );
}
