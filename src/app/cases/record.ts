/**
 * The one recording function: every operator action (and every host or system step of a case) is
 * appended to the operator record here, inside the caller's transaction, so the record and the state
 * change it describes commit together or not at all. Nothing else writes `operator_record`. The
 * tamper-evident log (issue 7) is built on exactly these entries.
 *
 * `details` is what the public may see (what a case's public notice carries). `private` holds what
 * must stay private (evidence notes, an operator's identity, a host's identity without consent): the
 * entry carries only a salted SHA-256 digest of it, so the record proves it existed without
 * publishing it; the salt and the private details stay in the operator's database.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Repos } from '../../store/types.js';
import { appendToLog } from '../transparency/log.js';
import { encodeLogEntry, logEntryOf } from '../transparency/logEntry.js';

export type RecordedAction =
  | 'operator.added'
  | 'operator.enrolled'
  | 'operator.disabled'
  | 'case.recorded'
  | 'case.review_started'
  | 'case.decided'
  | 'restriction.added'
  | 'restriction.lifted'
  | 'gag.set'
  | 'gag.ended'
  | 'notice.delivered'
  | 'notice.consent'
  | 'appeal.filed'
  | 'appeal.decided'
  | 'case.expired'
  | 'withholding.enforced';

/** Who acted: an operator (by its opaque id), a host (never named here), or the system (timers, sweeps). */
export type Actor = { kind: 'operator'; id: string } | { kind: 'host' } | { kind: 'system' };

export interface ActionRecord {
  actor: Actor;
  action: RecordedAction;
  caseRef?: string | undefined;
  details: Record<string, unknown>;
  private?: Record<string, unknown> | undefined;
}

export function actorString(actor: Actor): string {
  return actor.kind === 'operator' ? `operator:${actor.id}` : actor.kind;
}

/** Salted digest of private details: `sha256:<hex>` of salt || canonical JSON. */
export function privateDigest(salt: string, details: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(salt).update(canonicalJson(details)).digest('hex')}`;
}

/**
 * Appends one entry in the caller's transaction, to the operator record and to the tamper-evident log
 * (src/app/transparency/log.ts); resolves with its sequence number.
 */
export async function recordAction(tx: Repos, entry: ActionRecord, at = new Date()): Promise<number> {
  const salt = entry.private ? randomBytes(16).toString('base64url') : undefined;
  const index = await tx.ledger.lockSize();
  const row = {
    at,
    actor: actorString(entry.actor),
    action: entry.action,
    caseRef: entry.caseRef ?? null,
    details: entry.details,
    privateDigest: entry.private && salt ? privateDigest(salt, entry.private) : null,
    logIndex: index,
  };
  const seq = await tx.record.append(
    row,
    entry.private && salt ? { salt, details: entry.private } : undefined,
  );
  await appendToLog(tx, index, [encodeLogEntry(logEntryOf(row, index))]);
  return seq;
}

/** JSON with object keys sorted, so the same details always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
