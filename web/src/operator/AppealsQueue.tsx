/** `/operator/appeals`: cases with an undecided appeal; a reviewer upholds or reverses the decision. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, operatorApi, type Case, type Operator } from '../cases.js';
import { linkProps } from '../router.js';
import { describeError, ErrorNote, Jurisdiction, outcomeLabel, useLoaded } from './common.js';

export function AppealsQueue({ operator }: { operator: Operator }) {
  const { t } = useTranslation();
  const { data: cases, error, reload } = useLoaded(() => operatorApi.appeals(), []);
  return (
    <section aria-labelledby="appeals-title">
      <h1 id="appeals-title">{t('console.appeals.title')}</h1>
      <ErrorNote error={error} />
      {cases === null && !error ? (
        <span className="spinner" role="img" aria-label={t('console.loading')} />
      ) : null}
      {cases?.length === 0 ? <p className="empty-state">{t('console.appeals.none')}</p> : null}
      {cases?.map((c) => (
        <AppealItem key={c.id} theCase={c} canDecide={operator.role !== 'intake'} onDone={reload} />
      ))}
    </section>
  );
}

function AppealItem({
  theCase,
  canDecide,
  onDone,
}: {
  theCase: Case;
  canDecide: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const appeal =
    theCase.appeals.find((a) => a.outcome === null) ?? theCase.appeals[theCase.appeals.length - 1];
  const decide = (outcome: 'upheld' | 'reversed'): void => {
    if (!reason.trim() || busy) return;
    setBusy(true);
    setError(null);
    operatorApi.decideAppeal(theCase.ref, { outcome, reason: reason.trim() }).then(
      () => {
        setBusy(false);
        onDone();
      },
      (err: unknown) => {
        setError(describeError(err));
        setBusy(false);
      },
    );
  };
  return (
    <article className="card console-section" data-testid="appeal-item" data-case-ref={theCase.ref}>
      <h2>
        <a {...linkProps(`/operator/cases/${theCase.ref}`)}>{theCase.ref}</a>:{' '}
        <Jurisdiction code={theCase.jurisdiction} />
      </h2>
      <dl className="console-facts">
        <dt>{t('console.appeals.decision')}</dt>
        <dd className="console-wrap">
          {theCase.decision
            ? t('console.appeals.decisionText', {
                outcome: outcomeLabel(theCase.decision.outcome),
                reason: theCase.decision.reason,
              })
            : '—'}
        </dd>
        <dt>{t('console.appeals.filed')}</dt>
        <dd>{formatDate(appeal?.filedAt)}</dd>
        <dt>{t('console.appeals.hostWrites')}</dt>
        <dd className="console-wrap" data-testid="appeal-host-text">
          {appeal?.text ?? ''}
        </dd>
      </dl>
      <label className="field">
        <span className="field-label">{t('console.appeals.reason')}</span>
        <textarea
          data-testid="appeal-reason"
          rows={2}
          maxLength={5000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <ErrorNote error={error} />
      <div className="form-actions">
        <button
          type="button"
          className="secondary-button"
          data-testid="appeal-uphold"
          disabled={!reason.trim() || busy}
          onClick={() => decide('upheld')}
        >
          {t('console.appeals.uphold')}
        </button>
        <button
          type="button"
          className="primary-button"
          data-testid="appeal-reverse"
          disabled={!reason.trim() || busy}
          onClick={() => decide('reversed')}
        >
          {t('console.appeals.reverse')}
        </button>
      </div>
      {canDecide ? null : <p className="field-hint">{t('console.appeals.intakeNote')}</p>}
    </article>
  );
}
