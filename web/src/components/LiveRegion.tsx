/** The room's polite live region: screen readers hear joins, leaves, raised hands and chat. */
import { useEffect, useSyncExternalStore } from 'react';
import { announcements, clearAnnouncements, onAnnouncements } from '../room/announcer.js';

export function LiveRegion() {
  const messages = useSyncExternalStore(onAnnouncements, announcements);
  useEffect(() => clearAnnouncements, []);
  return (
    <div className="visually-hidden" role="log" aria-live="polite" data-testid="live-region">
      {messages.map((m) => (
        <p key={m.id}>{m.text}</p>
      ))}
    </div>
  );
}
