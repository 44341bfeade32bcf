/**
 * The published transparency report against the one recomputed from the log's public entries. The
 * server publishes with each report the log size its figures were read with (`logSize`, same
 * database snapshot), so the auditor recomputes from exactly those entries, as of the report's time.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LogEntry } from '../app/transparency/logEntry.js';
import { reportFromEntries, type TransparencyReport } from '../app/transparency/report.js';
import type { Check } from './audit.js';

/** A published report not covered by the signed log yet: worth fetching the checkpoint again. */
export class ReportAheadError extends Error {}

/** Where each published report is read from: a server's API, or `report-<period>.json` in a mirror. */
export type ReportFetcher = (period: 'half-year' | 'year') => Promise<TransparencyReport | undefined>;

export function httpReports(base: URL, doFetch: typeof fetch = fetch): ReportFetcher {
  return async (period) => {
    const res = await doFetch(new URL(`/api/transparency/report?period=${period}`, base), {
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`report: HTTP ${res.status}`);
    return (await res.json()) as TransparencyReport;
  };
}

export function dirReports(dir: string): ReportFetcher {
  return async (period) => {
    try {
      return JSON.parse(
        await readFile(path.join(dir, `report-${period}.json`), 'utf8'),
      ) as TransparencyReport;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
}

/** The first few differences between two JSON values, as paths. */
function differences(a: unknown, b: unknown, at = '', out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    if (a !== b) out.push(`${at || '/'}: published ${JSON.stringify(b)}, log says ${JSON.stringify(a)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const label = Array.isArray(a) ? `[${k}]` : `.${k}`;
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at + label, out);
  }
  return out;
}

export async function reportChecks(entries: readonly LogEntry[], reports: ReportFetcher): Promise<Check[]> {
  const checks: Check[] = [];
  for (const period of ['half-year', 'year'] as const) {
    const name = `report (${period})`;
    const published = await reports(period);
    if (!published) {
      checks.push({ name, ok: true, detail: 'none published at this source: not compared' });
      continue;
    }
    const { logSize, ...figures } = published;
    if (typeof logSize !== 'number' || !Number.isSafeInteger(logSize) || logSize < 0) {
      checks.push({ name, ok: false, detail: 'the published report does not say which log size it matches' });
      continue;
    }
    if (logSize > entries.length) {
      throw new ReportAheadError(`the report covers ${logSize} entries, the signed log ${entries.length}`);
    }
    let recomputed;
    try {
      recomputed = reportFromEntries(entries.slice(0, logSize), { period, asOf: new Date(published.asOf) });
    } catch (err) {
      // The entries themselves do not add up (e.g. a decision for a case never recorded).
      checks.push({
        name,
        ok: false,
        detail: `the log's entries are inconsistent: ${(err as Error).message}`,
      });
      continue;
    }
    const diff = differences(recomputed, figures);
    checks.push({
      name,
      ok: diff.length === 0,
      detail:
        diff.length === 0
          ? `${published.periods.length} periods recomputed from the first ${logSize} entries: equal`
          : `differs from the log: ${diff.join('; ')}`,
    });
  }
  return checks;
}
