/**
 * End-to-end encryption in the room, from `SessionState.e2ee`: the lock in the control bar, the
 * "cannot decrypt" overlay and the warning banner. Each renders nothing while the status is `off`.
 * The rules (labels, whom the warning names) are in e2eeModel.ts.
 */
import { useTranslation } from 'react-i18next';
import type { E2eeView } from '../../../src/client/types.js';
import { AlertIcon, LockIcon } from '../components/Icons.js';
import { formatList, t } from '../i18n/index.js';
import { failureKey, lockLabelKey, warningSubjects, type Announced } from './e2eeModel.js';

/** The lock: the state as an icon with its label and tooltip; a click opens the Encryption dialog. */
export function E2eeLock({ view, open, onOpen }: { view: E2eeView; open: boolean; onOpen: () => void }) {
  useTranslation();
  const status = view.status;
  if (status === 'off') return null;
  const label = t(lockLabelKey(status));
  const alarm = status === 'warning' || status === 'failed';
  return (
    <button
      type="button"
      className={`icon-button e2ee-lock e2ee-lock-${status}`}
      data-testid="e2ee-lock"
      data-state={status}
      aria-label={label}
      aria-haspopup="dialog"
      aria-expanded={open}
      title={t('e2ee.lockTitle', { state: label })}
      onClick={onOpen}
    >
      {alarm ? <AlertIcon /> : <LockIcon />}
      {status === 'waiting' ? <span className="e2ee-lock-pending" aria-hidden="true" /> : null}
    </button>
  );
}

/** The failure's message in the current language: a known code's own text, else a generic one. */
export function failureText(view: E2eeView): string {
  const code = view.failure?.code ?? '';
  return t(failureKey(code), { code });
}

/**
 * In place of the stage while the status is `failed`: the client sees and hears nothing, and is told
 * why. The control bar and the side panel stay (leave, People, chat).
 */
export function E2eeFailed({ view }: { view: E2eeView }) {
  useTranslation();
  if (view.status !== 'failed') return null;
  return (
    <div
      className="stage stage-empty e2ee-failed"
      role="alert"
      data-testid="e2ee-failed"
      data-code={view.failure?.code ?? ''}
    >
      <AlertIcon size={40} />
      <h2>{t('e2ee.failed.title')}</h2>
      <p className="e2ee-failed-reason">{failureText(view)}</p>
      <p>{t('e2ee.failed.body')}</p>
    </div>
  );
}

const nameOf = (subject: { id: string; name: string | null }): string =>
  subject.name ?? t('e2ee.warning.unknownName', { id: subject.id });

/**
 * The warning while the status is `warning`: the server's list and the group disagree. Names the
 * unannounced members and the missing people. It sits above the stage in the page's flow (room.css),
 * so it covers no tile or control.
 */
export function E2eeWarning({
  view,
  announced,
  onShowPeople,
}: {
  view: E2eeView;
  announced: readonly Announced[];
  onShowPeople: () => void;
}) {
  useTranslation();
  if (view.status !== 'warning') return null;
  const { unannounced, missing } = warningSubjects(view, announced);
  return (
    <div
      className="e2ee-warning"
      role="alert"
      data-testid="e2ee-warning"
      data-unannounced={unannounced.map((s) => s.id).join(' ')}
      data-missing={missing.map((s) => s.id).join(' ')}
    >
      <AlertIcon size={20} />
      <div className="e2ee-warning-text">
        <p>
          <strong>{t('e2ee.warning.title')}</strong> {t('e2ee.warning.body')}
        </p>
        {unannounced.length > 0 ? (
          <p dir="auto">{t('e2ee.warning.unannounced', { names: formatList(unannounced.map(nameOf)) })}</p>
        ) : null}
        {missing.length > 0 ? (
          <p dir="auto">{t('e2ee.warning.missing', { names: formatList(missing.map(nameOf)) })}</p>
        ) : null}
      </div>
      <button
        type="button"
        className="e2ee-warning-button"
        data-testid="e2ee-warning-details"
        onClick={onShowPeople}
      >
        {t('e2ee.warning.details')}
      </button>
    </div>
  );
}
