/**
 * The reviewer's decision on a case under review: reject, or withhold chosen targets in the case's
 * jurisdiction only, with a required expiry and reason, and optionally a gag order (≤ 180 days).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { regionName } from '../i18n/index.js';
import { operatorApi, type Case, type CaseScope, type DecisionInput } from '../cases.js';
import { dateInDays, describeError, describeTarget, endOfDay, ErrorNote } from './common.js';

const MAX_GAG_DAYS = 180;

export function DecisionForm({
  theCase,
  scope,
  onDecided,
}: {
  theCase: Case;
  scope: CaseScope | null;
  onDecided: (next: Case) => void;
}) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<'rejected' | 'withhold'>('withhold');
  const [chosen, setChosen] = useState<number[]>(() => theCase.targets.map((_, i) => i));
  const [expires, setExpires] = useState('');
  const [reason, setReason] = useState('');
  const [gagOn, setGagOn] = useState(false);
  const [gagUntil, setGagUntil] = useState('');
  const [gagReason, setGagReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const today = dateInDays(0);
  const maxGag = dateInDays(MAX_GAG_DAYS);

  const problems: string[] = [];
  if (!reason.trim()) problems.push(t('console.decide.needReason'));
  if (outcome === 'withhold') {
    if (chosen.length === 0) problems.push(t('console.decide.needTarget'));
    if (!expires || expires <= today) problems.push(t('console.decide.needExpiry'));
    if (gagOn) {
      if (!gagUntil || gagUntil <= today || gagUntil > maxGag)
        problems.push(t('console.decide.gagTooLong', { days: MAX_GAG_DAYS }));
      if (!gagReason.trim()) problems.push(t('console.decide.needGagReason'));
    }
  }

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (problems.length > 0 || busy) return;
    const decision: DecisionInput =
      outcome === 'rejected'
        ? { outcome: 'rejected', reason: reason.trim() }
        : {
            outcome: 'withhold',
            targets: [...chosen].sort((a, b) => a - b),
            expiresAt: endOfDay(expires),
            reason: reason.trim(),
            ...(gagOn ? { gag: { until: endOfDay(gagUntil), reason: gagReason.trim() } } : {}),
          };
    setBusy(true);
    setError(null);
    operatorApi.decide(theCase.ref, decision).then(
      (next) => {
        setBusy(false);
        onDecided(next);
      },
      (err: unknown) => {
        setError(describeError(err));
        setBusy(false);
      },
    );
  };

  const where = t('console.jurisdiction', {
    country: regionName(theCase.jurisdiction),
    code: theCase.jurisdiction,
  });
  return (
    <form
      className="card console-section console-form"
      onSubmit={submit}
      noValidate
      data-testid="decision-form"
    >
      <h2>{t('console.decide.title')}</h2>
      <fieldset className="field-group">
        <legend>{t('console.decide.outcome')}</legend>
        <label className="check-row">
          <input
            type="radio"
            name="outcome"
            data-testid="decision-withhold"
            checked={outcome === 'withhold'}
            onChange={() => setOutcome('withhold')}
          />
          <span>{t('console.decide.withhold', { where })}</span>
        </label>
        <label className="check-row">
          <input
            type="radio"
            name="outcome"
            data-testid="decision-reject"
            checked={outcome === 'rejected'}
            onChange={() => setOutcome('rejected')}
          />
          <span>{t('console.decide.reject')}</span>
        </label>
      </fieldset>
      {outcome === 'withhold' ? (
        <>
          <fieldset className="field-group">
            <legend>{t('console.decide.targets')}</legend>
            {theCase.targets.map((target, index) => {
              const counts = scope?.targets[index];
              return (
                <label key={index} className="check-row">
                  <input
                    type="checkbox"
                    data-testid="decision-target"
                    data-index={index}
                    checked={chosen.includes(index)}
                    onChange={(e) =>
                      setChosen((old) =>
                        e.target.checked ? [...old, index] : old.filter((i) => i !== index),
                      )
                    }
                  />
                  <span>
                    {counts
                      ? t('console.decide.targetCounts', {
                          target: describeTarget(target),
                          meetings: counts.meetings,
                          people: counts.liveParticipantsInJurisdiction,
                          code: theCase.jurisdiction,
                        })
                      : describeTarget(target)}
                  </span>
                </label>
              );
            })}
          </fieldset>
          <label className="field">
            <span className="field-label">{t('console.decide.expires')}</span>
            <input
              data-testid="decision-expires"
              type="date"
              min={dateInDays(1)}
              required
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
            />
            <span className="field-hint">{t('console.decide.expiresHint')}</span>
          </label>
        </>
      ) : null}
      <label className="field">
        <span className="field-label">{t('console.decide.reason')}</span>
        <textarea
          data-testid="decision-reason"
          rows={3}
          maxLength={5000}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {outcome === 'withhold' ? (
        <fieldset className="field-group">
          <legend>{t('console.decide.gag')}</legend>
          <label className="check-row">
            <input
              type="checkbox"
              data-testid="decision-gag"
              checked={gagOn}
              onChange={(e) => setGagOn(e.target.checked)}
            />
            <span>{t('console.decide.gagDelay')}</span>
          </label>
          {gagOn ? (
            <>
              <label className="field">
                <span className="field-label">{t('console.decide.gagUntil', { days: MAX_GAG_DAYS })}</span>
                <input
                  data-testid="decision-gag-until"
                  type="date"
                  min={dateInDays(1)}
                  max={maxGag}
                  value={gagUntil}
                  onChange={(e) => setGagUntil(e.target.value)}
                />
              </label>
              <label className="field">
                <span className="field-label">{t('console.decide.gagReason')}</span>
                <textarea
                  data-testid="decision-gag-reason"
                  rows={2}
                  maxLength={2000}
                  value={gagReason}
                  onChange={(e) => setGagReason(e.target.value)}
                />
              </label>
            </>
          ) : null}
        </fieldset>
      ) : null}
      {problems.length > 0 ? (
        <ul className="field-hint console-problems" data-testid="decision-problems">
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
          data-testid="decision-submit"
          disabled={problems.length > 0 || busy}
        >
          {outcome === 'withhold'
            ? t('console.decide.submitWithhold', { code: theCase.jurisdiction })
            : t('console.decide.submitReject')}
        </button>
      </div>
    </form>
  );
}
