/** The console's case list, newest first, filtered by status and jurisdiction. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, formatDate, operatorApi } from '../cases.js';
import { COUNTRY_CODES } from '../countries.js';
import { formatList } from '../i18n/index.js';
import { linkProps } from '../router.js';
import { demandText, ErrorNote, Jurisdiction, StatusBadge, statusLabel, useLoaded } from './common.js';

export function CaseList() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [jurisdictionText, setJurisdictionText] = useState('');
  const jurisdiction = jurisdictionText.trim().toUpperCase();
  const validJurisdiction = jurisdiction === '' || COUNTRY_CODES.has(jurisdiction);
  const filter = validJurisdiction ? jurisdiction : '';
  const { data: cases, error } = useLoaded(
    () => operatorApi.cases({ status, jurisdiction: filter }),
    [status, filter],
  );

  return (
    <section aria-labelledby="cases-title">
      <header className="meetings-header">
        <h1 id="cases-title">{t('console.cases')}</h1>
        <a className="primary-button" data-testid="case-new" {...linkProps('/operator/cases/new')}>
          {t('console.list.record')}
        </a>
      </header>
      <div className="console-filters" role="search">
        <label className="field">
          <span className="field-label">{t('console.list.status')}</span>
          <select
            data-testid="case-filter-status"
            value={status}
            onChange={(event) => setStatus(event.target.value)}
          >
            <option value="">{t('console.list.any')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('console.list.jurisdiction')}</span>
          <input
            data-testid="case-filter-jurisdiction"
            type="text"
            maxLength={2}
            value={jurisdictionText}
            aria-invalid={validJurisdiction ? undefined : 'true'}
            onChange={(event) => setJurisdictionText(event.target.value)}
          />
          {validJurisdiction ? null : <span className="field-hint invalid">{t('console.list.notIso')}</span>}
        </label>
      </div>
      <ErrorNote error={error} />
      {cases === null && !error ? (
        <span className="spinner" role="img" aria-label={t('console.loading')} />
      ) : null}
      {cases?.length === 0 ? <p className="empty-state">{t('console.list.none')}</p> : null}
      {cases && cases.length > 0 ? (
        <table className="console-table" data-testid="case-list">
          <thead>
            <tr>
              <th scope="col">{t('console.list.case')}</th>
              <th scope="col">{t('console.list.status')}</th>
              <th scope="col">{t('console.review.jurisdiction')}</th>
              <th scope="col">{t('console.list.authority')}</th>
              <th scope="col">{t('console.list.demanded')}</th>
              <th scope="col">{t('console.list.received')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-testid="case-row" data-case-ref={c.ref} data-status={c.status}>
                <td>
                  <a {...linkProps(`/operator/cases/${c.ref}`)}>{c.ref}</a>
                </td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>
                  <Jurisdiction code={c.jurisdiction} />
                </td>
                <td>{c.authority}</td>
                <td>{formatList(c.demands.map(demandText))}</td>
                <td>{formatDate(c.receivedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
