/**
 * Browsers may refuse to play remote audio until the page gets a click (autoplay policy), e.g. after
 * `?autojoin=1`. Audio elements report a refused play() here; a banner offers to enable sound.
 */
import { useSyncExternalStore } from 'react';

let blocked = false;
const listeners = new Set<() => void>();

function set(value: boolean): void {
  if (blocked === value) return;
  blocked = value;
  for (const listener of listeners) listener();
}

export function reportAudioBlocked(): void {
  set(true);
}

/** Plays every remote audio element again (call from a click handler). */
export function unlockAudio(): void {
  const elements = document.querySelectorAll<HTMLAudioElement>('audio[data-testid="remote-audio"]');
  const attempts = [...elements].map((element) => element.play());
  Promise.all(attempts).then(
    () => set(false),
    () => set(true),
  );
  if (attempts.length === 0) set(false);
}

export function useAudioBlocked(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => blocked,
  );
}
