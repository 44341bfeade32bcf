/**
 * A host's actions on one participant (shown under their roster entry): mute or ask to unmute, lower
 * the hand, co-host (host only), panelist / attendee (webinar), remove (with "don't allow them to
 * rejoin"). What is offered follows the target's state; the server has the last word.
 */
import { useState } from 'react';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { ParticipantView, SessionState } from '../../../src/client/types.js';
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
      label: 'Mute',
      onClick: () => run(() => session.host.mute([target.id]), `Could not mute ${name}.`),
    });
  } else if (target.role !== 'attendee') {
    items.push({
      testId: 'action-ask-unmute',
      label: 'Ask to unmute',
      onClick: () => run(() => session.host.askUnmute(target.id), `Could not ask ${name} to unmute.`),
    });
  }
  if (target.handRaised) {
    items.push({
      testId: 'action-lower-hand',
      label: 'Lower hand',
      onClick: () => run(() => session.host.lowerHand([target.id]), `Could not lower ${name}'s hand.`),
    });
  }
  if (webinar && target.role === 'attendee') {
    items.push({
      testId: 'action-panelist',
      label: 'Make panelist',
      onClick: () =>
        run(() => session.host.setRole(target.id, 'panelist'), `Could not make ${name} a panelist.`),
    });
  }
  if (webinar && target.role === 'panelist') {
    items.push({
      testId: 'action-attendee',
      label: 'Make attendee',
      onClick: () =>
        run(() => session.host.setRole(target.id, 'attendee'), `Could not make ${name} an attendee.`),
    });
  }
  if (isHost) {
    const cohost = target.role === 'cohost';
    const back = webinar ? 'panelist' : 'participant';
    items.push({
      testId: 'action-cohost',
      label: cohost ? 'Remove co-host' : 'Make co-host',
      onClick: () =>
        run(
          () => session.host.setRole(target.id, cohost ? back : 'cohost'),
          cohost ? `Could not remove ${name} as co-host.` : `Could not make ${name} a co-host.`,
        ),
    });
  }
  items.push({
    testId: 'action-remove',
    label: 'Remove from meeting',
    danger: true,
    onClick: () => setRemoving(true),
  });

  return (
    <>
      <div className="menu participant-actions" role="menu" aria-label={`Actions for ${name}`}>
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
          title={`Remove ${name}?`}
          confirmLabel="Remove"
          confirmTestId="remove-confirm"
          danger
          onCancel={() => setRemoving(false)}
          onConfirm={() => {
            setRemoving(false);
            run(() => session.host.remove(target.id, { ban }), `Could not remove ${name}.`);
          }}
        >
          <p>They leave the meeting at once.</p>
          <label className="check-row">
            <input
              type="checkbox"
              data-testid="remove-ban"
              checked={ban}
              onChange={(event) => setBan(event.target.checked)}
            />
            <span>Don't allow them to rejoin</span>
          </label>
        </Dialog>
      ) : null}
    </>
  );
}
