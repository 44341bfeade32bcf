/**
 * `/operator/cases/<ref>`: the case as recorded, its history, and (before deciding) its scope as
 * counts only; the reviewer starts the review and decides (DecisionForm).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, NEVER_DONE, operatorApi, type Case, type CaseScope, type Operator } from '../cases.js';
import { formatList, t, regionName } from '../i18n/index.js';
import {
  demandText,
  describeError,
  describeTarget,
  ErrorNote,
  Jurisdiction,
  outcomeLabel,
  StatusBadge,
  useLoaded,
} from './common.js';
import { DecisionForm } from './DecisionForm.js';

/** "This affects only participants connecting from CN in 2 meetings; now 4 people in 1 live meeting." */
export function scopeSentence(scope: CaseScope): string {
  const totals = scope.totals;
  return t('console.review.scope', {
    code: scope.jurisdiction,
    country: regionName(scope.jurisdiction),
    meetings: t('console.review.meetings', { count: totals.meetings }),
    people: t('console.review.people', { count: totals.liveParticipantsInJurisdiction }),
    live: t('console.review.liveMeetings', { count: totals.liveMeetings }),
  });
}

export function CaseReview({ caseRef, operator }: { caseRef: string; operator: Operator }) {
  const { t } = useTranslation();
  const loaded = useLoaded(() => operatorApi.getCase(caseRef), [caseRef]);
  const undecided =
    loaded.data !== null && (loaded.data.status === 'received' || loaded.data.status === 'under_review');
  const scope = useLoaded(
    () => (undecided ? operatorApi.scope(caseRef) : Promise.resolve(null)),
    [caseRef, undecided],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const c = loaded.data;
  if (!c) {
    return loaded.error ? (
      <ErrorNote error={loaded.error} />
    ) : (
      <span className="spinner" role="img" aria-label={t('console.loading')} />
    );
  }
  const updated = (next: Case): void => {
    loaded.set(next);
    setError(null);
  };
  const startReview = (): void => {
    setBusy(true);
    setError(null);
    operatorApi.startReview(c.ref).then(
      (next) => {
        updated(next);
        setBusy(false);
      },
      (err: unknown) => {
        setError(describeError(err));
        setBusy(false);
      },
    );
  };
  const notDone = c.decision ? c.decision.notDone : c.demands.filter((d) => NEVER_DONE.includes(d));

  return (
    <article className="console-case" data-testid="case-review" data-case-ref={c.ref} data-status={c.status}>
      <header className="meetings-header">
        <h1>
          {t('console.review.title', { ref: c.ref })} <StatusBadge status={c.status} />
        </h1>
      </header>
      <section className="card console-section" aria-labelledby="case-request">
        <h2 id="case-request">{t('console.review.request')}</h2>
        <dl className="console-facts">
          <dt>{t('console.review.authority')}</dt>
          <dd data-testid="case-authority">{c.authority}</dd>
          <dt>{t('console.review.jurisdiction')}</dt>
          <dd data-testid="case-jurisdiction">
            <Jurisdiction code={c.jurisdiction} />
          </dd>
          <dt>{t('console.review.legalBasis')}</dt>
          <dd>{c.legalBasis}</dd>
          <dt>{t('console.review.received')}</dt>
          <dd>{formatDate(c.receivedOn)}</dd>
          <dt>{t('console.review.demanded')}</dt>
          <dd>{formatList(c.demands.map(demandText))}</dd>
          {c.demandText ? (
            <>
              <dt>{t('console.review.inTheirWords')}</dt>
              <dd className="console-wrap">{c.demandText}</dd>
            </>
          ) : null}
          {c.evidenceNotes ? (
            <>
              <dt>{t('console.review.evidence')}</dt>
              <dd className="console-wrap">{c.evidenceNotes}</dd>
            </>
          ) : null}
          <dt>{t('console.review.targets')}</dt>
          <dd>
            <ol className="console-list">
              {c.targets.map((target, index) => (
                <li key={index} data-testid="case-target">
                  {describeTarget(target)}
                </li>
              ))}
            </ol>
          </dd>
        </dl>
      </section>
      {notDone.length > 0 ? (
        <section className="card console-section console-warning" aria-labelledby="case-not-done">
          <h2 id="case-not-done">{t('console.review.notDoneTitle')}</h2>
          <p>{t('console.review.notDoneLead')}</p>
          <ul data-testid="not-done">
            {notDone.map((demand) => (
              <li key={demand} data-testid="not-done-item" data-demand={demand}>
                {t('console.review.notDoneItem', { demand: demandText(demand) })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {undecided ? (
        <section className="card console-section" aria-labelledby="case-scope">
          <h2 id="case-scope">{t('console.review.scopeTitle')}</h2>
          <ErrorNote error={scope.error} testId="scope-error" />
          {scope.data ? (
            <p
              data-testid="scope-summary"
              data-meetings={scope.data.totals.meetings}
              data-live-meetings={scope.data.totals.liveMeetings}
              data-live-participants={scope.data.totals.liveParticipantsInJurisdiction}
            >
              {scopeSentence(scope.data)}
            </p>
          ) : null}
          <button type="button" className="text-button" data-testid="scope-refresh" onClick={scope.reload}>
            {t('console.review.countAgain')}
          </button>
        </section>
      ) : null}
      <ErrorNote error={error} />
      {c.status === 'received' ? (
        <button
          type="button"
          className="primary-button"
          data-testid="case-start-review"
          disabled={busy}
          onClick={startReview}
        >
          {t('console.review.startReview')}
        </button>
      ) : null}
      {c.status === 'under_review' ? (
        <DecisionForm key={c.id} theCase={c} scope={scope.data} onDecided={updated} />
      ) : null}
      {c.decision ? <DecisionView theCase={c} /> : null}
      {c.gag && new Date(c.gag.until) > new Date() ? <EndGag theCase={c} onDone={updated} /> : null}
      <History theCase={c} viewer={operator} />
    </article>
  );
}

/** A reviewer ends a gag order early: the host's notice and the public notice go out now. */
function EndGag({ theCase, onDone }: { theCase: Case; onDone: (next: Case) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const end = (): void => {
    if (!reason.trim() || busy) return;
    setBusy(true);
    setError(null);
    operatorApi.setGag(theCase.ref, { until: null, reason: reason.trim() }).then(
      (next) => {
        setBusy(false);
        onDone(next);
      },
      (err: unknown) => {
        setError(describeError(err));
        setBusy(false);
      },
    );
  };
  return (
    <section className="card console-section" aria-labelledby="case-gag-end">
      <h2 id="case-gag-end">{t('console.review.gagEndTitle')}</h2>
      <label className="field">
        <span className="field-label">{t('console.review.gagEndReason')}</span>
        <textarea
          data-testid="gag-end-reason"
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <ErrorNote error={error} />
      <button
        type="button"
        className="secondary-button"
        data-testid="gag-end"
        disabled={!reason.trim() || busy}
        onClick={end}
      >
        {t('console.review.gagEnd')}
      </button>
    </section>
  );
}

function DecisionView({ theCase }: { theCase: Case }) {
  const { t } = useTranslation();
  const d = theCase.decision;
  if (!d) return null;
  return (
    <section
      className="card console-section"
      aria-labelledby="case-decision"
      data-testid="case-decision"
      data-outcome={d.outcome}
    >
      <h2 id="case-decision">{t('console.review.decision', { outcome: outcomeLabel(d.outcome) })}</h2>
      <dl className="console-facts">
        <dt>{t('console.review.reason')}</dt>
        <dd className="console-wrap">{d.reason}</dd>
        <dt>{t('console.review.decided')}</dt>
        <dd>{t('console.review.decidedBy', { date: formatDate(d.decidedAt), who: d.decidedBy })}</dd>
        <dt>{t('console.review.expires')}</dt>
        <dd>{formatDate(d.expiresAt)}</dd>
        <dt>{t('console.review.counts')}</dt>
        <dd data-testid="case-counts">
          {t('console.review.countsText', {
            meetings: theCase.counts.meetingsAffected,
            withheld: theCase.counts.participantsWithheld,
            refused: theCase.counts.joinsRefused,
          })}
        </dd>
        {theCase.gag ? (
          <>
            <dt>{t('console.review.gagUntil')}</dt>
            <dd>
              {t('console.review.gagText', {
                date: formatDate(theCase.gag.until),
                reason: theCase.gag.reason,
              })}
            </dd>
          </>
        ) : null}
      </dl>
      {theCase.restrictions.length > 0 ? (
        <ul className="console-list">
          {theCase.restrictions.map((r) => (
            <li key={r.id} data-testid="case-restriction" data-lifted={r.liftedAt ? 'true' : 'false'}>
              {r.scope.kind === 'meeting'
                ? t('console.review.restrictionMeeting', {
                    code: r.jurisdiction,
                    id: r.scope.meetingId,
                    date: formatDate(r.expiresAt),
                  })
                : t('console.review.restrictionHost', {
                    code: r.jurisdiction,
                    id: r.scope.hostAccountId,
                    date: formatDate(r.expiresAt),
                  })}
              {r.liftedAt
                ? t('console.review.lifted', { date: formatDate(r.liftedAt), reason: r.liftReason ?? '' })
                : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function History({ theCase, viewer }: { theCase: Case; viewer: Operator }) {
  const { t } = useTranslation();
  return (
    <section className="card console-section" aria-labelledby="case-history">
      <h2 id="case-history">{t('console.review.history')}</h2>
      <table className="console-table" data-testid="case-history">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('console.review.when')}</th>
            <th scope="col">{t('console.review.action')}</th>
            <th scope="col">{t('console.review.operator')}</th>
            <th scope="col">{t('console.review.details')}</th>
          </tr>
        </thead>
        <tbody>
          {theCase.actions.map((a) => (
            <tr key={a.seq} data-testid="case-action" data-action={a.action}>
              <td>{a.seq}</td>
              <td>{formatDate(a.at)}</td>
              <td>{a.action}</td>
              <td>{operatorLabel(a.operator, viewer)}</td>
              <td className="console-wrap">
                <code>{a.details === null || a.details === undefined ? '' : JSON.stringify(a.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function operatorLabel(value: unknown, viewer: Operator): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === viewer.id ? t('console.review.you', { id: value }) : value;
  if (typeof value === 'object' && 'email' in value && typeof value.email === 'string') return value.email;
  return JSON.stringify(value);
}
