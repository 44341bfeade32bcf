/** Operator sign-in: email, password and the 6-digit one-time code from the authenticator app. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, ErrorNote } from './common.js';
import { operatorSignIn } from './session.js';

export function OperatorSignIn() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const complete = email.trim() !== '' && password !== '' && /^\d{6}$/.test(code);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!complete || busy) return;
    setBusy(true);
    setError(null);
    operatorSignIn(email.trim(), password, code).catch((err: unknown) => {
      setError(describeError(err));
      setCode('');
      setBusy(false);
    });
  };

  return (
    <form className="card auth-card" onSubmit={submit} noValidate data-testid="operator-signin-form">
      <h1>{t('console.signIn.title')}</h1>
      <p className="card-lead">{t('console.signIn.lead')}</p>
      <label className="field">
        <span className="field-label">{t('console.signIn.email')}</span>
        <input
          data-testid="operator-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t('console.signIn.password')}</span>
        <input
          data-testid="operator-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t('console.signIn.code')}</span>
        <input
          data-testid="operator-code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
        />
        <span className="field-hint">{t('console.signIn.codeHint')}</span>
      </label>
      <ErrorNote error={error} />
      <button
        type="submit"
        className="primary-button large wide"
        data-testid="operator-signin"
        disabled={!complete || busy}
      >
        {t('console.signIn.submit')}
      </button>
    </form>
  );
}
