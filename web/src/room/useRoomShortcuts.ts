/**
 * The room's keyboard: single-key shortcuts (shortcuts.ts), and Escape closing the open menu or panel.
 * Nothing happens while a dialog (help sheet, confirmation) is open: it has its own keys.
 */
import { useEffect } from 'react';
import { shortcutFor, type ShortcutAction } from './shortcuts.js';

interface Options {
  /** A dialog is open: leave the keys to it. */
  blocked: boolean;
  canPublish: boolean;
  /** Closes the innermost open menu or panel; false when none was open. */
  closeOne: () => boolean;
  run: (action: ShortcutAction) => void;
}

export function useRoomShortcuts({ blocked, canPublish, closeOne, run }: Options): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || blocked) return;
      if (event.key === 'Escape') {
        closeOne();
        return;
      }
      const action = shortcutFor(event);
      if (!action) return;
      if ((action === 'mic' || action === 'camera') && !canPublish) return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [blocked, canPublish, closeOne, run]);
}
