/** The slim header outside the meeting room: the brand, and the account (sign in, My meetings, sign out). */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { signOut, useAccount } from '../account.js';
import { Avatar } from '../components/Avatar.js';
import { Logo } from '../components/Icons.js';
import { LanguageSelect, ThemeSelect } from '../components/Preferences.js';
import { focusFirstItem, menuKeyDown } from '../menuKeys.js';
import { linkProps, navigate } from '../router.js';

export function TopBar() {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <a className="brand" aria-label={t('nav.home')} {...linkProps('/')}>
        <Logo />
        <span aria-hidden="true">Convene</span>
      </a>
      <div className="topbar-end">
        <a
          className="text-button nav-link topbar-transparency"
          data-testid="nav-transparency"
          {...linkProps('/transparency')}
        >
          {t('nav.transparency')}
        </a>
        <LanguageSelect />
        <ThemeSelect className="hide-narrow" />
        <AccountArea />
      </div>
    </header>
  );
}

function AccountArea() {
  const { t } = useTranslation();
  const { status, account } = useAccount();
  if (status === 'loading') return <nav className="topbar-nav" aria-busy="true" />;
  if (!account) {
    return (
      <nav className="topbar-nav">
        <a className="text-button nav-link" data-testid="nav-signin" {...linkProps('/signin')}>
          {t('nav.signin')}
        </a>
        <a className="secondary-button nav-signup" data-testid="nav-signup" {...linkProps('/signup')}>
          {t('nav.signup')}
        </a>
      </nav>
    );
  }
  return (
    <nav className="topbar-nav">
      <a className="text-button nav-link" data-testid="my-meetings" {...linkProps('/meetings')}>
        {t('nav.myMeetings')}
      </a>
      <AccountMenu name={account.displayName} email={account.email} seed={account.id} />
    </nav>
  );
}

function AccountMenu({ name, email, seed }: { name: string; email: string; seed: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    focusFirstItem(ref.current?.querySelector<HTMLElement>('[role="menu"]') ?? null);
    const onDown = (event: MouseEvent): void => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const onSignOut = (): void => {
    setBusy(true);
    signOut().then(
      () => navigate('/'),
      () => setBusy(false),
    );
  };
  return (
    <div className="account-menu" ref={ref}>
      <button
        type="button"
        ref={buttonRef}
        className="account-button"
        data-testid="account-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <Avatar name={name} seed={seed} size={30} />
        <span className="account-name">{name}</span>
      </button>
      {open ? (
        <div className="menu account-dropdown" role="menu" onKeyDown={menuKeyDown}>
          <div className="menu-header">
            <strong>{name}</strong>
            <span>{email}</span>
          </div>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            data-testid="signout"
            disabled={busy}
            onClick={onSignOut}
          >
            {t('nav.signout')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
