/**
 * The decision on a case: rejected, or withheld in the case's jurisdiction for chosen targets (never
 * ending a meeting, suspending an account or disclosing data), with an expiry and optionally a gag
 * order. The restrictions, counts, host notices and record entries commit in one transaction; the bus
 * then tells every node.
 */
import type { Bus } from '../../bus/types.js';
import { ConveneError } from '../../errors.js';
import type { Operator, RestrictionRow, Store } from '../../store/types.js';
import {
  DAY,
  MAX_GAG_DAYS,
  asOperator,
  caseByRef,
  newId,
  requireRole,
  restrictionScope,
  toBus,
} from './caseCommon.js';
import type { DecisionInput } from './CaseService.js';
import { queueHostNotices } from './HostNotices.js';
import { recordAction } from './record.js';
import { NO_ACTION_FOR } from './views.js';

export interface DecisionContext {
  readonly store: Store;
  readonly bus: Bus;
  readonly maxRestrictionDays: number;
}

/** Decides case `ref`; resolves when every node has been told. */
export async function decide(
  ctx: DecisionContext,
  ref: string,
  op: Operator,
  input: DecisionInput,
): Promise<void> {
  requireRole(op, 'decide');
  const now = new Date();
  if (input.outcome === 'withhold')
    checkDates(ctx.maxRestrictionDays, now, input.expiresAt, input.gag?.until);
  const { c, added } = await ctx.store.transaction(async (tx) => {
    const c = await caseByRef(tx, ref);
    if (c.recordedBy === op.id) throw new ConveneError('same_operator');
    if (c.status !== 'received' && c.status !== 'under_review') throw new ConveneError('case_state');
    const notDone = c.demands.filter((d) => NO_ACTION_FOR.includes(d));
    if (input.outcome === 'rejected') {
      const decision = {
        outcome: 'rejected' as const,
        reason: input.reason,
        decidedBy: op.id,
        decidedAt: now.toISOString(),
        expiresAt: null,
        targets: [],
        notDone: c.demands,
      };
      await tx.cases.update(c.id, { status: 'decided', reviewer: op.id, decision });
      await recordAction(tx, {
        actor: asOperator(op),
        action: 'case.decided',
        caseRef: c.ref,
        details: {
          outcome: 'rejected',
          jurisdiction: c.jurisdiction,
          demanded: c.demands,
          notDone: c.demands,
          meetings: 0,
        },
        private: { reason: input.reason },
      });
      return { c: { ...c, status: 'decided' as const, decision }, added: [] as RestrictionRow[] };
    }
    const chosen = [...new Set(input.targets)];
    const scopes = chosen.map((i) => {
      const target = c.targets[i];
      const scope = target && restrictionScope(target);
      if (!scope)
        throw new ConveneError('bad_request', `Target ${i} cannot be withheld (not a meeting or host).`);
      return scope;
    });
    if (scopes.length === 0) throw new ConveneError('bad_request', 'Choose at least one target to withhold.');
    const actionable = c.targets.filter((t) => restrictionScope(t) !== undefined).length;
    const outcome = chosen.length >= actionable ? ('withheld' as const) : ('partial' as const);
    const added: RestrictionRow[] = scopes.map((scope) => ({
      id: newId(),
      caseId: c.id,
      jurisdiction: c.jurisdiction,
      scope,
      createdAt: now,
      expiresAt: input.expiresAt,
      liftedAt: null,
      liftReason: null,
    }));
    let meetings = 0;
    for (const r of added) {
      await tx.restrictions.create(r);
      meetings +=
        r.scope.kind === 'meeting' ? 1 : (await tx.meetings.listByHost(r.scope.hostAccountId, 10_000)).length;
      await recordAction(tx, {
        actor: asOperator(op),
        action: 'restriction.added',
        caseRef: c.ref,
        details: {
          restriction: r.id,
          jurisdiction: r.jurisdiction,
          scope: r.scope.kind,
          expiresAt: r.expiresAt.toISOString(),
        },
        private: { scope: r.scope },
      });
    }
    const decision = {
      outcome,
      reason: input.reason,
      decidedBy: op.id,
      decidedAt: now.toISOString(),
      expiresAt: input.expiresAt.toISOString(),
      targets: chosen,
      notDone,
    };
    const gag = input.gag;
    await tx.cases.update(c.id, {
      status: 'decided',
      reviewer: op.id,
      decision,
      ...(gag ? { gagUntil: gag.until, gagReason: gag.reason } : {}),
    });
    await tx.cases.addCounts(c.id, { meetings });
    await recordAction(tx, {
      actor: asOperator(op),
      action: 'case.decided',
      caseRef: c.ref,
      details: {
        outcome,
        jurisdiction: c.jurisdiction,
        demanded: c.demands,
        notDone,
        meetings,
        expiresAt: decision.expiresAt,
      },
      private: { reason: input.reason },
    });
    if (gag) {
      await recordAction(tx, {
        actor: asOperator(op),
        action: 'gag.set',
        caseRef: c.ref,
        details: { until: gag.until.toISOString() },
        private: { reason: gag.reason },
      });
    }
    await queueHostNotices(tx, c, added, decision, gag?.until ?? null);
    return { c: { ...c, status: 'decided' as const, decision, gagUntil: gag?.until ?? null }, added };
  });
  if (added.length > 0) {
    await ctx.bus.publish({
      type: 'restrictionsChanged',
      added: added.map((r) => toBus({ ...r, caseRef: c.ref })),
      lifted: [],
    });
  }
}

function checkDates(
  maxRestrictionDays: number,
  now: Date,
  expiresAt: Date,
  gagUntil: Date | undefined,
): void {
  if (!(expiresAt > now)) throw new ConveneError('bad_request', 'The expiry must be in the future.');
  if (expiresAt.getTime() - now.getTime() > maxRestrictionDays * DAY) {
    throw new ConveneError('bad_request', `The expiry can be at most ${maxRestrictionDays} days away.`);
  }
  if (gagUntil && !(gagUntil > now && gagUntil.getTime() - now.getTime() <= MAX_GAG_DAYS * DAY)) {
    throw new ConveneError('bad_request', `A gag order must end within ${MAX_GAG_DAYS} days.`);
  }
}
