/**
 * Preferences remembered in localStorage: display name, chosen devices and background blur. Nothing
 * secret: host keys live in HttpOnly cookies (docs/security.md), and keys left by older versions are
 * removed.
 */
import { formatBlurPreference, parseBlurPreference } from '../../src/client/blurAssets.js';

const KEYS = {
  name: 'convene.displayName',
  mic: 'convene.micDeviceId',
  camera: 'convene.cameraDeviceId',
  blur: 'convene.backgroundBlur',
  legacyHostKeyPrefix: 'convene.hostKey.',
} as const;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null || value === '') window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Private mode or storage disabled: nothing to remember.
  }
}

export const prefs = {
  displayName: (): string => read(KEYS.name) ?? '',
  setDisplayName: (name: string): void => write(KEYS.name, name.trim()),
  micDeviceId: (): string | null => read(KEYS.mic),
  setMicDeviceId: (id: string | null): void => write(KEYS.mic, id),
  cameraDeviceId: (): string | null => read(KEYS.camera),
  setCameraDeviceId: (id: string | null): void => write(KEYS.camera, id),
  backgroundBlur: (): boolean => parseBlurPreference(read(KEYS.blur)),
  setBackgroundBlur: (on: boolean): void => write(KEYS.blur, formatBlurPreference(on)),
};

/** Removes host keys that versions before the HttpOnly host-key cookie kept in localStorage. */
export function forgetLegacyHostKeys(): void {
  try {
    const stale: string[] = [];
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (key?.startsWith(KEYS.legacyHostKeyPrefix)) stale.push(key);
    }
    for (const key of stale) window.localStorage.removeItem(key);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
