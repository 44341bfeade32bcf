/**
 * The reactions button of the control bar and its menu: a row of emoji and, in the same menu, raise
 * or lower your hand. Arrow keys move between items, Escape closes and gives focus back to the button.
 * Choosing a reaction keeps the menu open, so several can be sent in a row.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { REACTIONS, type Reaction } from '../../../src/protocol/messages.js';
import { HandIcon, SmileIcon } from '../components/Icons.js';
import { withShortcut } from '../components/RoundButton.js';
import { focusFirstItem, menuKeyDown } from '../menuKeys.js';
import { REACTION_GLYPHS } from './reactions.js';
import { ariaShortcut } from './shortcuts.js';

interface Props {
  open: boolean;
  handRaised: boolean;
  onToggle: () => void;
  onClose: () => void;
  onReact: (reaction: Reaction) => void;
  onToggleHand: () => void;
}

export function ReactionsButton({ open, handRaised, onToggle, onClose, onReact, onToggleHand }: Props) {
  const { t } = useTranslation();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const wrapperRef = useRef<HTMLSpanElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent): void => {
      if (event.target instanceof Node && !wrapperRef.current?.contains(event.target)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, onClose]);
  useEffect(() => {
    if (open) focusFirstItem(menuRef.current);
    else if (wasOpen.current && menuRef.current === null) {
      const active = document.activeElement;
      if (!active || active === document.body) buttonRef.current?.focus();
    }
    wasOpen.current = open;
  }, [open]);
  const label = t('reactions.button');
  const shortcut = ariaShortcut('reactions');
  return (
    <span className="split-button" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className={`round-button${open ? ' accent' : ''}`}
        data-testid="reactions-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-keyshortcuts={shortcut}
        title={withShortcut(label, shortcut)}
        onClick={onToggle}
      >
        <SmileIcon />
      </button>
      {open ? (
        <div
          ref={menuRef}
          className="menu reactions-menu"
          role="menu"
          aria-label={t('reactions.menu')}
          data-testid="reactions-menu"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              onClose();
              buttonRef.current?.focus();
              return;
            }
            menuKeyDown(event);
          }}
        >
          <div className="reactions-row" role="group" aria-label={t('reactions.menu')}>
            {REACTIONS.map((reaction) => (
              <button
                key={reaction}
                type="button"
                role="menuitem"
                className="reaction-item"
                data-testid={`reaction-${reaction}`}
                aria-label={t(`reactions.${reaction}`)}
                title={t(`reactions.${reaction}`)}
                onClick={() => onReact(reaction)}
              >
                <span aria-hidden="true">{REACTION_GLYPHS[reaction]}</span>
              </button>
            ))}
          </div>
          <button
            type="button"
            role="menuitem"
            className="menu-item reaction-hand"
            data-testid="reaction-hand"
            onClick={() => {
              onToggleHand();
              onClose();
              buttonRef.current?.focus();
            }}
          >
            <HandIcon size={18} />
            <span>{handRaised ? t('controls.lowerHand') : t('controls.raiseHand')}</span>
          </button>
        </div>
      ) : null}
    </span>
  );
}

/** Reactions floating over a tile (decorative: screen readers hear them from the live region). */
export function TileReactions({
  items,
}: {
  items: ReadonlyArray<{ key: number; reaction: Reaction }> | undefined;
}) {
  if (!items || items.length === 0) return null;
  return (
    <div className="tile-reactions" aria-hidden="true">
      {items.map((r) => (
        <span
          key={r.key}
          className="reaction-bubble"
          data-testid="reaction-bubble"
          data-reaction={r.reaction}
        >
          {REACTION_GLYPHS[r.reaction]}
        </span>
      ))}
    </div>
  );
}
