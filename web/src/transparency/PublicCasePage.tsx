/**
 * The public notices (no sign-in), Lumen-style: `/transparency` lists every published case and
 * `/transparency/cases/<ref>` shows one: who demanded what under which law, what was done and what
 * was demanded and not done, the scope and counts (numbers only), the expiry and the appeal outcome.
 */
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ClientError } from '../../../src/client/ClientError.js';
import { demandLabel, formatDate, publicCase, publicCases, type PublicCase } from '../cases.js';
import { countryName } from '../countries.js';
import { formatNumber, regionName } from '../i18n/index.js';
import { TopBar } from '../pages/TopBar.js';
import { linkProps } from '../router.js';
import { TransparencyReportSection } from './TransparencyReportSection.js';

function useFetched<T>(load: () => Promise<T>, key: string): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (err: unknown) =>
        live &&
        setState({
          data: null,
          error:
            err instanceof ClientError && err.code === 'not_found'
              ? 'There is no published notice with this reference.'
              : err instanceof Error
                ? err.message
                : 'Could not load the notice.',
        }),
    );
    return () => {
      live = false;
    };
    // `key` names what `load` fetches.
  }, [key]);
  return state;
}

const OUTCOMES: Record<string, string> = {
  rejected: 'Rejected: nothing was withheld',
  withheld: 'Withheld in the jurisdiction only',
  partial: 'Partly withheld in the jurisdiction only',
};

function what(c: PublicCase): string {
  if (!c.action) return OUTCOMES[c.outcome] ?? c.outcome;
  const { meetings, hosts } = c.action.scope;
  return `${OUTCOMES[c.outcome] ?? c.outcome}: ${meetings} ${meetings === 1 ? 'meeting' : 'meetings'}${
    hosts ? ` and the meetings of ${hosts} ${hosts === 1 ? 'host' : 'hosts'}` : ''
  } unavailable to participants connecting from ${countryName(c.action.jurisdiction)} (${c.action.jurisdiction}); everyone else unaffected`;
}

export function PublicCasePage({ caseRef }: { caseRef: string }) {
  const { data: c, error } = useFetched(() => publicCase(caseRef), caseRef);
  return (
    <div className="page">
      <TopBar />
      <main className="console-main">
        <p>
          <a {...linkProps('/transparency')}>All public notices</a>
        </p>
        {error ? (
          <p className="form-error" role="alert" data-testid="error-message">
            {error}
          </p>
        ) : null}
        {!c && !error ? <span className="spinner" aria-label="Loading" /> : null}
        {c ? (
          <article
            className="card console-section"
            data-testid="public-case"
            data-case-ref={c.ref}
            data-outcome={c.outcome}
          >
            <h1>Notice {c.ref}</h1>
            <p className="card-lead">
              A legal demand received by this Convene service and what was done about it. Participants are
              never named.
            </p>
            <dl className="console-facts">
              <dt>Authority</dt>
              <dd data-field="authority">{c.authority}</dd>
              <dt>Jurisdiction</dt>
              <dd data-field="jurisdiction">
                {countryName(c.jurisdiction)} ({c.jurisdiction})
              </dd>
              <dt>Legal basis cited</dt>
              <dd data-field="legalBasis">{c.legalBasis}</dd>
              <dt>Date received</dt>
              <dd data-field="receivedOn">{formatDate(c.receivedOn)}</dd>
              <dt>What was demanded</dt>
              <dd data-field="demands">{c.demands.map(demandLabel).join(', ')}</dd>
              {c.demandText ? (
                <>
                  <dt>In their words</dt>
                  <dd className="console-wrap" data-field="demandText">
                    {c.demandText}
                  </dd>
                </>
              ) : null}
              <dt>What was done</dt>
              <dd data-field="done">{what(c)}</dd>
              <dt>Demanded and not done</dt>
              <dd data-field="notDone">
                {c.notDone.length > 0 ? c.notDone.map(demandLabel).join(', ') : 'Nothing'}
              </dd>
              <dt>Decided</dt>
              <dd data-field="decidedAt">{formatDate(c.decidedAt)}</dd>
              <dt>Expires</dt>
              <dd data-field="expiresAt">{formatDate(c.expiresAt)}</dd>
              <dt>Appeal</dt>
              <dd data-field="appeal">
                {c.appeal
                  ? `${c.appeal.outcome ?? 'pending'}${c.appeal.decidedAt ? ` (${formatDate(c.appeal.decidedAt)})` : ''}`
                  : 'None'}
              </dd>
              <dt>Meetings affected</dt>
              <dd data-field="meetingsAffected" data-value={c.counts.meetingsAffected}>
                {c.counts.meetingsAffected}
              </dd>
              <dt>Participants withheld</dt>
              <dd data-field="participantsWithheld" data-value={c.counts.participantsWithheld}>
                {c.counts.participantsWithheld}
              </dd>
              <dt>Joins refused</dt>
              <dd data-field="joinsRefused" data-value={c.counts.joinsRefused}>
                {c.counts.joinsRefused}
              </dd>
              <dt>Status</dt>
              <dd data-field="status">{c.status}</dd>
              {c.meetingTitles && c.meetingTitles.length > 0 ? (
                <>
                  <dt>Meetings (named with the host’s consent)</dt>
                  <dd data-field="meetingTitles">{c.meetingTitles.join(', ')}</dd>
                </>
              ) : null}
              {c.hostName ? (
                <>
                  <dt>Host (named with their consent)</dt>
                  <dd data-field="hostName">{c.hostName}</dd>
                </>
              ) : null}
            </dl>
            <p>
              Machine-readable: <a href={`/api/public/cases/${encodeURIComponent(c.ref)}`}>JSON</a>
            </p>
          </article>
        ) : null}
      </main>
    </div>
  );
}

