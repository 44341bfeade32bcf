/** The console's case list, newest first, filtered by status and jurisdiction. */
import { useState } from 'react';
import { CASE_STATUSES, demandLabel, formatDate, operatorApi } from '../cases.js';
import { COUNTRY_CODES } from '../countries.js';
import { linkProps } from '../router.js';
import { ErrorNote, Jurisdiction, StatusBadge, useLoaded } from './common.js';

export function CaseList() {
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
        <h1 id="cases-title">Cases</h1>
        <a className="primary-button" data-testid="case-new" {...linkProps('/operator/cases/new')}>
          Record a request
        </a>
      </header>
      <div className="console-filters" role="search">
        <label className="field">
          <span className="field-label">Status</span>
          <select
            data-testid="case-filter-status"
            value={status}
            onChange={(event) => setStatus(event.target.value)}
          >
            <option value="">Any</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Jurisdiction (ISO code)</span>
          <input
            data-testid="case-filter-jurisdiction"
            type="text"
            maxLength={2}
            value={jurisdictionText}
            aria-invalid={validJurisdiction ? undefined : 'true'}
            onChange={(event) => setJurisdictionText(event.target.value)}
          />
          {validJurisdiction ? null : <span className="field-hint invalid">Not an ISO 3166-1 code.</span>}
        </label>
      </div>
      <ErrorNote error={error} />
      {cases === null && !error ? <span className="spinner" aria-label="Loading" /> : null}
      {cases?.length === 0 ? <p className="empty-state">No cases match.</p> : null}
      {cases && cases.length > 0 ? (
        <table className="console-table" data-testid="case-list">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Status</th>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Authority</th>
              <th scope="col">Demanded</th>
              <th scope="col">Received</th>
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
                <td>{c.demands.map(demandLabel).join(', ')}</td>
                <td>{formatDate(c.receivedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
