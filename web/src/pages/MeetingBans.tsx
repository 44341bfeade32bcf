/**
 * The "Bans" section of a meeting's edit page (reached from My meetings): who is banned, what each
 * ban matches, and an Unban button. A ban is made in the meeting and lifted here (docs/api.md "Bans").
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ban } from '../../../src/client/api.js';
import { api } from '../api.js';
import { errorText } from '../errorText.js';
import { formatDay, formatTime, t } from '../i18n/index.js';

export function MeetingBans({ meetingId }: { meetingId: string }) {
  useTranslation();
  const [bans, setBans] = useState<Ban[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lifting, setLifting] = useState<string | null>(null);

  useEffect(() => {
    api.listBans(meetingId).then(setBans, (err: unknown) => setError(errorText(err, t('bans.loadFailed'))));
  }, [meetingId]);

  const unban = (ban: Ban): void => {
    if (lifting) return;
    setLifting(ban.id);
    setError(null);
    api.liftBan(meetingId, ban.id).then(
      () => {
        setLifting(null);
        setBans((old) => old?.filter((b) => b.id !== ban.id) ?? old);
      },
      (err: unknown) => {
        setLifting(null);
        setError(errorText(err, t('bans.unbanFailed')));
      },
    );
  };

  return (
    <section className="card meeting-bans" data-testid="meeting-bans" aria-labelledby="meeting-bans-heading">
      <h2 id="meeting-bans-heading">{t('bans.heading')}</h2>
      <p className="field-hint" data-testid="meeting-bans-explainer">
        {t('bans.what')}
      </p>
      {error ? (
        <p className="form-error" role="alert" data-testid="meeting-bans-error">
          {error}
        </p>
      ) : null}
      {bans === null ? (
        error ? null : (
          <span className="spinner" role="img" aria-label={t('common.loading')} />
        )
      ) : bans.length === 0 ? (
        <p data-testid="meeting-bans-empty">{t('bans.none')}</p>
      ) : (
        <ul className="ban-list" data-testid="meeting-ban-list">
          {bans.map((ban) => {
            const at = new Date(ban.createdAt);
            return (
              <li key={ban.id} className="ban-row" data-testid="meeting-ban">
                <span className="ban-text">
                  <span className="ban-name" data-testid="meeting-ban-label">
                    {ban.label ?? t('bans.noLabel')}
                  </span>
                  <span className="field-hint">
                    {ban.matches.includes('account') ? t('bans.matchesAccount') : t('bans.matchesGuest')}
                    {' · '}
                    {t('bans.since', { when: `${formatDay(at)} ${formatTime(at)}` })}
                  </span>
                </span>
                <button
                  type="button"
                  className="secondary-button"
                  data-testid="meeting-unban"
                  disabled={lifting !== null}
                  onClick={() => unban(ban)}
                >
                  {lifting === ban.id ? <span className="spinner small" aria-hidden="true" /> : null}
                  {t('bans.unban')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
