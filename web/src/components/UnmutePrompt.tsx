/** "The host asks you to unmute": only you can turn your microphone on. */
import { useTranslation } from 'react-i18next';
import { MicIcon } from './Icons.js';

export function UnmutePrompt({
  from,
  onAnswer,
}: {
  from: string | null;
  onAnswer: (unmute: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      className="unmute-prompt"
      role="alertdialog"
      aria-label={t('unmute.label')}
      data-testid="unmute-request"
    >
      <span className="unmute-icon" aria-hidden="true">
        <MicIcon size={22} />
      </span>
      <span className="unmute-text">
        <strong>{t('unmute.title')}</strong>
        {from ? <span>{t('unmute.from', { name: from })}</span> : null}
      </span>
      <button
        type="button"
        className="text-button"
        data-testid="unmute-decline"
        onClick={() => onAnswer(false)}
      >
        {t('unmute.stay')}
      </button>
      <button
        type="button"
        className="primary-button"
        data-testid="unmute-accept"
        onClick={() => onAnswer(true)}
      >
        {t('unmute.accept')}
      </button>
    </div>
  );
}
