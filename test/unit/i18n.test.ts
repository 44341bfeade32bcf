/** The three catalogs have the same keys and, per key, the same interpolation variables and tags. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../web/src/i18n/en.js';
import { matchLanguage, pickLanguage } from '../../web/src/i18n/index.js';
import { zhHans } from '../../web/src/i18n/zh-Hans.js';
import { zhHant } from '../../web/src/i18n/zh-Hant.js';
import { roomEn } from '../../web/src/i18n/room/en.js';
import { roomZhHans } from '../../web/src/i18n/room/zh-Hans.js';
import { roomZhHant } from '../../web/src/i18n/room/zh-Hant.js';
import { consoleEn } from '../../web/src/i18n/operator/en.js';
import { consoleZhHans } from '../../web/src/i18n/operator/zh-Hans.js';
import { consoleZhHant } from '../../web/src/i18n/operator/zh-Hant.js';
import { e2eeEn } from '../../web/src/i18n/e2ee/en.js';
import { e2eeZhHans } from '../../web/src/i18n/e2ee/zh-Hans.js';
import { e2eeZhHant } from '../../web/src/i18n/e2ee/zh-Hant.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** `{{name}}` variables and `<0>` component tags, sorted. */
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|<(\d+)>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();

/**
 * Each language as i18n/index.ts loads it: the main catalog, the room catalog, the operator
 * console's catalog and the encryption catalog in one namespace.
 */
const merged = (...parts: Tree[]): Map<string, string> => new Map(parts.flatMap((p) => [...flatten(p)]));
const english = merged(en, roomEn, consoleEn, e2eeEn);
const catalogs = {
  'zh-Hans': merged(zhHans, roomZhHans, consoleZhHans, e2eeZhHans),
  'zh-Hant': merged(zhHant, roomZhHant, consoleZhHant, e2eeZhHant),
};

test('the room, console and encryption catalogs add sections without replacing any of the main catalog', () => {
  const sections = [...Object.keys(roomEn), ...Object.keys(consoleEn), ...Object.keys(e2eeEn)];
  for (const section of sections) assert.ok(!(section in en), `${section} is in the main catalog too`);
  assert.equal(new Set(sections).size, sections.length, 'no section in both added catalogs');
});

for (const [lang, catalog] of Object.entries(catalogs)) {
  test(`${lang} has every English key and no other`, () => {
    assert.deepEqual([...catalog.keys()].sort(), [...english.keys()].sort());
  });

  test(`${lang} uses the same variables as English in every string`, () => {
    for (const [key, text] of english) {
      assert.deepEqual(placeholders(catalog.get(key) ?? ''), placeholders(text), `${lang} ${key}`);
    }
  });

  test(`${lang} strings are translated (no English words left)`, () => {
    for (const [key, text] of catalog) {
      assert.ok(text.trim().length > 0, `${lang} ${key} is empty`);
      const rest = text
        .replace(/\{\{\s*\w+\s*\}\}|<\/?\d+>/g, '')
        .replace(/Convene|ISO 3166-1|ISO|#pwd=|\bID\b|\b(DE|FR|US|CN)\b/g, '');
      assert.doesNotMatch(rest, /[A-Za-z]{2,}/, `${lang} ${key} still has English: ${text}`);
    }
  });
}

test('browser languages map to the right catalog', () => {
  assert.equal(pickLanguage(['zh-CN']), 'zh-Hans');
  assert.equal(pickLanguage(['zh-SG', 'en']), 'zh-Hans');
  assert.equal(pickLanguage(['zh']), 'zh-Hans');
  assert.equal(pickLanguage(['zh-TW']), 'zh-Hant');
  assert.equal(pickLanguage(['zh-HK']), 'zh-Hant');
  assert.equal(pickLanguage(['zh-MO']), 'zh-Hant');
  assert.equal(pickLanguage(['zh-Hant-HK']), 'zh-Hant');
  assert.equal(pickLanguage(['zh-Hans-HK']), 'zh-Hans');
  assert.equal(pickLanguage(['fr-FR', 'zh-TW']), 'zh-Hant');
  assert.equal(pickLanguage(['fr-FR', 'de']), 'en');
  assert.equal(pickLanguage(['en-GB', 'zh-CN']), 'en');
  assert.equal(matchLanguage('ja'), null);
});
