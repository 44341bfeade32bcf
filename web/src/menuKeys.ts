/**
 * Arrow keys, Home and End move between the items of an open menu (role="menu"); left and right work
 * like up and down, for menus laid out in a row.
 */
import type { KeyboardEvent } from 'react';

export function menuKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const items = Array.from(
    event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])'),
  );
  if (items.length === 0) return;
  const index = items.indexOf(document.activeElement as HTMLElement);
  let next: number;
  switch (event.key) {
    case 'ArrowDown':
    case 'ArrowRight':
      next = index < 0 ? 0 : (index + 1) % items.length;
      break;
    case 'ArrowUp':
    case 'ArrowLeft':
      next = index <= 0 ? items.length - 1 : index - 1;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = items.length - 1;
      break;
    default:
      return;
  }
  event.preventDefault();
  items[next]?.focus();
}

/** Focuses the first item of a menu that just opened. */
export function focusFirstItem(menu: HTMLElement | null): void {
  menu?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
}
