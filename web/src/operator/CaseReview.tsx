/**
 * `/operator/cases/<ref>`: the case as recorded, its history, and (before deciding) its scope as
 * counts only; the reviewer starts the review and decides (DecisionForm).
 */
import { useState } from 'react';
import {
  demandLabel,
  formatDate,
  NEVER_DONE,
  operatorApi,
  type Case,
  type CaseScope,
  type Operator,
} from '../cases.js';
import { countryName } from '../countries.js';
import { describeError, describeTarget, ErrorNote, Jurisdiction, StatusBadge, useLoaded } from './common.js';
import { DecisionForm } from './DecisionForm.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "This affects only participants connecting from CN in 2 meetings; now 4 people in 1 live meeting." */
export function scopeSentence(scope: CaseScope): string {
  const t = scope.totals;
  return (
    `This affects only participants connecting from ${scope.jurisdiction} (${countryName(scope.jurisdiction)}) ` +
    `in ${plural(t.meetings, 'meeting', 'meetings')}; now ${plural(t.liveParticipantsInJurisdiction, 'person', 'people')} ` +
    `in ${plural(t.liveMeetings, 'live meeting', 'live meetings')}. Everyone else is not affected.`
  );
}

export function CaseReview({ caseRef, operator }: { caseRef: string; operator: Operator }) {
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
      <span className="spinner" aria-label="Loading" />
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
          Case {c.ref} <StatusBadge status={c.status} />
        </h1>
      </header>
      <section className="card console-section" aria-labelledby="case-request">
        <h2 id="case-request">The request</h2>
        <dl className="console-facts">
          <dt>Authority</dt>
          <dd data-testid="case-authority">{c.authority}</dd>
          <dt>Jurisdiction</dt>
          <dd data-testid="case-jurisdiction">
            <Jurisdiction code={c.jurisdiction} />
          </dd>
          <dt>Legal basis</dt>
          <dd>{c.legalBasis}</dd>
          <dt>Received</dt>
          <dd>{formatDate(c.receivedOn)}</dd>
          <dt>Demanded</dt>
          <dd>{c.demands.map(demandLabel).join(', ')}</dd>
          {c.demandText ? (
            <>
              <dt>In their words</dt>
              <dd className="console-wrap">{c.demandText}</dd>
            </>
          ) : null}
          {c.evidenceNotes ? (
            <>
              <dt>Evidence notes</dt>
              <dd className="console-wrap">{c.evidenceNotes}</dd>
            </>
          ) : null}
          <dt>Targets</dt>
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
          <h2 id="case-not-done">Demanded and not done</h2>
          <p>
            Convene has no action for these demands. They are recorded as demanded and not done, and
            published.
          </p>
          <ul data-testid="not-done">
            {notDone.map((demand) => (
              <li key={demand} data-testid="not-done-item" data-demand={demand}>
                {demandLabel(demand)}: cannot be carried out
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {undecided ? (
        <section className="card console-section" aria-labelledby="case-scope">
          <h2 id="case-scope">Scope (counts only)</h2>
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
            Count again
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
          Start review
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
      <h2 id="case-gag-end">End the gag order now</h2>
      <label className="field">
        <span className="field-label">Why the notices can go out now</span>
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
        End the gag order
      </button>
    </section>
  );
}

function DecisionView({ theCase }: { theCase: Case }) {
  const d = theCase.decision;
  if (!d) return null;
  return (
    <section
      className="card console-section"
      aria-labelledby="case-decision"
      data-testid="case-decision"
      data-outcome={d.outcome}
    >
      <h2 id="case-decision">Decision: {d.outcome}</h2>
      <dl className="console-facts">
        <dt>Reason</dt>
        <dd className="console-wrap">{d.reason}</dd>
        <dt>Decided</dt>
        <dd>
          {formatDate(d.decidedAt)} by {d.decidedBy}
        </dd>
        <dt>Expires</dt>
        <dd>{formatDate(d.expiresAt)}</dd>
        <dt>Counts</dt>
        <dd data-testid="case-counts">
          {theCase.counts.meetingsAffected} meetings affected, {theCase.counts.participantsWithheld}{' '}
          participants withheld, {theCase.counts.joinsRefused} joins refused
        </dd>
        {theCase.gag ? (
          <>
            <dt>Notice delayed until</dt>
            <dd>
              {formatDate(theCase.gag.until)}: {theCase.gag.reason}
            </dd>
          </>
        ) : null}
      </dl>
      {theCase.restrictions.length > 0 ? (
        <ul className="console-list">
          {theCase.restrictions.map((r) => (
            <li key={r.id} data-testid="case-restriction" data-lifted={r.liftedAt ? 'true' : 'false'}>
              Withheld in {r.jurisdiction}:{' '}
              {r.scope.kind === 'meeting'
                ? `meeting ${r.scope.meetingId}`
                : `meetings of host ${r.scope.hostAccountId}`}
              , until {formatDate(r.expiresAt)}
              {r.liftedAt ? ` (lifted ${formatDate(r.liftedAt)}, ${r.liftReason ?? ''})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function History({ theCase, viewer }: { theCase: Case; viewer: Operator }) {
  return (
    <section className="card console-section" aria-labelledby="case-history">
      <h2 id="case-history">History</h2>
      <table className="console-table" data-testid="case-history">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Operator</th>
            <th scope="col">Details</th>
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
  if (typeof value === 'string') return value === viewer.id ? `${value} (you)` : value;
  if (typeof value === 'object' && 'email' in value && typeof value.email === 'string') return value.email;
  return JSON.stringify(value);
}
