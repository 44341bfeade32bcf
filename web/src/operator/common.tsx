/** Small pieces shared by the console's pages: loading data, showing the server's errors. */
import { useEffect, useState } from 'react';
import { ClientError } from '../../../src/client/ClientError.js';
import type { CaseTarget } from '../cases.js';
import { countryName } from '../countries.js';
import { operatorSessionLost } from './session.js';

/** The server's message, with its code (docs/errors.md) so an operator can look it up. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ClientError) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : 'Something went wrong.' };
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
      {error.message} <span className="error-code">({error.code})</span>
    </p>
  );
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
    <span title={countryName(code)}>
      {countryName(code)} ({code})
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`setting-badge case-status status-${status}`} data-badge="status">
      {status.replace('_', ' ')}
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
  if (target.kind === 'meeting') return `Meeting ${target.meetingId}`;
  if (target.kind === 'host') return `All meetings of host account ${target.hostAccountId}`;
  return `Link ${target.url}`;
}
