/**
 * The case process for authority requests: intake, second-person review, a decision that offers only
 * jurisdiction-scoped withholding (never ending a meeting, suspending an account or disclosing data),
 * gag orders with an end, host notices and appeals, reversal and expiry. Every step stores its state
 * and its record entry in one transaction (recordAction), then tells every node through the bus.
 * Timers (expiry, delayed notices) live in CaseClock.ts; views in views.ts; shared helpers in
 * caseCommon.ts.
 */
import type { Bus } from '../../bus/types.js';
import { ConveneError } from '../../errors.js';
import type { CaseRow, CaseTarget, Demand, Operator, RestrictionRow, Store } from '../../store/types.js';
import {
  DAY,
  MAX_GAG_DAYS,
  asOperator,
  caseByRef,
  countKind,
  newId,
  requireRole,
  restrictionScope,
} from './caseCommon.js';
import { decide } from './decision.js';
import { HostNotices } from './HostNotices.js';
import { PublicCases } from './PublicCases.js';
import { recordAction } from './record.js';
import { caseView, type CaseView } from './views.js';

export interface IntakeInput {
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: Demand[];
  demandText: string;
  targets: Array<
    { kind: 'meeting'; link: string } | { kind: 'host'; email: string } | { kind: 'link'; url: string }
  >;
  evidenceNotes: string;
}

export type DecisionInput =
  | { outcome: 'rejected'; reason: string }
  | {
      outcome: 'withhold';
      targets: number[];
      expiresAt: Date;
      reason: string;
      gag?: { until: Date; reason: string } | undefined;
    };

/** What the live side (MeetingService) offers the case process; no import of it here. */
export interface LiveMeetings {
  /** Live meetings in this scope and the people in them connecting from the jurisdiction (counts). */
  countInScope(
    scope: RestrictionRow['scope'],
    jurisdiction: string,
  ): { liveMeetings: number; people: number };
  /** Tells a host who is in a meeting now (hostNotice). */
  notifyHost(
    target: { hostAccountId: string | null; meetingId: string | null },
    notice: Record<string, unknown>,
  ): void;
}

