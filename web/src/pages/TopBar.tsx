/** The slim header outside the meeting room: the brand, and the account (sign in, My meetings, sign out). */
import { useEffect, useRef, useState } from 'react';
import { signOut, useAccount } from '../account.js';
import { Avatar } from '../components/Avatar.js';
import { Logo } from '../components/Icons.js';
import { linkProps, navigate } from '../router.js';

export function TopBar() {
  return (
    <header className="topbar">
      <a className="brand" {...linkProps('/')}>
        <Logo />
        <span>Convene</span>
      </a>
      <a
        className="text-button nav-link topbar-transparency"
        data-testid="nav-transparency"
        {...linkProps('/transparency')}
      >
        Transparency
      </a>
      <AccountArea />
    </header>
  );
}

function AccountArea() {
  const { status, account } = useAccount();
  if (status === 'loading') return <nav className="topbar-nav" aria-busy="true" />;
  if (!account) {
    return (
      <nav className="topbar-nav">
        <a className="text-button nav-link" data-testid="nav-signin" {...linkProps('/signin')}>
          Sign in
        </a>
        <a className="secondary-button nav-signup" data-testid="nav-signup" {...linkProps('/signup')}>
          Sign up
        </a>
      </nav>
    );
  }
  return (
    <nav className="topbar-nav">
      <a className="text-button nav-link" data-testid="my-meetings" {...linkProps('/meetings')}>
        My meetings
      </a>
      <AccountMenu name={account.displayName} email={account.email} seed={account.id} />
    </nav>
  );
}

function AccountMenu({ name, email, seed }: { name: string; email: string; seed: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent): void => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setOpen(false);
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
        <div className="menu account-dropdown" role="menu">
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
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
