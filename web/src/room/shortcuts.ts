/**
 * Single-key shortcuts in the room, as Meet and Jitsi have them: m microphone, v camera, h hand,
 * e reactions menu, c chat, p people, ? this list. Ignored with modifier keys and while typing in a text field.
 * Ctrl/Cmd+D and Ctrl/Cmd+E (microphone, camera) keep working everywhere.
 */
export type ShortcutAction = 'mic' | 'camera' | 'hand' | 'reactions' | 'chat' | 'people' | 'help';

export const SHORTCUT_KEYS: ReadonlyArray<{ action: ShortcutAction; key: string }> = [
  { action: 'mic', key: 'm' },
  { action: 'camera', key: 'v' },
  { action: 'hand', key: 'h' },
  { action: 'reactions', key: 'e' },
  { action: 'chat', key: 'c' },
  { action: 'people', key: 'p' },
  { action: 'help', key: '?' },
];

/** The `aria-keyshortcuts` value of an action ("M", "Shift+?"). */
export function ariaShortcut(action: ShortcutAction): string {
  const key = SHORTCUT_KEYS.find((s) => s.action === action)?.key ?? '';
  return key === '?' ? 'Shift+?' : key.toUpperCase();
}

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
  target: EventTarget | null;
}

/** Whether keys typed at `target` are text (inputs, text areas, selects, editable content). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  if (target.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.isComposing) return null;
  if (event.ctrlKey || event.metaKey) {
    if (event.altKey || event.shiftKey) return null;
    const key = event.key.toLowerCase();
    return key === 'd' ? 'mic' : key === 'e' ? 'camera' : null;
  }
  if (event.altKey || isTypingTarget(event.target)) return null;
  if (event.key === '?') return 'help';
  if (event.shiftKey) return null;
  return SHORTCUT_KEYS.find((s) => s.key === event.key.toLowerCase())?.action ?? null;
}
