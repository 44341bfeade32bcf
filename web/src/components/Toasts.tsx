/** Short notices in the corner: someone joined or left, a message arrived, the link was copied. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  text: ReactNode;
  icon?: ReactNode;
  tone?: 'info' | 'error';
}

/** The toasts, `push` (returns the toast's id) and `dismiss` (removes one early). */
export function useToasts(): [
  Toast[],
  (toast: Omit<Toast, 'id'>, ms?: number) => number,
  (id: number) => void,
] {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);
  const push = useCallback((toast: Omit<Toast, 'id'>, ms = 4000) => {
    const id = nextId.current++;
    setToasts((list) => [...list.slice(-3), { ...toast, id }]);
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setToasts((list) => list.filter((t) => t.id !== id));
    }, ms);
    timers.current.add(timer);
    return id;
  }, []);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  return [toasts, push, dismiss];
}

export function Toasts({ toasts }: { toasts: Toast[] }) {
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast${toast.tone === 'error' ? ' error' : ''}`} data-testid="toast">
          {toast.icon ? <span className="toast-icon">{toast.icon}</span> : null}
          <span className="toast-text">{toast.text}</span>
        </div>
      ))}
    </div>
  );
}
