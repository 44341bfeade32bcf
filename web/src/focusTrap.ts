/** Keeps Tab inside a dialog and gives focus back to where it was when the dialog closes. */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function trapFocus(container: HTMLElement, initial: HTMLElement | null): () => void {
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  (initial ?? container.querySelector<HTMLElement>(FOCUSABLE) ?? container).focus();
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const items = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !container.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !container.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };
  document.addEventListener('keydown', onKey, true);
  return () => {
    document.removeEventListener('keydown', onKey, true);
    if (previous?.isConnected) previous.focus();
  };
}
