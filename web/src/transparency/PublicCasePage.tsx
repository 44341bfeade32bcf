/**
 * The public notices (no sign-in), Lumen-style: `/transparency` lists every published case and
 * `/transparency/cases/<ref>` shows one: who demanded what under which law, what was done and what
 * was demanded and not done, the scope and counts (numbers only), the expiry and the appeal outcome.
 */
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ClientError } from '../../../src/client/ClientError.js';
import { publicCase, publicCases, type PublicCase } from '../cases.js';
import { currentLanguage, formatList, formatNumber, regionName } from '../i18n/index.js';
import { TopBar } from '../pages/TopBar.js';
import { linkProps } from '../router.js';
import { TransparencyReportSection } from './TransparencyReportSection.js';

function useFetched<T>(
  load: () => Promise<T>,
  key: string,
): { data: T | null; error: 'notFound' | 'loadFailed' | null } {
  const [state, setState] = useState<{ data: T | null; error: 'notFound' | 'loadFailed' | null }>({
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (err: unknown) =>
        live &&
        setState({
          data: null,
          error: err instanceof ClientError && err.code === 'not_found' ? 'notFound' : 'loadFailed',
        }),
    );
    return () => {
      live = false;
    };
    // `key` names what `load` fetches.
  }, [key]);
  return state;
}

/** A date (YYYY-MM-DD) or a moment (ISO), in the page's language. */
function localDate(value: string | null | undefined, withTime = true): string {
  if (!value) return '—';
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(currentLanguage(), {
    dateStyle: 'medium',
    ...(withTime && value.length > 10 ? { timeStyle: 'short' } : { timeZone: 'UTC' }),
  }).format(date);
}

function useNoticeText() {
  const { t } = useTranslation();
  const demands = (list: readonly string[]) =>
    formatList(list.map((d) => t(`notice.demand_${d}`, { defaultValue: d })));
  const what = (c: PublicCase): string => {
    if (!c.action) return t('notice.outcome_rejected');
    const { meetings, hosts } = c.action.scope;
    const values = {
      meetings: t('notice.scope', { count: meetings }),
      hosts: hosts ? t('notice.scopeHosts', { count: hosts }) : '',
      country: regionName(c.action.jurisdiction),
      code: c.action.jurisdiction,
    };
    return c.outcome === 'partial' ? t('notice.outcomePartial', values) : t('notice.outcomeWithheld', values);
  };
  const appeal = (c: PublicCase): string => {
    if (!c.appeal) return t('notice.appealNone');
    const outcome = t(`notice.appeal_${c.appeal.outcome ?? 'pending'}`);
    return c.appeal.decidedAt
      ? t('notice.appealDecided', { outcome, date: localDate(c.appeal.decidedAt) })
      : outcome;
  };
  return { t, demands, what, appeal };
}

export function PublicCasePage({ caseRef }: { caseRef: string }) {
  const { data: c, error } = useFetched(() => publicCase(caseRef), caseRef);
  const { t, demands, what, appeal } = useNoticeText();
  const count = (field: 'meetingsAffected' | 'participantsWithheld' | 'joinsRefused', n: number) => (
    <>
      <dt>{t(`notice.${field}`)}</dt>
      <dd data-field={field} data-value={n}>
        {formatNumber(n)}
      </dd>
    </>
  );
  return (
    <div className="page">
      <TopBar />
      <main className="console-main">
        <p>
          <a {...linkProps('/transparency')}>{t('notice.back')}</a>
        </p>
        {error ? (
          <p className="form-error" role="alert" data-testid="error-message">
            {t(`notice.${error}`)}
          </p>
        ) : null}
        {!c && !error ? <span className="spinner" aria-label={t('common.loading')} /> : null}
        {c ? (
          <article
            className="card console-section"
            data-testid="public-case"
            data-case-ref={c.ref}
            data-outcome={c.outcome}
          >
            <h1>{t('notice.title', { ref: c.ref })}</h1>
            <p className="card-lead">{t('notice.lead')}</p>
            <dl className="console-facts">
              <dt>{t('notice.authority')}</dt>
              <dd data-field="authority">{c.authority}</dd>
              <dt>{t('notice.jurisdiction')}</dt>
              <dd data-field="jurisdiction">
                {regionName(c.jurisdiction)} ({c.jurisdiction})
              </dd>
              <dt>{t('notice.legalBasis')}</dt>
              <dd data-field="legalBasis">{c.legalBasis}</dd>
              <dt>{t('notice.receivedOn')}</dt>
              <dd data-field="receivedOn">{localDate(c.receivedOn)}</dd>
              <dt>{t('notice.demands')}</dt>
              <dd data-field="demands">{demands(c.demands)}</dd>
              {c.demandText ? (
                <>
                  <dt>{t('notice.demandText')}</dt>
                  <dd className="console-wrap" data-field="demandText" dir="auto">
                    {c.demandText}
                  </dd>
                </>
              ) : null}
              <dt>{t('notice.done')}</dt>
              <dd data-field="done">{what(c)}</dd>
              <dt>{t('notice.notDone')}</dt>
              <dd data-field="notDone">{c.notDone.length > 0 ? demands(c.notDone) : t('notice.nothing')}</dd>
              <dt>{t('notice.decidedAt')}</dt>
              <dd data-field="decidedAt">{localDate(c.decidedAt)}</dd>
              <dt>{t('notice.expiresAt')}</dt>
              <dd data-field="expiresAt">{localDate(c.expiresAt)}</dd>
              <dt>{t('notice.appeal')}</dt>
              <dd data-field="appeal">{appeal(c)}</dd>
              {count('meetingsAffected', c.counts.meetingsAffected)}
              {count('participantsWithheld', c.counts.participantsWithheld)}
              {count('joinsRefused', c.counts.joinsRefused)}
              <dt>{t('notice.status')}</dt>
              <dd data-field="status" data-value={c.status}>
                {t(`notice.status_${c.status}`, { defaultValue: c.status })}
              </dd>
              {c.meetingTitles && c.meetingTitles.length > 0 ? (
                <>
                  <dt>{t('notice.meetingTitles')}</dt>
                  <dd data-field="meetingTitles">{formatList(c.meetingTitles)}</dd>
                </>
              ) : null}
              {c.hostName ? (
                <>
                  <dt>{t('notice.hostName')}</dt>
                  <dd data-field="hostName">{c.hostName}</dd>
                </>
              ) : null}
            </dl>
            <h2>{t('notice.logHeading')}</h2>
            <p>
              <Trans
                i18nKey="notice.logLead"
                values={{ command: 'convene audit verify' }}
                components={[<a key="cp" href="/log/checkpoint" />]}
              />
            </p>
            {c.logEntries && c.logEntries.length > 0 ? (
              <ol className="console-log" data-testid="public-case-log">
                {c.logEntries.map((e) => (
                  <li key={e.index} data-log-index={e.index} data-action={e.action}>
                    {t('notice.logEntry', { index: e.index, action: e.action, date: localDate(e.at) })}
                  </li>
                ))}
              </ol>
            ) : (
              <p>{t('notice.logNone')}</p>
            )}
            <p>
              <Trans
                i18nKey="notice.machine"
                values={{ format: 'JSON' }}
                components={[<a key="json" href={`/api/public/cases/${encodeURIComponent(c.ref)}`} />]}
              />
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
