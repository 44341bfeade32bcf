/** `/operator/operators` (admins): list operators, add one (shows the one-time enrolment link), disable. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, OPERATOR_ROLES, operatorApi, type Operator, type OperatorRole } from '../cases.js';
import { describeError, ErrorNote, roleLabel, useLoaded } from './common.js';

export function OperatorsAdmin({ operator }: { operator: Operator }) {
  const { t } = useTranslation();
  const { data: operators, error, reload } = useLoaded(() => operatorApi.operators(), []);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<OperatorRole>('reviewer');
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<{ code: string; message: string } | null>(null);

  const run = (work: Promise<void>): void => {
    setBusy(true);
    setActionError(null);
    work.then(
      () => {
        setBusy(false);
        reload();
      },
      (err: unknown) => {
        setActionError(describeError(err));
        setBusy(false);
      },
    );
  };
  const add = (event: FormEvent): void => {
    event.preventDefault();
    if (!email.trim() || !name.trim() || busy) return;
    run(
      operatorApi.addOperator({ email: email.trim(), displayName: name.trim(), role }).then((reply) => {
        setLink(reply.enrolmentUrl);
        setEmail('');
        setName('');
      }),
    );
  };

  return (
    <section aria-labelledby="operators-title">
      <h1 id="operators-title">{t('console.admin.title')}</h1>
      {operator.role !== 'admin' ? <p className="field-hint">{t('console.admin.adminsOnly')}</p> : null}
      <ErrorNote error={error ?? actionError} />
      {operators ? (
        <table className="console-table" data-testid="operator-list">
          <thead>
            <tr>
              <th scope="col">{t('console.admin.name')}</th>
              <th scope="col">{t('console.admin.email')}</th>
              <th scope="col">{t('console.admin.role')}</th>
              <th scope="col">{t('console.admin.state')}</th>
              <th scope="col">{t('console.admin.added')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('console.admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {operators.map((o) => (
              <tr
                key={o.id}
                data-testid="operator-row"
                data-email={o.email}
                data-disabled={o.disabled ? 'true' : 'false'}
              >
                <td>{o.displayName}</td>
                <td>{o.email}</td>
                <td>{roleLabel(o.role)}</td>
                <td>
                  {o.disabled
                    ? t('console.admin.disabled')
                    : o.enrolled
                      ? t('console.admin.active')
                      : t('console.admin.notEnrolled')}
                </td>
                <td>{formatDate(o.createdAt)}</td>
                <td>
                  {o.disabled || o.id === operator.id ? null : (
                    <button
                      type="button"
                      className="text-button danger-text"
                      data-testid="operator-disable"
                      aria-label={t('console.admin.disableWho', { email: o.email })}
                      disabled={busy}
                      onClick={() => run(operatorApi.disableOperator(o.id))}
                    >
                      {t('console.admin.disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="card console-section console-form" onSubmit={add} noValidate>
        <h2>{t('console.admin.addTitle')}</h2>
        <label className="field">
          <span className="field-label">{t('console.admin.email')}</span>
          <input
            data-testid="operator-add-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('console.admin.name')}</span>
          <input
            data-testid="operator-add-name"
            type="text"
            maxLength={64}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('console.admin.role')}</span>
          <select
            data-testid="operator-add-role"
            value={role}
            onChange={(e) => setRole(OPERATOR_ROLES.find((r) => r === e.target.value) ?? 'reviewer')}
          >
            {OPERATOR_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button
            type="submit"
            className="primary-button"
            data-testid="operator-add"
            disabled={!email.trim() || !name.trim() || busy}
          >
            {t('console.admin.add')}
          </button>
        </div>
        {link ? (
          <p role="status">
            {t('console.admin.enrolmentLink')}{' '}
            <code className="console-wrap" data-testid="operator-enrolment-link">
              {link}
            </code>
          </p>
        ) : null}
      </form>
    </section>
  );
}
