/** The "?" sheet: the room's keyboard shortcuts, and the language and theme menus. */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { trapFocus } from '../focusTrap.js';
import { SHORTCUT_KEYS } from '../room/shortcuts.js';
import { CloseIcon } from './Icons.js';
import { LanguageSelect, ThemeSelect } from './Preferences.js';

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const sheet = ref.current;
    if (!sheet) return;
    const release = trapFocus(sheet, sheet.querySelector<HTMLElement>('.sheet-close'));
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      release();
    };
  }, [onClose]);
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        className="dialog shortcuts-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="shortcuts-help"
      >
        <header className="sheet-header">
          <h2 id={titleId}>{t('shortcuts.title')}</h2>
          <button
            type="button"
            className="icon-button small sheet-close"
            aria-label={t('common.close')}
            onClick={onClose}
          >
            <CloseIcon size={20} />
          </button>
        </header>
        <dl className="shortcut-list">
          {SHORTCUT_KEYS.map(({ action, key }) => (
            <div key={action} className="shortcut-row">
              <dt>
                <kbd>{key.toUpperCase()}</kbd>
              </dt>
              <dd>{t(`shortcuts.${action}`)}</dd>
            </div>
          ))}
          <div className="shortcut-row">
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>{t('shortcuts.escape')}</dd>
          </div>
        </dl>
        <p className="field-hint">{t('shortcuts.note')}</p>
        <div className="sheet-prefs">
          <LanguageSelect />
          <ThemeSelect />
        </div>
      </div>
    </div>
  );
}
