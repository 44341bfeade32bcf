/** `/signup` and `/signin`: create an account or sign in; then on to `?next=` (default My meetings). */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCode } from '../../../src/client/ClientError.js';
import { signIn, signUp, useAccount } from '../account.js';
import { errorText } from '../errorText.js';
import { t as translate } from '../i18n/index.js';
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
      return translate('auth.emailTaken');
    case 'invalid_credentials':
      // Sign-up answers alike for taken addresses; the sign-in that follows it is what fails.
      return mode === 'signup'
        ? translate('auth.signupThenSigninFailed')
        : translate('auth.invalidCredentials');
    case 'rate_limited':
      return translate('auth.rateLimited');
    case 'bad_request':
      return mode === 'signup' ? translate('auth.badSignup') : translate('auth.badSignin');
    case 'connection_failed':
      return translate('auth.offline');
    default:
      return errorText(error, translate('common.somethingWrong'));
  }
}

export function AuthPage({ mode, search }: Props) {
  const { t } = useTranslation();
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
    signup && password.length > 0 && password.length < 8 ? t('auth.passwordShort') : null;
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
          <h1>{signup ? t('auth.createTitle') : t('auth.signinTitle')}</h1>
          <p className="card-lead">{signup ? t('auth.createLead') : t('auth.signinLead')}</p>
          {signup ? (
            <label className="field">
              <span className="field-label">{t('auth.name')}</span>
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
            <span className="field-label">{t('auth.email')}</span>
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
            <span className="field-label">{t('auth.password')}</span>
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
                {passwordProblem ?? t('auth.passwordHint')}
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
            {signup ? t('auth.createSubmit') : t('auth.signinSubmit')}
          </button>
          <p className="card-foot">
            {signup ? t('auth.haveAccount') : t('auth.newHere')}{' '}
            <a {...linkProps(otherHref)}>{signup ? t('auth.toSignin') : t('auth.toSignup')}</a>
          </p>
        </form>
      </main>
    </div>
  );
}
