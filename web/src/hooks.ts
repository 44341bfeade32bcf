/** React bindings for the client library's state objects (render only; no media logic here). */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import type { LocalMedia, LocalMediaState } from '../../src/client/LocalMedia.js';
import type { MeetingSession } from '../../src/client/MeetingSession.js';
import type { SessionState } from '../../src/client/types.js';

export function useSessionState(session: MeetingSession): SessionState {
  const subscribe = useCallback((onChange: () => void) => session.on('change', onChange), [session]);
  return useSyncExternalStore(subscribe, () => session.state);
}

export function useLocalMediaState(media: LocalMedia): LocalMediaState {
  const subscribe = useCallback((onChange: () => void) => media.on('change', onChange), [media]);
  return useSyncExternalStore(subscribe, () => media.state);
}

/** Re-renders every `ms` while `active` (clocks, level meters). */
export function useTicker(ms: number, active = true): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
  return tick;
}

/** The size of an element, kept up to date with a ResizeObserver. */
export function useElementSize<T extends HTMLElement>(): [
  RefObject<T | null>,
  { width: number; height: number },
] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}
