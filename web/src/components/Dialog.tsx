/**
 * A small modal dialog (confirmations): Escape or a click outside cancels; Tab stays inside, and focus
 * goes back where it was on close. A destructive confirmation (`danger`) never has the first focus.
 * `DialogFrame` is the modal behaviour alone, for dialogs with their own actions.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { trapFocus } from '../focusTrap.js';

interface FrameProps {
  title: string;
  testId?: string | undefined;
  className?: string;
  /** What gets the first focus (read once, when the dialog opens). */
  initialFocus: () => HTMLElement | null;
  onCancel: () => void;
  children: ReactNode;
}

export function DialogFrame({ title, testId, className, initialFocus, onCancel, children }: FrameProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const firstFocus = useRef(initialFocus);
  const titleId = useId();
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    return trapFocus(dialog, firstFocus.current());
  }, []);
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
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

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
  const { danger } = props;
  return (
    <DialogFrame
      title={props.title}
      testId={props.testId}
      initialFocus={() => (danger ? cancelRef.current : confirmRef.current)}
      onCancel={props.onCancel}
    >
      {props.children ? <div className="dialog-body">{props.children}</div> : null}
      <div className="dialog-actions">
        <button
          ref={cancelRef}
          type="button"
          className="text-button"
          data-testid={props.cancelTestId}
          onClick={props.onCancel}
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
    </DialogFrame>
  );
}
