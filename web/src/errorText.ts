/**
 * What to show for an error from the server or the client library: in English its own message (as
 * before); in another language the translation of its code (`errors.<code>`), else `fallback`, since
 * an untranslated server sentence would be English.
 */
import { errorCode } from '../../src/client/ClientError.js';
import { currentLanguage, i18n, t } from './i18n/index.js';

export function errorText(error: unknown, fallback: string): string {
  if (currentLanguage() === 'en') return error instanceof Error && error.message ? error.message : fallback;
  const code = errorCode(error);
  return code && i18n.exists(`errors.${code}`) ? t(`errors.${code}`) : fallback;
}
