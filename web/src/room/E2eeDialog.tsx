/**
 * The Encryption dialog (opened from the lock): what the state means, the safety code in groups of
 * digits with how to compare it, and a way to the verified roster in People.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { E2eeView } from '../../../src/client/types.js';
import { DialogFrame } from '../components/Dialog.js';
import { t } from '../i18n/index.js';
import { rosterVerified, safetyCodeGroups, spokenSafetyCode } from './e2eeModel.js';
import { failureText } from './E2eeStatus.js';

/** The safety code: groups of digits to read aloud; screen readers get it digit by digit. */
export function SafetyCode({ view }: { view: E2eeView }) {
  useTranslation();
  const groups = safetyCodeGroups(view.safetyCode);
  if (groups.length === 0) return <p className="field-hint">{t('e2ee.dialog.noCode')}</p>;
  return (
    <>
      <p
        className="e2ee-code"
        data-testid="e2ee-safety-code"
        data-code={groups.join(' ')}
        data-epoch={view.epoch ?? ''}
      >
        <span className="e2ee-code-groups" aria-hidden="true">
          {groups.map((group, index) => (
            <span key={index} className="e2ee-code-group">
              {group}
            </span>
          ))}
        </span>
        <span className="visually-hidden">{spokenSafetyCode(groups)}</span>
      </p>
      <p>{t('e2ee.dialog.codeHow')}</p>
      <p>{t('e2ee.dialog.codeChanges')}</p>
    </>
  );
}

function statusText(view: E2eeView): string {
  switch (view.status) {
    case 'encrypted':
      return t('e2ee.dialog.encrypted', { count: view.members.length });
    case 'waiting':
      return t('e2ee.dialog.waiting');
    case 'warning':
      return t('e2ee.dialog.warning');
    case 'failed':
      return failureText(view);
    default:
      return '';
  }
}

export function E2eeDialog({
  view,
  onShowPeople,
  onClose,
}: {
  view: E2eeView;
  onShowPeople: () => void;
  onClose: () => void;
}) {
  useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <DialogFrame
      title={t('e2ee.dialog.title')}
      testId="e2ee-dialog"
      className="e2ee-dialog"
      initialFocus={() => closeRef.current}
      onCancel={onClose}
    >
      <div className="dialog-body">
        <p data-testid="e2ee-dialog-status" data-state={view.status}>
          {statusText(view)}
        </p>
        <h3 className="e2ee-code-label">{t('e2ee.dialog.codeLabel')}</h3>
        <SafetyCode view={view} />
      </div>
      <div className="dialog-actions">
        {rosterVerified(view) ? (
          <button
            type="button"
            className="text-button"
            data-testid="e2ee-show-people"
            onClick={() => {
              onClose();
              onShowPeople();
            }}
          >
            {t('e2ee.dialog.showPeople')}
          </button>
        ) : null}
        <button
          ref={closeRef}
          type="button"
          className="primary-button"
          data-testid="e2ee-dialog-close"
          onClick={onClose}
        >
          {t('common.close')}
        </button>
      </div>
    </DialogFrame>
  );
}
