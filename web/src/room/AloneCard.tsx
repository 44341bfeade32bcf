/** Alone in the room: a card with the meeting link and a copy button, until someone comes or it is hidden. */
import { useTranslation } from 'react-i18next';
import { CloseIcon, CopyIcon } from '../components/Icons.js';

interface Props {
  link: string;
  onCopy: () => void;
  onHide: () => void;
}

export function AloneCard({ link, onCopy, onHide }: Props) {
  const { t } = useTranslation();
  return (
    <section className="alone-card" data-testid="alone-card" aria-labelledby="alone-card-title">
      <h2 id="alone-card-title">{t('alone.title')}</h2>
      <p>{t('alone.body')}</p>
      <div className="alone-link">
        <code data-testid="alone-link">{link}</code>
        <button
          type="button"
          className="secondary-button small"
          data-testid="alone-copy-link"
          onClick={onCopy}
        >
          <CopyIcon size={16} />
          <span>{t('alone.copy')}</span>
        </button>
      </div>
      <button
        type="button"
        className="icon-button small alone-hide"
        data-testid="alone-hide"
        aria-label={t('alone.hide')}
        title={t('alone.hide')}
        onClick={onHide}
      >
        <CloseIcon size={18} />
      </button>
    </section>
  );
}
