/**
 * What the case modules share: ids, the operator roles each step needs, a case by reference, and how a
 * case target becomes the scope of a restriction (and of a bus message).
 */
import { randomBytes } from 'node:crypto';
import type { BusRestriction } from '../../bus/types.js';
import { ConveneError } from '../../errors.js';
import type {
  CaseRow,
  CaseTarget,
  Operator,
  OperatorRole,
  Repos,
  RestrictionRow,
} from '../../store/types.js';
import type { Actor } from './record.js';

export const MAX_GAG_DAYS = 180;
export const DAY = 86_400_000;
export const newId = () => randomBytes(12).toString('base64url');

const ROLE_MAY: Record<'record' | 'decide' | 'manage', readonly OperatorRole[]> = {
  record: ['intake', 'admin'],
  decide: ['reviewer', 'admin'],
  manage: ['admin'],
};

export function requireRole(op: Operator, what: keyof typeof ROLE_MAY): void {
  if (!ROLE_MAY[what].includes(op.role)) throw new ConveneError('operator_forbidden');
}

export const asOperator = (op: Operator): Actor => ({ kind: 'operator', id: op.id });

export async function caseByRef(repos: Repos, ref: string): Promise<CaseRow> {
  const c = await repos.cases.getByRef(ref);
  if (!c) throw new ConveneError('not_found', 'No such case.');
  return c;
}

export function restrictionScope(t: CaseTarget): RestrictionRow['scope'] | undefined {
  if (t.kind === 'meeting') return { kind: 'meeting', meetingId: t.meetingId };
  if (t.kind === 'host') return { kind: 'host', hostAccountId: t.hostAccountId };
  return undefined;
}

export function toBus(r: RestrictionRow & { caseRef: string }): BusRestriction {
  return {
    id: r.id,
    caseId: r.caseId,
    caseRef: r.caseRef,
    jurisdiction: r.jurisdiction,
    scope: r.scope,
    expiresAt: r.expiresAt.toISOString(),
  };
}

export function countKind(targets: readonly CaseTarget[], kind: CaseTarget['kind']): number {
  return targets.filter((t) => t.kind === kind).length;
}
