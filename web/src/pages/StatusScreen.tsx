/** A centered full-screen message: joining, an error, or a notice, with optional actions. */
import { TopBar } from './TopBar.js';

interface Action {
  label: string;
  onClick: () => void;
  primary?: boolean;
  testId?: string;
}

interface Props {
  state: 'joining' | 'left' | 'error';
  title: string;
  message?: string;
  code?: string | undefined;
  spinner?: boolean;
  actions?: Action[];
}

export function StatusScreen({ state, title, message, code, spinner, actions = [] }: Props) {
  return (
    <div className="status-page">
      <TopBar />
      <main className="status-main" data-testid="meeting-status" data-state={state}>
        {spinner ? <span className="spinner large" aria-hidden="true" /> : null}
        <h1>{title}</h1>
        {message ? (
          <p
            className="status-message"
            data-testid={state === 'error' ? 'error-message' : undefined}
            data-code={code}
          >
            {message}
          </p>
        ) : null}
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
