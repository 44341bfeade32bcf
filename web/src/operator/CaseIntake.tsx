/** `/operator/cases/new`: record an authority's request as it was received. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { regionName } from '../i18n/index.js';
import { DEMANDS, operatorApi, type Demand, type TargetInput } from '../cases.js';
import { COUNTRY_CODES } from '../countries.js';
import { navigate } from '../router.js';
import { dateInDays, demandText as demandName, describeError, ErrorNote } from './common.js';

const lines = (text: string): string[] =>
  text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean);

export function CaseIntake() {
  const { t } = useTranslation();
  const [authority, setAuthority] = useState('');
  const [jurisdictionText, setJurisdictionText] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [receivedOn, setReceivedOn] = useState(dateInDays(0));
  const [demands, setDemands] = useState<Demand[]>([]);
  const [demandText, setDemandText] = useState('');
  const [meetings, setMeetings] = useState('');
  const [hosts, setHosts] = useState('');
  const [links, setLinks] = useState('');
  const [evidence, setEvidence] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const jurisdiction = jurisdictionText.trim().toUpperCase();
  const jurisdictionOk = COUNTRY_CODES.has(jurisdiction);
  const targets: TargetInput[] = [
    ...lines(meetings).map((link): TargetInput => ({ kind: 'meeting', link })),
    ...lines(hosts).map((email): TargetInput => ({ kind: 'host', email })),
    ...lines(links).map((url): TargetInput => ({ kind: 'link', url })),
  ];
  const problems: string[] = [];
  if (!authority.trim()) problems.push(t('console.intake.needAuthority'));
  if (!jurisdictionOk) problems.push(t('console.intake.needJurisdiction'));
  if (!legalBasis.trim()) problems.push(t('console.intake.needLegalBasis'));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn)) problems.push(t('console.intake.needReceived'));
  if (demands.length === 0) problems.push(t('console.intake.needDemand'));
  if (targets.length === 0) problems.push(t('console.intake.needTarget'));

  const toggle = (demand: Demand, on: boolean): void =>
    setDemands((old) =>
      on ? DEMANDS.filter((d) => d === demand || old.includes(d)) : old.filter((d) => d !== demand),
    );

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (problems.length > 0 || busy) return;
    setBusy(true);
    setError(null);
    operatorApi
      .createCase({
        authority: authority.trim(),
        jurisdiction,
        legalBasis: legalBasis.trim(),
        receivedOn,
        demands,
        targets,
        ...(demandText.trim() ? { demandText: demandText.trim() } : {}),
        ...(evidence.trim() ? { evidenceNotes: evidence.trim() } : {}),
      })
      .then(
        (created) => navigate(`/operator/cases/${created.ref}`),
        (err: unknown) => {
          setError(describeError(err));
          setBusy(false);
        },
      );
  };

  return (
    <form className="card meeting-form console-form" onSubmit={submit} noValidate data-testid="intake-form">
      <h1>{t('console.intake.title')}</h1>
      <p className="card-lead">{t('console.intake.lead')}</p>
      <label className="field">
        <span className="field-label">{t('console.intake.authority')}</span>
        <input
          data-testid="intake-authority"
          type="text"
          maxLength={500}
          required
          value={authority}
          onChange={(e) => setAuthority(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t('console.intake.jurisdiction')}</span>
        <input
          data-testid="intake-jurisdiction"
          type="text"
          maxLength={2}
          required
          value={jurisdictionText}
          aria-invalid={jurisdictionText && !jurisdictionOk ? 'true' : undefined}
          onChange={(e) => setJurisdictionText(e.target.value)}
        />
        <span className={`field-hint${jurisdictionText && !jurisdictionOk ? ' invalid' : ''}`}>
          {jurisdictionOk ? regionName(jurisdiction) : t('console.intake.jurisdictionHint')}
        </span>
      </label>
      <label className="field">
        <span className="field-label">{t('console.intake.legalBasis')}</span>
        <input
          data-testid="intake-legal-basis"
          type="text"
          maxLength={1000}
          required
          value={legalBasis}
          onChange={(e) => setLegalBasis(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t('console.intake.receivedOn')}</span>
        <input
          data-testid="intake-received-on"
          type="date"
          required
          value={receivedOn}
          onChange={(e) => setReceivedOn(e.target.value)}
        />
      </label>
      <fieldset className="field-group">
        <legend>{t('console.intake.demanded')}</legend>
        {DEMANDS.map((demand) => (
          <label key={demand} className="check-row">
            <input
              type="checkbox"
              data-testid={`intake-demand-${demand}`}
              checked={demands.includes(demand)}
              onChange={(e) => toggle(demand, e.target.checked)}
            />
            <span>{demandName(demand)}</span>
          </label>
        ))}
        <label className="field">
          <span className="field-label">{t('console.intake.demandText')}</span>
          <textarea
            data-testid="intake-demand-text"
            rows={3}
            maxLength={5000}
            value={demandText}
            onChange={(e) => setDemandText(e.target.value)}
          />
        </label>
      </fieldset>
      <fieldset className="field-group">
        <legend>{t('console.intake.targets')}</legend>
        <label className="field">
          <span className="field-label">{t('console.intake.meetings')}</span>
          <textarea
            data-testid="intake-meetings"
            rows={2}
            value={meetings}
            onChange={(e) => setMeetings(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('console.intake.hosts')}</span>
          <textarea
            data-testid="intake-hosts"
            rows={2}
            value={hosts}
            onChange={(e) => setHosts(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('console.intake.links')}</span>
          <textarea
            data-testid="intake-links"
            rows={2}
            value={links}
            onChange={(e) => setLinks(e.target.value)}
          />
        </label>
      </fieldset>
      <label className="field">
        <span className="field-label">{t('console.intake.evidence')}</span>
        <textarea
          data-testid="intake-evidence"
          rows={3}
          maxLength={5000}
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
        />
      </label>
      {problems.length > 0 ? (
        <ul className="field-hint console-problems" data-testid="intake-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <ErrorNote error={error} />
      <div className="form-actions">
        <button
          type="submit"
          className="primary-button"
          data-testid="intake-submit"
          disabled={problems.length > 0 || busy}
        >
          {t('console.intake.submit')}
        </button>
      </div>
    </form>
  );
}
