/**
 * What a host is offered on leaving while others are in the meeting: hand the host role to someone
 * who stays (chosen in a list), or end the meeting for everyone (a host alone just leaves, and the
 * meeting stays open). First focus goes to the choice of the new host, never to the destructive button;
 * Escape or a click outside cancels, Tab stays inside, and focus returns where it was on close.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParticipantView } from '../../../src/client/types.js';
import { DialogFrame } from '../components/Dialog.js';

interface Props {
  /** Everyone else in the meeting who could take the host role. */
  others: readonly ParticipantView[];
  busy: boolean;
  onHandOver: (participant: ParticipantView) => void;
  onEnd: () => void;
  onCancel: () => void;
}

export function HostLeaveDialog({ others, busy, onHandOver, onEnd, onCancel }: Props) {
  const { t } = useTranslation();
  const firstRef = useRef<HTMLSelectElement>(null);
  const selectId = useId();
  // Co-hosts first: they already know the controls.
  const candidates = [...others].sort((a, b) => Number(b.role === 'cohost') - Number(a.role === 'cohost'));
  const [chosen, setChosen] = useState(candidates[0]?.id ?? '');
  const target = candidates.find((p) => p.id === chosen) ?? candidates[0];
  return (
    <DialogFrame
      title={t('hostLeave.title')}
      testId="host-leave-dialog"
      className="host-leave"
      initialFocus={() => firstRef.current}
      onCancel={onCancel}
    >
      <div className="dialog-body">
        <p>{t('hostLeave.body')}</p>
        <div className="field">
          <label htmlFor={selectId}>{t('hostLeave.newHost')}</label>
          <select
            ref={firstRef}
            id={selectId}
            data-testid="host-leave-new-host"
            value={target?.id ?? ''}
            onChange={(event) => setChosen(event.target.value)}
          >
            {candidates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="dialog-actions host-leave-actions">
        <button type="button" className="text-button" data-testid="host-leave-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="danger-button"
          data-testid="host-leave-end"
          disabled={busy}
          onClick={onEnd}
        >
          {t('hostLeave.endForEveryone')}
        </button>
        <button
          type="button"
          className="primary-button"
          data-testid="host-leave-hand-over"
          disabled={busy || !target}
          onClick={() => target && onHandOver(target)}
        >
          {t('hostLeave.handOver')}
        </button>
      </div>
    </DialogFrame>
  );
}
