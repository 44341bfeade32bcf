/**
 * `/operator/enrol#token=...`: a new operator sets a password, adds the TOTP secret to an
 * authenticator app (shown as text and as an otpauth URI) and confirms with a code.
 */
import { useState, type FormEvent } from 'react';
import { operatorApi } from '../cases.js';
import { linkProps } from '../router.js';
import { describeError, ErrorNote } from './common.js';

function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function OperatorEnrol() {
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
        <h1>Enrolment</h1>
        <p className="form-error" role="alert" data-testid="console-error">
          This page needs the enrolment link an administrator gave you.
        </p>
      </div>
    );
  }
  if (done) {
    return (
      <div className="card auth-card" data-testid="enrol-done">
        <h1>You are enrolled</h1>
        <p className="card-lead">Sign in with your email, password and a one-time code.</p>
        <a className="primary-button large wide" {...linkProps('/operator')}>
          Go to sign-in
        </a>
      </div>
    );
  }
  if (!secret) {
    return (
      <form className="card auth-card" onSubmit={submitPassword} noValidate>
        <h1>Set up your operator account</h1>
        <label className="field">
          <span className="field-label">Password</span>
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
          <span className="field-hint">At least 12 characters.</span>
        </label>
        <ErrorNote error={error} />
        <button
          type="submit"
          className="primary-button large wide"
          data-testid="enrol-submit"
          disabled={password.length < 12 || busy}
        >
          Continue
        </button>
      </form>
    );
  }
  return (
    <form className="card auth-card" onSubmit={confirm} noValidate>
      <h1>Add Convene to your authenticator app</h1>
      <p className="card-lead">Enter this secret in the app (or open the link on the device that has it).</p>
      <dl className="console-facts">
        <dt>Secret</dt>
        <dd>
          <code data-testid="enrol-secret">{secret.totpSecret}</code>
        </dd>
        <dt>Link</dt>
        <dd>
          <code className="console-wrap" data-testid="enrol-uri">
            {secret.otpauthUri}
          </code>
        </dd>
      </dl>
      <label className="field">
        <span className="field-label">One-time code from the app</span>
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
        Confirm
      </button>
    </form>
  );
}
