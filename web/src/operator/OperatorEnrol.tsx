/**
 * `/operator/enrol#token=...`: a new operator sets a password, adds the TOTP secret to an
 * authenticator app (shown as text and as an otpauth URI) and confirms with a code.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { operatorApi } from '../cases.js';
import { linkProps } from '../router.js';
import { describeError, ErrorNote } from './common.js';

function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function OperatorEnrol() {
  const { t } = useTranslation();
  const [token] = useState(tokenFromHash);
  const [password, setPassword] = useState('');
  const [secret, setSecret] = useState<{ totpSecret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const run = (work: Promise<void>): void => {
    setBusy(true);
    setError(null);
    work.then(
      () => setBusy(false),
      (err: unknown) => {
        setError(describeError(err));
        setBusy(false);
      },
    );
  };
  const submitPassword = (event: FormEvent): void => {
    event.preventDefault();
    if (password.length < 12 || busy) return;
    run(operatorApi.enrol(token, password).then(setSecret));
  };
  const confirm = (event: FormEvent): void => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code) || busy) return;
    run(operatorApi.confirmEnrolment(token, code).then(() => setDone(true)));
  };

  if (!token) {
    return (
      <div className="card auth-card">
        <h1>{t('console.enrol.title')}</h1>
        <p className="form-error" role="alert" data-testid="console-error">
          {t('console.enrol.needsLink')}
        </p>
      </div>
    );
  }
  if (done) {
    return (
      <div className="card auth-card" data-testid="enrol-done">
        <h1>{t('console.enrol.doneTitle')}</h1>
        <p className="card-lead">{t('console.enrol.doneLead')}</p>
        <a className="primary-button large wide" {...linkProps('/operator')}>
          {t('console.enrol.toSignIn')}
        </a>
      </div>
    );
  }
  if (!secret) {
    return (
      <form className="card auth-card" onSubmit={submitPassword} noValidate>
        <h1>{t('console.enrol.setUp')}</h1>
        <label className="field">
          <span className="field-label">{t('console.enrol.password')}</span>
          <input
            data-testid="enrol-password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            maxLength={200}
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <span className="field-hint">{t('console.enrol.passwordHint')}</span>
        </label>
        <ErrorNote error={error} />
        <button
          type="submit"
          className="primary-button large wide"
          data-testid="enrol-submit"
          disabled={password.length < 12 || busy}
        >
          {t('console.enrol.continue')}
        </button>
      </form>
    );
  }
  return (
    <form className="card auth-card" onSubmit={confirm} noValidate>
      <h1>{t('console.enrol.addApp')}</h1>
      <p className="card-lead">{t('console.enrol.addLead')}</p>
      <dl className="console-facts">
        <dt>{t('console.enrol.secret')}</dt>
        <dd>
          <code data-testid="enrol-secret">{secret.totpSecret}</code>
        </dd>
        <dt>{t('console.enrol.link')}</dt>
        <dd>
          <code className="console-wrap" data-testid="enrol-uri">
            {secret.otpauthUri}
          </code>
        </dd>
      </dl>
      <label className="field">
        <span className="field-label">{t('console.enrol.code')}</span>
        <input
          data-testid="enrol-code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
        />
      </label>
      <ErrorNote error={error} />
      <button
        type="submit"
        className="primary-button large wide"
        data-testid="enrol-confirm"
        disabled={!/^\d{6}$/.test(code) || busy}
      >
        {t('console.enrol.confirm')}
      </button>
    </form>
  );
}
