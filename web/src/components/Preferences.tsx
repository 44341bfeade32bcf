/** The language menu and the theme menu (native <select>s: keyboard and screen readers for free). */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage, type Language } from '../i18n/index.js';
import { onThemeChange, setThemeChoice, THEME_CHOICES, themeChoice, type ThemeChoice } from '../theme.js';

export function LanguageSelect({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <label className={`pref-select${className ? ` ${className}` : ''}`}>
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        data-testid="language-select"
        value={currentLanguage()}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {LANGUAGE_NAMES[lang]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ThemeSelect({ className }: { className?: string }) {
  const { t } = useTranslation();
  const choice = useSyncExternalStore(onThemeChange, themeChoice);
  return (
    <label className={`pref-select${className ? ` ${className}` : ''}`}>
      <span className="visually-hidden">{t('theme.label')}</span>
      <select
        data-testid="theme-select"
        value={choice}
        onChange={(event) => setThemeChoice(event.target.value as ThemeChoice)}
      >
        {THEME_CHOICES.map((value) => (
          <option key={value} value={value}>
            {t(`theme.${value}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
