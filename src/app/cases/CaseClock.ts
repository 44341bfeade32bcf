/**
 * The time-driven half of the case process, on every node:
 * - at start, loads every active restriction into the live index and applies expiries that fell while
 *   the server was down (so a restart never revives an expired restriction nor forgets a live one);
 * - on each tick, lifts restrictions whose expiry has come (recorded once: the database says which
 *   node got there first), marks fully lifted cases `expired`, delivers host notices whose gag order
 *   has ended, and writes the withholding counts gathered since the last tick.
 * Enforcement does not wait for the tick: an expired restriction stops counting in the presence
 * predicate the moment it expires (RestrictionIndex.forMeeting ignores it).
 */
import type { Logger } from 'pino';
import type { Bus } from '../../bus/types.js';
import type { RestrictionRow, Store } from '../../store/types.js';
import type { ActiveRestriction } from '../restrictions.js';
import type { LiveMeetings } from './CaseService.js';
import { recordAction } from './record.js';
import { noticeView } from './views.js';

export interface WithholdingCounts {
  /** Per case ref: participants removed by sweeps, and joins refused. */
  add(caseRef: string, kind: 'removed' | 'refused', n: number): void;
}

export class CaseClock implements WithholdingCounts {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  readonly #pending = new Map<string, { removed: number; refused: number }>();

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly live: LiveMeetings,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Restrictions active now (for the live index), after applying expiries missed while down. */
  async start(): Promise<ActiveRestriction[]> {
    await this.tick();
    const rows = await this.store.restrictions.unlifted();
    const now = new Date();
    const refs = new Map<string, string>();
    const active: ActiveRestriction[] = [];
    for (const r of rows) {
      if (r.expiresAt <= now) continue;
      let ref = refs.get(r.caseId);
      if (ref === undefined) {
        ref = (await this.store.cases.getById(r.caseId))?.ref ?? '';
        refs.set(r.caseId, ref);
      }
      active.push({
        id: r.id,
        caseId: r.caseId,
        caseRef: ref,
        jurisdiction: r.jurisdiction,
        scope: r.scope,
        expiresAt: r.expiresAt,
      });
    }
    this.#timer = setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
    return active;
  }

  add(caseRef: string, kind: 'removed' | 'refused', n: number): void {
    if (n <= 0 || !caseRef) return;
    const c = this.#pending.get(caseRef) ?? { removed: 0, refused: 0 };
    c[kind] += n;
    this.#pending.set(caseRef, c);
  }

  /** One pass; passes never overlap. */
  tick(): Promise<void> {
    this.#running = this.#running
      .then(() => this.#tick())
      .catch((err: unknown) => this.log.error({ err }, 'case clock failed'));
    return this.#running;
  }

  async #tick(): Promise<void> {
    const now = new Date();
    await this.#expire(now);
    await this.#deliverNotices(now);
    await this.#flushCounts();
  }

  async #expire(now: Date): Promise<void> {
    const due = (await this.store.restrictions.unlifted()).filter((r) => r.expiresAt <= now);
    if (due.length === 0) return;
    const lifted: string[] = [];
    const byCase = new Map<string, RestrictionRow[]>();
    for (const r of due) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
    for (const [caseId, restrictions] of byCase) {
      await this.store.transaction(async (tx) => {
        const c = await tx.cases.getById(caseId);
        if (!c) return;
        for (const r of restrictions) {
          if (!(await tx.restrictions.lift(r.id, 'expired', now))) continue;
          lifted.push(r.id);
          await recordAction(tx, {
            actor: { kind: 'system' },
            action: 'restriction.lifted',
            caseRef: c.ref,
            details: { restriction: r.id, reason: 'expired' },
          });
        }
        const remaining = (await tx.restrictions.byCase(caseId)).filter((r) => r.liftedAt === null);
        if (remaining.length === 0 && ['decided', 'upheld'].includes(c.status)) {
          await tx.cases.update(caseId, { status: 'expired' });
          await recordAction(tx, {
            actor: { kind: 'system' },
            action: 'case.expired',
            caseRef: c.ref,
            details: { status: 'expired' },
          });
        }
      });
    }
    if (lifted.length > 0) await this.bus.publish({ type: 'restrictionsChanged', added: [], lifted });
  }

  async #deliverNotices(now: Date): Promise<void> {
    for (const n of await this.store.notices.due(now)) {
      const delivered = await this.store.transaction(async (tx) => {
        if (!(await tx.notices.markDelivered(n.id, now))) return undefined;
        const c = await tx.cases.getById(n.caseId);
        if (!c) return undefined;
        if (n.deliverAfter) {
          await recordAction(tx, {
            actor: { kind: 'system' },
            action: 'gag.ended',
            caseRef: c.ref,
            details: { noticeDelivered: n.kind },
          });
        }
        await recordAction(tx, {
          actor: { kind: 'system' },
          action: 'notice.delivered',
          caseRef: c.ref,
          details: { kind: n.kind },
        });
        const account = n.hostAccountId ? await tx.accounts.findById(n.hostAccountId) : undefined;
        if (account) {
          await tx.notices.outbox({
            recipient: account.email,
            kind: `case.${n.kind}`,
            subject:
              n.kind === 'withheld'
                ? `Your meetings are withheld in ${c.jurisdiction} (case ${c.ref})`
                : `Case ${c.ref}: ${n.kind.replace('_', ' ')}`,
            body: [
              `Case ${c.ref}: ${c.authority} (${c.jurisdiction}) cited ${c.legalBasis}.`,
              n.kind === 'withheld'
                ? `Only participants connecting from ${c.jurisdiction} are affected; your meetings continue for everyone else and your account is untouched.`
                : `The appeal was decided: ${String(n.body.appealOutcome ?? '')}.`,
              `Reason: ${String(n.body.reason ?? '')}`,
              `You can appeal from My meetings. Public notice: ${String(n.body.noticePath ?? '')}`,
            ].join('\n'),
          });
        }
        return {
          notice: n,
          view: noticeView({ ...n, deliveredAt: now }, c, await tx.notices.appealsOf(c.id)),
        };
      });
      if (delivered) {
        this.live.notifyHost(
          { hostAccountId: delivered.notice.hostAccountId, meetingId: delivered.notice.meetingId },
          { ...delivered.view },
        );
      }
    }
  }

  async #flushCounts(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending];
    this.#pending.clear();
    for (const [ref, counts] of batch) {
      await this.store.transaction(async (tx) => {
        const c = await tx.cases.getByRef(ref);
        if (!c) return;
        await tx.cases.addCounts(c.id, { participants: counts.removed, joins: counts.refused });
        await recordAction(tx, {
          actor: { kind: 'system' },
          action: 'withholding.enforced',
          caseRef: ref,
          details: { participantsWithheld: counts.removed, joinsRefused: counts.refused },
        });
      });
    }
  }

  /** Stops the timer after one last pass (counts are written, not lost). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.tick();
  }
}