const MEETING_ID = /(?:^|\/m\/)([A-Za-z0-9_-]{22})(?:[#?].*)?$/;

/**
 * The operator's side of a case. The host's side (notices, appeals, consent) is HostNotices.ts, what
 * anyone may read is PublicCases.ts, and the decision itself decision.ts.
 */
export class CaseService {
  /** The host's side: notices, appeals, consent. */
  readonly notices: HostNotices;
  /** Public notices and the transparency report. */
  readonly public: PublicCases;

  constructor(
    readonly store: Store,
    readonly bus: Bus,
    private readonly live: LiveMeetings,
    readonly maxRestrictionDays: number,
  ) {
    this.notices = new HostNotices(store);
    this.public = new PublicCases(store);
  }

  // ---- reading ---------------------------------------------------------------------------------------

  async view(ref: string): Promise<CaseView> {
    const c = await caseByRef(this.store, ref);
    return this.#view(c);
  }

  async list(filter: { status?: CaseRow['status']; jurisdiction?: string }): Promise<CaseView[]> {
    const rows = await this.store.cases.list(filter);
    return Promise.all(rows.map((c) => this.#view(c)));
  }

  async withOpenAppeals(): Promise<CaseView[]> {
    const open = await this.store.notices.openAppeals();
    const ids = [...new Set(open.map((a) => a.caseId))];
    const rows = await Promise.all(ids.map((id) => this.store.cases.getById(id)));
    return Promise.all(rows.filter((c): c is CaseRow => c !== undefined).map((c) => this.#view(c)));
  }

  async #view(c: CaseRow): Promise<CaseView> {
    const [restrictions, appeals, actions] = await Promise.all([
      this.store.restrictions.byCase(c.id),
      this.store.notices.appealsOf(c.id),
      this.store.record.byCase(c.ref),
    ]);
    return caseView(c, restrictions, appeals, actions);
  }

  /** What a decision would touch, as counts only (never who or where beyond the jurisdiction). */
  async scope(ref: string) {
    const c = await caseByRef(this.store, ref);
    const targets = await Promise.all(
      c.targets.map(async (target, index) => {
        const scope = restrictionScope(target);
        if (!scope) return { index, target, meetings: 0, liveMeetings: 0, liveParticipantsInJurisdiction: 0 };
        const meetings =
          scope.kind === 'meeting'
            ? 1
            : (await this.store.meetings.listByHost(scope.hostAccountId, 10_000)).length;
        const live = this.live.countInScope(scope, c.jurisdiction);
        return {
          index,
          target,
          meetings,
          liveMeetings: live.liveMeetings,
          liveParticipantsInJurisdiction: live.people,
        };
      }),
    );
    const sum = (k: 'meetings' | 'liveMeetings' | 'liveParticipantsInJurisdiction') =>
      targets.reduce((n, t) => n + t[k], 0);
    return {
      jurisdiction: c.jurisdiction,
      targets,
      totals: {
        meetings: sum('meetings'),
        liveMeetings: sum('liveMeetings'),
        liveParticipantsInJurisdiction: sum('liveParticipantsInJurisdiction'),
      },
    };
  }

  // ---- intake and review -----------------------------------------------------------------------------

  async intake(input: IntakeInput, op: Operator): Promise<CaseView> {
    requireRole(op, 'record');
    const targets = await Promise.all(input.targets.map((t) => this.#resolveTarget(t)));
    const now = new Date();
    const row = await this.store.transaction(async (tx) => {
      const ref = await tx.cases.nextRef(now.getUTCFullYear());
      const c: CaseRow = {
        id: newId(),
        ref,
        authority: input.authority.trim(),
        jurisdiction: input.jurisdiction,
        legalBasis: input.legalBasis.trim(),
        receivedOn: input.receivedOn,
        demands: [...new Set(input.demands)],
        demandText: input.demandText.trim(),
        targets,
        evidenceNotes: input.evidenceNotes,
        status: 'received',
        recordedBy: op.id,
        reviewer: null,
        decision: null,
        gagUntil: null,
        gagReason: null,
        publishTitles: false,
        publishHostName: false,
        meetingsAffected: 0,
        participantsWithheld: 0,
        joinsRefused: 0,
        createdAt: now,
      };
      await tx.cases.create(c);
      await recordAction(tx, {
        actor: asOperator(op),
        action: 'case.recorded',
        caseRef: ref,
        details: {
          authority: c.authority,
          jurisdiction: c.jurisdiction,
          legalBasis: c.legalBasis,
          receivedOn: c.receivedOn,
          demands: c.demands,
          targets: {
            meetings: countKind(targets, 'meeting'),
            hosts: countKind(targets, 'host'),
            links: countKind(targets, 'link'),
          },
        },
        private: { demandText: c.demandText, evidenceNotes: c.evidenceNotes, targets },
      });
      return c;
    });
    return this.#view(row);
  }

  async #resolveTarget(t: IntakeInput['targets'][number]): Promise<CaseTarget> {
    if (t.kind === 'host') {
      const account = await this.store.accounts.findByEmail(t.email.trim().toLowerCase());
      if (!account) throw new ConveneError('bad_request', `No host account with the email ${t.email}.`);
      return { kind: 'host', hostAccountId: account.id };
    }
    const text = t.kind === 'meeting' ? t.link : t.url;
    const id = MEETING_ID.exec(text.trim())?.[1];
    if (id && (await this.store.meetings.get(id))) return { kind: 'meeting', meetingId: id };
    if (t.kind === 'meeting') throw new ConveneError('bad_request', 'No meeting with this link or id.');
    return { kind: 'link', url: t.url.trim() };
  }

  async startReview(ref: string, op: Operator): Promise<CaseView> {
    requireRole(op, 'decide');
    const c = await this.store.transaction(async (tx) => {
      const c = await caseByRef(tx, ref);
      if (c.recordedBy === op.id) throw new ConveneError('same_operator');
      if (c.status !== 'received' && c.status !== 'under_review') throw new ConveneError('case_state');
      await tx.cases.update(c.id, { status: 'under_review', reviewer: op.id });
      await recordAction(tx, {
        actor: asOperator(op),
        action: 'case.review_started',
        caseRef: c.ref,
        details: { status: 'under_review' },
      });
      return { ...c, status: 'under_review' as const, reviewer: op.id };
    });
    return this.#view(c);
  }

  async decide(ref: string, op: Operator, input: DecisionInput): Promise<CaseView> {
    await decide(this, ref, op, input);
    return this.view(ref);
  }

  /**
   * Sets, moves or ends (until: null) a gag order; never indefinite, at most 180 days. Ending one keeps
   * the moment it ended as the case's `gagUntil` (with the reason for ending it), so the case table
   * tells an ended gag order from none, as the log does (the transparency report counts both).
   */
  async setGag(ref: string, op: Operator, input: { until: Date | null; reason: string }): Promise<CaseView> {
    requireRole(op, 'decide');
    const now = new Date();
    if (input.until && !(input.until > now && input.until.getTime() - now.getTime() <= MAX_GAG_DAYS * DAY)) {
      throw new ConveneError('bad_request', `A gag order must end within ${MAX_GAG_DAYS} days.`);
    }
    const c = await this.store.transaction(async (tx) => {
      const c = await caseByRef(tx, ref);
      if (!c.decision) throw new ConveneError('case_state', 'Decide the case first.');
      if (!input.until && !(c.gagUntil && c.gagUntil > now)) {
        throw new ConveneError('case_state', 'No gag order is in force.');
      }
      await tx.cases.update(c.id, { gagUntil: input.until ?? now, gagReason: input.reason });
      await tx.notices.setDeliverAfter(c.id, input.until);
      await recordAction(
        tx,
        {
          actor: asOperator(op),
          action: input.until ? 'gag.set' : 'gag.ended',
          caseRef: c.ref,
          details: input.until ? { until: input.until.toISOString() } : { endedEarly: true },
          private: { reason: input.reason },
        },
        now,
      );
      return c;
    });
    return this.view(c.ref);
  }

  // ---- appeals ---------------------------------------------------------------------------------------

  async decideAppeal(
    ref: string,
    op: Operator,
    input: { outcome: 'upheld' | 'reversed'; reason: string },
  ): Promise<CaseView> {
    requireRole(op, 'decide');
    const now = new Date();
    const { c, lifted } = await this.store.transaction(async (tx) => {
      const c = await caseByRef(tx, ref);
      if (c.recordedBy === op.id) throw new ConveneError('same_operator');
      const appeal = (await tx.notices.appealsOf(c.id)).find((a) => a.outcome === null);
      if (c.status !== 'appealed' || !appeal) throw new ConveneError('case_state', 'No appeal is waiting.');
      await tx.notices.decideAppeal(appeal.id, input.outcome, op.id, now, input.reason);
      const lifted: string[] = [];
      if (input.outcome === 'reversed') {
        for (const r of await tx.restrictions.byCase(c.id)) {
          if (!(await tx.restrictions.lift(r.id, 'reversed', now))) continue;
          lifted.push(r.id);
          await recordAction(tx, {
            actor: asOperator(op),
            action: 'restriction.lifted',
            caseRef: c.ref,
            details: { restriction: r.id, reason: 'reversed' },
          });
        }
      }
      await tx.cases.update(c.id, { status: input.outcome });
      await recordAction(tx, {
        actor: asOperator(op),
        action: 'appeal.decided',
        caseRef: c.ref,
        details: { outcome: input.outcome, lifted: lifted.length },
        private: { reason: input.reason },
      });
      const original = await tx.notices.get(appeal.noticeId);
      await tx.notices.create({
        id: newId(),
        caseId: c.id,
        hostAccountId: original?.hostAccountId ?? null,
        meetingId: original?.meetingId ?? null,
        kind: 'appeal_decided',
        body: {
          ...(original?.body ?? {}),
          appealOutcome: input.outcome,
          appealNoticeId: appeal.noticeId,
          reason: input.reason,
          decidedAt: now.toISOString(),
        },
        deliverAfter: null,
        deliveredAt: null,
        createdAt: now,
      });
      return { c, lifted };
    });
    if (lifted.length > 0) await this.bus.publish({ type: 'restrictionsChanged', added: [], lifted });
    return this.view(c.ref);
  }
}