export function PublicCaseList() {
  const { t, i18n } = useTranslation();
  const { data: cases, error } = useFetched(() => publicCases(), 'all');
  const decided = (iso: string | null) =>
    iso === null
      ? '—'
      : new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="page">
      <TopBar />
      <main className="console-main">
        <TransparencyReportSection />
        <h2 id="public-notices">{t('report.notices.heading')}</h2>
        <p className="card-lead">
          <Trans
            i18nKey="report.notices.lead"
            values={{ json: 'JSON' }}
            components={[<a key="json" href="/api/public/cases" />]}
          />
        </p>
        {error ? (
          <p className="form-error" role="alert" data-testid="error-message">
            {t('report.notices.loadFailed')}
          </p>
        ) : null}
        {!cases && !error ? <span className="spinner" aria-label={t('common.loading')} /> : null}
        {cases?.length === 0 ? <p className="empty-state">{t('report.notices.empty')}</p> : null}
        {cases && cases.length > 0 ? (
          <table className="console-table" data-testid="public-case-list">
            <thead>
              <tr>
                <th scope="col">{t('report.notices.case')}</th>
                <th scope="col">{t('report.notices.jurisdiction')}</th>
                <th scope="col">{t('report.notices.authority')}</th>
                <th scope="col">{t('report.notices.outcome')}</th>
                <th scope="col">{t('report.metrics.meetingsAffected')}</th>
                <th scope="col">{t('report.metrics.participantsWithheld')}</th>
                <th scope="col">{t('report.notices.decided')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.ref} data-testid="public-case-row" data-case-ref={c.ref}>
                  <td>
                    <a {...linkProps(`/transparency/cases/${c.ref}`)}>{c.ref}</a>
                  </td>
                  <td>
                    {regionName(c.jurisdiction)} ({c.jurisdiction})
                  </td>
                  <td>{c.authority}</td>
                  <td data-outcome={c.outcome}>{t(`report.metrics.done_${c.outcome}`)}</td>
                  <td>{formatNumber(c.counts.meetingsAffected)}</td>
                  <td>{formatNumber(c.counts.participantsWithheld)}</td>
                  <td>{decided(c.decidedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </main>
    </div>
  );
}
