/**
 * Short notices above the control bar (never over the tiles' name labels): someone joined or left, a
 * message arrived, the link was copied. A toast of a `group` replaces the previous one of that group
 * (bursts of chat become one toast); toasts pointing to a panel are hidden while that panel is open.
 * Screen readers hear them through the room's live region, not through this list.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  text: ReactNode;
  icon?: ReactNode;
  tone?: 'info' | 'error';
  /** A toast of the same group replaces this one. */
  group?: string;
  /** The panel this toast is about: it disappears while that panel is open. */
  panel?: 'chat' | 'participants';
}

export type PushToast = (toast: Omit<Toast, 'id'>, ms?: number) => number;

/** The toasts, `push` (returns the toast's id), `dismiss` (removes one early) and `dismissPanel`. */
export function useToasts(): [Toast[], PushToast, (id: number) => void, (panel: Toast['panel']) => void] {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, []);
  const dismiss = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);
  const push = useCallback<PushToast>(
    (toast, ms = 4000) => {
      const id = nextId.current++;
      setToasts((list) => {
        const kept = toast.group ? list.filter((t) => t.group !== toast.group) : list;
        for (const old of list) if (!kept.includes(old)) clearTimeout(timers.current.get(old.id));
        return [...kept.slice(-3), { ...toast, id }];
      });
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), ms),
      );
      return id;
    },
    [dismiss],
  );
  const dismissPanel = useCallback(
    (panel: Toast['panel']) => setToasts((list) => list.filter((t) => !panel || t.panel !== panel)),
    [],
  );
  return [toasts, push, dismiss, dismissPanel];
}

export function Toasts({
  toasts,
  openPanel,
  live = false,
}: {
  toasts: Toast[];
  openPanel?: Toast['panel'] | null;
  /** Be a polite live region (pages without their own announcer). */
  live?: boolean;
}) {
  const shown = toasts.filter((t) => !openPanel || t.panel !== openPanel);
  return (
    <div className="toasts" {...(live ? { role: 'status', 'aria-live': 'polite' } : {})}>
      {shown.map((toast) => (
        <div
          key={toast.id}
          className={`toast${toast.tone === 'error' ? ' error' : ''}`}
          data-testid="toast"
          data-group={toast.group}
        >
          {toast.icon ? <span className="toast-icon">{toast.icon}</span> : null}
          <span className="toast-text">{toast.text}</span>
        </div>
      ))}
    </div>
  );
}
