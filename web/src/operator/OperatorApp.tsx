/**
 * The operator console (`/operator/...`): separate from host accounts, signed in with a password and
 * a one-time code. Enrolment needs no session; every other page shows the sign-in form until signed in.
 */
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Logo } from '../components/Icons.js';
import { linkProps, navigate, type OperatorPage } from '../router.js';
import { AppealsQueue } from './AppealsQueue.js';
import { CaseIntake } from './CaseIntake.js';
import { CaseList } from './CaseList.js';
import { CaseReview } from './CaseReview.js';
import { OperatorEnrol } from './OperatorEnrol.js';
import { OperatorSignIn } from './OperatorSignIn.js';
import { OperatorsAdmin } from './OperatorsAdmin.js';
import { roleLabel } from './common.js';
import { loadOperator, operatorSignOut, useOperator } from './session.js';

export function OperatorApp({ page }: { page: OperatorPage }) {
  const { t } = useTranslation();
  const { status, operator } = useOperator();
  useEffect(() => {
    if (page.kind !== 'enrol') void loadOperator();
  }, [page.kind]);
  if (page.kind === 'enrol') {
    return (
      <ConsoleShell>
        <OperatorEnrol />
      </ConsoleShell>
    );
  }
  if (status === 'loading') {
    return (
      <ConsoleShell>
        <span className="spinner" role="img" aria-label={t('console.loading')} />
      </ConsoleShell>
    );
  }
  if (!operator) {
    return (
      <ConsoleShell>
        <OperatorSignIn />
      </ConsoleShell>
    );
  }
  const nav = (
    <nav className="topbar-nav console-nav" aria-label={t('console.nav')}>
      <a className="text-button nav-link" data-testid="console-nav-cases" {...linkProps('/operator')}>
        {t('console.cases')}
      </a>
      {operator.role !== 'reviewer' ? (
        <a
          className="text-button nav-link"
          data-testid="console-nav-new"
          {...linkProps('/operator/cases/new')}
        >
          {t('console.newCase')}
        </a>
      ) : null}
      <a
        className="text-button nav-link"
        data-testid="console-nav-appeals"
        {...linkProps('/operator/appeals')}
      >
        {t('console.navAppeals')}
      </a>
      {operator.role === 'admin' ? (
        <a
          className="text-button nav-link"
          data-testid="console-nav-operators"
          {...linkProps('/operator/operators')}
        >
          {t('console.operators')}
        </a>
      ) : null}
      <span className="console-who" data-testid="console-operator" data-role={operator.role}>
        {t('console.who', { name: operator.displayName, role: roleLabel(operator.role) })}
      </span>
      <button
        type="button"
        className="text-button"
        data-testid="operator-signout"
        onClick={() =>
          void operatorSignOut().then(
            () => navigate('/operator'),
            () => navigate('/operator'),
          )
        }
      >
        {t('console.signOut')}
      </button>
    </nav>
  );
  return (
    <ConsoleShell nav={nav}>
      {page.kind === 'cases' ? <CaseList /> : null}
      {page.kind === 'newCase' ? <CaseIntake /> : null}
      {page.kind === 'case' ? <CaseReview key={page.ref} caseRef={page.ref} operator={operator} /> : null}
      {page.kind === 'appeals' ? <AppealsQueue operator={operator} /> : null}
      {page.kind === 'operators' ? <OperatorsAdmin operator={operator} /> : null}
    </ConsoleShell>
  );
}

function ConsoleShell({ nav, children }: { nav?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="page console-page">
      <header className="topbar">
        <a className="brand" {...linkProps('/operator')}>
          <Logo />
          <span>{t('console.brand')}</span>
        </a>
        {nav}
      </header>
      <main className="console-main">{children}</main>
    </div>
  );
}
