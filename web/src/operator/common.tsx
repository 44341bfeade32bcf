/**
 * Small pieces shared by the console's pages: loading data, showing the server's errors, and the
 * console's words for statuses, demands and targets (i18n/operator/).
 */
import { useEffect, useState } from 'react';
import { ClientError } from '../../../src/client/ClientError.js';
import type { CaseTarget } from '../cases.js';
import { currentLanguage, i18n, t, regionName } from '../i18n/index.js';
import { operatorSessionLost } from './session.js';

/** The server's message, with its code (docs/errors.md) so an operator can look it up. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ClientError) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : t('console.somethingWrong') };
}

/** Reports an error; a lost operator session sends the console back to sign-in. */
export function handleError(error: unknown): { code: string; message: string } {
  const described = describeError(error);
  if (described.code === 'operator_auth_required') operatorSessionLost();
  return described;
}

export function ErrorNote({
  error,
  testId = 'console-error',
}: {
  error: { code: string; message: string } | null;
  testId?: string;
}) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId} data-code={error.code}>
      {errorMessage(error)} <span className="error-code">({error.code})</span>
    </p>
  );
}

/**
 * The server's sentence in English; in another language the translation of its code (the console's
 * own codes, then the app's), else the server's sentence, with the code beside it to look up.
 */
function errorMessage(error: { code: string; message: string }): string {
  if (currentLanguage() === 'en') return error.message;
  for (const key of [`console.errors.${error.code}`, `errors.${error.code}`]) {
    if (i18n.exists(key)) return t(key);
  }
  return error.message;
}

export interface Loaded<T> {
  data: T | null;
  error: { code: string; message: string } | null;
  reload: () => void;
  set: (data: T) => void;
}

/** Loads `load()` now and on `reload()`; `deps` restart it. */
export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
      },
      (err: unknown) => {
        if (live) setError(handleError(err));
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, generation]);
  return { data, error, reload: () => setGeneration((g) => g + 1), set: setData };
}

export function Jurisdiction({ code }: { code: string }) {
  return (
    <span title={regionName(code)}>{t('console.jurisdiction', { country: regionName(code), code })}</span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`setting-badge case-status status-${status}`} data-badge="status">
      {statusLabel(status)}
    </span>
  );
}

/** Today plus `days`, as YYYY-MM-DD (for date inputs). */
export function dateInDays(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** The end of a YYYY-MM-DD day in UTC, as an ISO time. */
export function endOfDay(day: string): string {
  return `${day}T23:59:59.000Z`;
}

export function describeTarget(target: CaseTarget): string {
  if (target.kind === 'meeting') return t('console.target.meeting', { id: target.meetingId });
  if (target.kind === 'host') return t('console.target.host', { id: target.hostAccountId });
  return t('console.target.link', { url: target.url });
}

/** A case status in the console's language ("under review"). */
export function statusLabel(status: string): string {
  return t(`console.status.${status}`, { defaultValue: status.replace('_', ' ') });
}

/** What an authority demanded, in the console's language. */
export function demandText(demand: string): string {
  return t(`console.demands.${demand}`, { defaultValue: demand });
}

/** An operator role in the console's language. */
export function roleLabel(role: string): string {
  return t(`console.roles.${role}`, { defaultValue: role });
}

/** A decision's outcome in the console's language. */
export function outcomeLabel(outcome: string): string {
  return t(`console.outcomes.${outcome}`, { defaultValue: outcome });
}
