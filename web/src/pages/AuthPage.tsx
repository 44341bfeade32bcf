/** `/signup` and `/signin`: create an account or sign in; then on to `?next=` (default My meetings). */
import { useEffect, useState, type FormEvent } from 'react';
import { errorCode } from '../../../src/client/ClientError.js';
import { signIn, signUp, useAccount } from '../account.js';
import { linkProps, navigate } from '../router.js';
import { TopBar } from './TopBar.js';

interface Props {
  mode: 'signin' | 'signup';
  search: URLSearchParams;
}

/** Only in-app paths may be a `next` (never another site). */
function nextPath(search: URLSearchParams): string {
  const next = search.get('next') ?? '';
  return /^\/(?!\/)/.test(next) ? next : '/meetings';
}

function describe(error: unknown, mode: Props['mode']): string {
  switch (errorCode(error)) {
    case 'email_taken':
      return 'An account with this email already exists. Sign in instead?';
    case 'invalid_credentials':
      // Sign-up answers alike for taken addresses; the sign-in that follows it is what fails.
      return mode === 'signup'
        ? 'Could not sign you in. If this email already has an account, sign in with its password.'
        : 'The email or password is not right.';
    case 'rate_limited':
      return 'Too many attempts. Wait a few minutes, then try again.';
    case 'bad_request':
      return mode === 'signup'
        ? 'Check the form: a valid email, a password of 8 to 200 characters and a name.'
        : 'Check the email and password.';
    case 'connection_failed':
      return 'Could not reach the server. Check your connection.';
    default:
      return error instanceof Error ? error.message : 'Something went wrong.';
  }
}

export function AuthPage({ mode, search }: Props) {
  const { status } = useAccount();
  const next = nextPath(search);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signup = mode === 'signup';

  useEffect(() => {
    if (status === 'signedIn' && !busy) navigate(next, { replace: true });
  }, [status, busy, next]);

  const passwordProblem =
    signup && password.length > 0 && password.length < 8 ? 'Use at least 8 characters.' : null;
  const complete =
    email.trim() !== '' && password !== '' && (!signup || (name.trim() !== '' && !passwordProblem));

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!complete || busy) return;
    setBusy(true);
    setError(null);
    const done = signup ? signUp(email.trim(), password, name.trim()) : signIn(email.trim(), password);
    done.then(
      () => navigate(next, { replace: true }),
      (err: unknown) => {
        setError(describe(err, mode));
        setBusy(false);
      },
    );
  };

  const other = signup ? '/signin' : '/signup';
  const otherHref = search.get('next') ? `${other}?next=${encodeURIComponent(next)}` : other;
  return (
    <div className="page">
      <TopBar />
      <main className="auth-main">
        <form className="card auth-card" onSubmit={submit} noValidate>
          <h1>{signup ? 'Create your account' : 'Sign in'}</h1>
          <p className="card-lead">
            {signup
              ? 'Schedule meetings, keep their settings and be recognised as the host.'
              : 'Welcome back. Hosts sign in to manage their meetings.'}
          </p>
          {signup ? (
            <label className="field">
              <span className="field-label">Your name</span>
              <input
                data-testid="signup-name"
                type="text"
                autoComplete="name"
                maxLength={64}
                required
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
          ) : null}
          <label className="field">
            <span className="field-label">Email</span>
            <input
              data-testid={signup ? 'signup-email' : 'signin-email'}
              type="email"
              autoComplete="email"
              maxLength={254}
              required
              autoFocus={!signup}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input
              data-testid={signup ? 'signup-password' : 'signin-password'}
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              maxLength={200}
              required
              value={password}
              aria-invalid={passwordProblem ? 'true' : undefined}
              onChange={(event) => setPassword(event.target.value)}
            />
            {signup ? (
              <span className={`field-hint${passwordProblem ? ' invalid' : ''}`}>
                {passwordProblem ?? 'At least 8 characters.'}
              </span>
            ) : null}
          </label>
          {error ? (
            <p className="form-error" role="alert" data-testid="error-message">
              {error}
            </p>
          ) : null}
          <button
            type="submit"
            className="primary-button large wide"
            data-testid={signup ? 'signup-submit' : 'signin-submit'}
            disabled={!complete || busy}
          >
            {busy ? <span className="spinner small" aria-hidden="true" /> : null}
            {signup ? 'Create account' : 'Sign in'}
          </button>
          <p className="card-foot">
            {signup ? 'Already have an account?' : 'New to Convene?'}{' '}
            <a {...linkProps(otherHref)}>{signup ? 'Sign in' : 'Create an account'}</a>
          </p>
        </form>
      </main>
    </div>
  );
}
