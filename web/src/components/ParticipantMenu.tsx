/**
 * A host's actions on one participant (shown under their roster entry): mute or ask to unmute, lower
 * the hand, spotlight for everyone, co-host (host only), panelist / attendee (webinar), remove (with "don't allow them to
 * rejoin"). What is offered follows the target's state; the server has the last word.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { ParticipantView, SessionState } from '../../../src/client/types.js';
import { focusFirstItem, menuKeyDown } from '../menuKeys.js';
import { Dialog } from './Dialog.js';

export type Act = (action: () => Promise<void>, failure: string) => void;

interface Props {
  target: ParticipantView;
  state: SessionState;
  session: MeetingSession;
  act: Act;
  onClose: () => void;
}

/** Whether the local participant may act on `target` at all. */
export function canManage(state: SessionState, target: ParticipantView): boolean {
  if (!state.isModerator || target.isLocal) return false;
  if (target.role === 'host') return false;
  return !(target.role === 'cohost' && state.role !== 'host');
}

export function ParticipantMenu({ target, state, session, act, onClose }: Props) {
  const { t } = useTranslation();
  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    focusFirstItem(menuRef.current);
    return () => {
      // Focus was inside the menu, which is gone: give it back to the button that opened it.
      if (opener?.isConnected && (!document.activeElement || document.activeElement === document.body))
        opener.focus();
    };
  }, []);
  const [removing, setRemoving] = useState(false);
  const [ban, setBan] = useState(false);
  const webinar = state.meeting?.webinar === true;
  const isHost = state.role === 'host';
  const name = target.displayName;
  const run = (action: () => Promise<void>, failure: string): void => {
    act(action, failure);
    onClose();
  };
  const items: Array<{ testId: string; label: string; onClick: () => void; danger?: boolean }> = [];
  if (!target.audioMuted) {
    items.push({
      testId: 'action-mute',
      label: t('actions.mute'),
      onClick: () => run(() => session.host.mute([target.id]), t('actions.muteFailed', { name })),
    });
  } else if (target.role !== 'attendee') {
    items.push({
      testId: 'action-ask-unmute',
      label: t('actions.askUnmute'),
      onClick: () => run(() => session.host.askUnmute(target.id), t('actions.askUnmuteFailed', { name })),
    });
  }
  if (target.handRaised) {
    items.push({
      testId: 'action-lower-hand',
      label: t('actions.lowerHand'),
      onClick: () => run(() => session.host.lowerHand([target.id]), t('actions.lowerHandFailed', { name })),
    });
  }
  if (target.role !== 'attendee') {
    const spotlit = state.meeting?.spotlight === target.id;
    items.push({
      testId: 'action-spotlight',
      label: spotlit ? t('spotlight.remove') : t('spotlight.set'),
      onClick: () =>
        run(
          () => session.host.spotlight(spotlit ? null : target.id),
          spotlit ? t('spotlight.removeFailed') : t('spotlight.setFailed', { name }),
        ),
    });
  }
  if (webinar && target.role === 'attendee') {
    items.push({
      testId: 'action-panelist',
      label: t('actions.makePanelist'),
      onClick: () =>
        run(() => session.host.setRole(target.id, 'panelist'), t('actions.makePanelistFailed', { name })),
    });
  }
  if (webinar && target.role === 'panelist') {
    items.push({
      testId: 'action-attendee',
      label: t('actions.makeAttendee'),
      onClick: () =>
        run(() => session.host.setRole(target.id, 'attendee'), t('actions.makeAttendeeFailed', { name })),
    });
  }
  if (isHost) {
    const cohost = target.role === 'cohost';
    const back = webinar ? 'panelist' : 'participant';
    items.push({
      testId: 'action-cohost',
      label: cohost ? t('actions.removeCohost') : t('actions.makeCohost'),
      onClick: () =>
        run(
          () => session.host.setRole(target.id, cohost ? back : 'cohost'),
          cohost ? t('actions.removeCohostFailed', { name }) : t('actions.makeCohostFailed', { name }),
        ),
    });
  }
  items.push({
    testId: 'action-remove',
    label: t('actions.remove'),
    danger: true,
    onClick: () => setRemoving(true),
  });

  return (
    <>
      <div
        ref={menuRef}
        className="menu participant-actions"
        role="menu"
        aria-label={t('actions.menu', { name })}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
            return;
          }
          menuKeyDown(event);
        }}
      >
        {items.map((item) => (
          <button
            key={item.testId}
            type="button"
            role="menuitem"
            className={`menu-item${item.danger ? ' danger-text' : ''}`}
            data-testid={item.testId}
            onClick={item.onClick}
          >
            {item.label}
          </button>
        ))}
      </div>
      {removing ? (
        <Dialog
          title={t('actions.removeTitle', { name })}
          confirmLabel={t('actions.removeConfirm')}
          confirmTestId="remove-confirm"
          danger
          onCancel={() => setRemoving(false)}
          onConfirm={() => {
            setRemoving(false);
            run(() => session.host.remove(target.id, { ban }), t('actions.removeFailed', { name }));
          }}
        >
          <p>{t('actions.removeBody')}</p>
          <label className="check-row">
            <input
              type="checkbox"
              data-testid="remove-ban"
              checked={ban}
              onChange={(event) => setBan(event.target.checked)}
            />
            <span>{t('actions.removeBan')}</span>
          </label>
        </Dialog>
      ) : null}
    </>
  );
}
