/** A small modal dialog (confirmations): Escape or a click outside cancels. */
import { useEffect, useRef, type ReactNode } from 'react';

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
  const confirmRef = useRef<HTMLButtonElement>(null);
  const { onCancel } = props;
  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onCancel();
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
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        data-testid={props.testId}
      >
        <h2>{props.title}</h2>
        {props.children ? <div className="dialog-body">{props.children}</div> : null}
        <div className="dialog-actions">
          <button type="button" className="text-button" data-testid={props.cancelTestId} onClick={onCancel}>
            Cancel
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
