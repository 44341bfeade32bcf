/**
 * Languages: i18next with the three bundled catalogs (English, Simplified and Traditional Chinese).
 * The language comes from `?lang=`, else the remembered choice (localStorage `convene.lang`), else the
 * browser's navigator.languages. Dates and numbers go through Intl with the same locale.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { zhHans } from './zh-Hans.js';
import { zhHant } from './zh-Hant.js';
import { roomEn } from './room/en.js';
import { roomZhHans } from './room/zh-Hans.js';
import { roomZhHant } from './room/zh-Hant.js';
import { consoleEn } from './operator/en.js';
import { consoleZhHans } from './operator/zh-Hans.js';
import { consoleZhHant } from './operator/zh-Hant.js';
import { e2eeEn } from './e2ee/en.js';
import { e2eeZhHans } from './e2ee/zh-Hans.js';
import { e2eeZhHant } from './e2ee/zh-Hant.js';

export const LANGUAGES = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, for the language menu. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
};

const STORAGE_KEY = 'convene.lang';

/** Maps a BCP 47 tag to a supported language, or null. zh-TW/HK/MO (and zh-Hant-*) are Traditional. */
export function matchLanguage(tag: string): Language | null {
  const lower = tag.trim().toLowerCase();
  if (!lower) return null;
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) {
    if (/^zh-(hant|tw|hk|mo)(-|$)/.test(lower)) return 'zh-Hant';
    return 'zh-Hans';
  }
  return null;
}

/** The first supported language among the browser's preferences (English when none matches). */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return 'en';
}

function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value ? matchLanguage(value) : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  if (typeof window === 'undefined') return 'en';
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  const url = fromUrl ? matchLanguage(fromUrl) : null;
  if (url) return url;
  return storedLanguage() ?? pickLanguage(navigator.languages ?? [navigator.language]);
}

function applyToDocument(lang: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: { ...en, ...roomEn, ...consoleEn, ...e2eeEn } },
    'zh-Hans': { translation: { ...zhHans, ...roomZhHans, ...consoleZhHans, ...e2eeZhHans } },
    'zh-Hant': { translation: { ...zhHant, ...roomZhHant, ...consoleZhHant, ...e2eeZhHant } },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
applyToDocument(currentLanguage());
i18n.on('languageChanged', (lng) => applyToDocument(matchLanguage(lng) ?? 'en'));

export function currentLanguage(): Language {
  return matchLanguage(i18n.language ?? 'en') ?? 'en';
}

/** Switches the language and remembers the choice. */
export function setLanguage(lang: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
  void i18n.changeLanguage(lang);
}

/** `t` outside React components (plain modules, event handlers). */
export const t = i18n.t.bind(i18n);

const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  const full = `${currentLanguage()}|${key}`;
  let format = formats.get(full);
  if (!format) {
    format = make();
    formats.set(full, format);
  }
  return format as T;
}

/** A time of day ("3:05 PM", "下午3:05"). */
export function formatTime(at: number | Date): string {
  return cached(
    'time',
    () => new Intl.DateTimeFormat(currentLanguage(), { hour: 'numeric', minute: '2-digit' }),
  ).format(at);
}

/** A short day ("Tue, Dec 1", "12月1日周二"). */
export function formatDay(at: number | Date): string {
  return cached(
    'day',
    () => new Intl.DateTimeFormat(currentLanguage(), { weekday: 'short', month: 'short', day: 'numeric' }),
  ).format(at);
}

export function formatNumber(n: number): string {
  return cached('number', () => new Intl.NumberFormat(currentLanguage())).format(n);
}

/** A country's name in the current language (falls back to the code). */
export function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([currentLanguage()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A fraction as a percentage ("2.5%", "2.5%"). */
export function formatPercent(fraction: number): string {
  return cached(
    'percent',
    () => new Intl.NumberFormat(currentLanguage(), { style: 'percent', maximumFractionDigits: 1 }),
  ).format(fraction);
}

/** A list of names in the current language ("Ada, Bob and Cy", "Ada、Bob和Cy"). */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(currentLanguage(), { style: 'long', type: 'conjunction' }).format(items);
}
