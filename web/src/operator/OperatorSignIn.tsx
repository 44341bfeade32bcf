/** Operator sign-in: email, password and the 6-digit one-time code from the authenticator app. */
import { useState, type FormEvent } from 'react';
import { describeError, ErrorNote } from './common.js';
import { operatorSignIn } from './session.js';

export function OperatorSignIn() {
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
      <h1>Operator sign-in</h1>
      <p className="card-lead">
        For the people who handle authorities’ demands. Host accounts do not work here.
      </p>
      <label className="field">
        <span className="field-label">Email</span>
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
        <span className="field-label">Password</span>
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
        <span className="field-label">One-time code</span>
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
        <span className="field-hint">The 6 digits your authenticator app shows now.</span>
      </label>
      <ErrorNote error={error} />
      <button
        type="submit"
        className="primary-button large wide"
        data-testid="operator-signin"
        disabled={!complete || busy}
      >
        Sign in
      </button>
    </form>
  );
}
