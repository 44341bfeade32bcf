/**
 * A small modal dialog (confirmations): Escape or a click outside cancels; Tab stays inside, and focus
 * goes back where it was on close. A destructive confirmation (`danger`) never has the first focus.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { trapFocus } from '../focusTrap.js';

interface Props {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  confirmTestId: string;
  cancelTestId?: string;
  danger?: boolean;
  busy?: boolean;
  testId?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function Dialog(props: Props) {
  const { t } = useTranslation();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { onCancel, danger } = props;
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    return trapFocus(dialog, danger ? cancelRef.current : confirmRef.current);
  }, [danger]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      onCancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onCancel();
      }}
    >
      <div
        ref={dialogRef}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children ? <div className="dialog-body">{props.children}</div> : null}
        <div className="dialog-actions">
          <button
            ref={cancelRef}
            type="button"
            className="text-button"
            data-testid={props.cancelTestId}
            onClick={onCancel}
          >
            {t('common.cancel')}
          </button>
          <button
            ref={confirmRef}
            type="button"
            className={props.danger ? 'danger-button' : 'primary-button'}
            data-testid={props.confirmTestId}
            disabled={props.busy}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
