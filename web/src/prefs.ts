/**
 * Preferences remembered in localStorage: display name, chosen devices, and the host keys of meetings
 * this browser created without an account (joining with one makes you the host).
 */

const KEYS = {
  name: 'convene.displayName',
  mic: 'convene.micDeviceId',
  camera: 'convene.cameraDeviceId',
  hostKeyPrefix: 'convene.hostKey.',
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
  hostKey: (meetingId: string): string | null => read(KEYS.hostKeyPrefix + meetingId),
  setHostKey: (meetingId: string, key: string): void => write(KEYS.hostKeyPrefix + meetingId, key),
};
