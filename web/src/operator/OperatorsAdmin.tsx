/** `/operator/operators` (admins): list operators, add one (shows the one-time enrolment link), disable. */
import { useState, type FormEvent } from 'react';
import { formatDate, OPERATOR_ROLES, operatorApi, type Operator, type OperatorRole } from '../cases.js';
import { describeError, ErrorNote, useLoaded } from './common.js';

export function OperatorsAdmin({ operator }: { operator: Operator }) {
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
      <h1 id="operators-title">Operators</h1>
      {operator.role !== 'admin' ? <p className="field-hint">Only administrators manage operators.</p> : null}
      <ErrorNote error={error ?? actionError} />
      {operators ? (
        <table className="console-table" data-testid="operator-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
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
                <td>{o.role}</td>
                <td>{o.disabled ? 'disabled' : o.enrolled ? 'active' : 'not enrolled yet'}</td>
                <td>{formatDate(o.createdAt)}</td>
                <td>
                  {o.disabled || o.id === operator.id ? null : (
                    <button
                      type="button"
                      className="text-button danger-text"
                      data-testid="operator-disable"
                      aria-label={`Disable ${o.email}`}
                      disabled={busy}
                      onClick={() => run(operatorApi.disableOperator(o.id))}
                    >
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="card console-section console-form" onSubmit={add} noValidate>
        <h2>Add an operator</h2>
        <label className="field">
          <span className="field-label">Email</span>
          <input
            data-testid="operator-add-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Name</span>
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
          <span className="field-label">Role</span>
          <select
            data-testid="operator-add-role"
            value={role}
            onChange={(e) => setRole(OPERATOR_ROLES.find((r) => r === e.target.value) ?? 'reviewer')}
          >
            {OPERATOR_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
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
            Add
          </button>
        </div>
        {link ? (
          <p role="status">
            Give this one-time enrolment link to the new operator (shown once, valid 72 hours):{' '}
            <code className="console-wrap" data-testid="operator-enrolment-link">
              {link}
            </code>
          </p>
        ) : null}
      </form>
    </section>
  );
}
