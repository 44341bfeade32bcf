/** A centered full-screen message: joining, an error, or a notice, with optional actions. */
import type { ReactNode } from 'react';
import { TopBar } from './TopBar.js';

interface Action {
  label: string;
  onClick: () => void;
  primary?: boolean;
  testId?: string;
}

interface Props {
  state: 'joining' | 'lobby' | 'left' | 'ended' | 'error';
  title: string;
  message?: string;
  code?: string | undefined;
  spinner?: boolean;
  actions?: Action[];
  /** Extra content under the message (e.g. a form). */
  children?: ReactNode;
  /** Test hooks on the title (e.g. `data-testid`, `data-reason`). */
  titleData?: Record<`data-${string}`, string>;
}

export function StatusScreen(props: Props) {
  const { state, title, message, code, spinner, actions = [], children, titleData } = props;
  return (
    <div className="status-page">
      <TopBar />
      <main className="status-main" data-testid="meeting-status" data-state={state}>
        {spinner ? <span className="spinner large" aria-hidden="true" /> : null}
        <h1 {...titleData}>{title}</h1>
        {message ? (
          <p
            className="status-message"
            data-testid={state === 'error' ? 'error-message' : undefined}
            data-code={code}
          >
            {message}
          </p>
        ) : null}
        {children}
        {actions.length > 0 ? (
          <div className="status-actions">
            {actions.map((action) => (
              <button
                key={action.label}
                type="button"
                className={action.primary ? 'primary-button' : 'secondary-button'}
                data-testid={action.testId}
                onClick={action.onClick}
              >
                {action.label}
              </button>
            ))}
          </div>
        ) : null}
      </main>
    </div>
  );
}
