/**
 * The case process for authority requests: intake, second-person review, a decision that offers only
 * jurisdiction-scoped withholding (never ending a meeting, suspending an account or disclosing data),
 * gag orders with an end, host notices and appeals, reversal and expiry. Every step stores its state
 * and its record entry in one transaction (recordAction), then tells every node through the bus.
 * Timers (expiry, delayed notices) live in CaseClock.ts; views in views.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Bus, BusRestriction } from '../../bus/types.js';
import { ConveneError } from '../../errors.js';
import type {
  CaseRow,
  CaseTarget,
  Demand,
  NoticeRow,
  Operator,
  OperatorRole,
  Repos,
  RestrictionRow,
  Store,
} from '../../store/types.js';
import {
  NO_ACTION_FOR,
  caseView,
  isPublic,
  noticePath,
  noticeView,
  publicCase,
  type CaseView,
  type NoticeView,
  type PublicCase,
} from './views.js';
import { recordAction, type Actor } from './record.js';
import { reportFromTables, type ReportQuery, type TransparencyReport } from '../transparency/report.js';

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

export const MAX_GAG_DAYS = 180;
const DAY = 86_400_000;
const MEETING_ID = /(?:^|\/m\/)([A-Za-z0-9_-]{22})(?:[#?].*)?$/;
const newId = () => randomBytes(12).toString('base64url');

const ROLE_MAY: Record<'record' | 'decide' | 'manage', readonly OperatorRole[]> = {
  record: ['intake', 'admin'],
  decide: ['reviewer', 'admin'],
  manage: ['admin'],
};

export function requireRole(op: Operator, what: keyof typeof ROLE_MAY): void {
  if (!ROLE_MAY[what].includes(op.role)) throw new ConveneError('operator_forbidden');
}

const asOperator = (op: Operator): Actor => ({ kind: 'operator', id: op.id });

export class CaseService {
  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly live: LiveMeetings,
    private readonly maxRestrictionDays: number,
  ) {}

  // ---- reading ---------------------------------------------------------------------------------------

  async view(ref: string): Promise<CaseView> {
    const c = await this.#case(this.store, ref);
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

  async #case(repos: Repos, ref: string): Promise<CaseRow> {
    const c = await repos.cases.getByRef(ref);
    if (!c) throw new ConveneError('not_found', 'No such case.');
    return c;
  }

  /** What a decision would touch, as counts only (never who or where beyond the jurisdiction). */
  async scope(ref: string) {
    const c = await this.#case(this.store, ref);
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

  /** Delivered notices of a host (account), or of an anonymous meeting (its host key already checked). */
  async hostNotices(host: { accountId?: string; meetingId?: string }): Promise<NoticeView[]> {
    const rows = host.accountId
      ? await this.store.notices.forHost(host.accountId)
      : host.meetingId
        ? await this.store.notices.forMeeting(host.meetingId)
        : [];
    const views: NoticeView[] = [];
    for (const n of rows) {
      const c = await this.store.cases.getById(n.caseId);
      if (c) views.push(noticeView(n, c, await this.store.notices.appealsOf(c.id)));
    }
    return views;
  }

  async hostNotice(id: string): Promise<NoticeView> {
    const n = await this.store.notices.get(id);
    const c = n && (await this.store.cases.getById(n.caseId));
    if (!n || !c) throw new ConveneError('not_found');
    return noticeView(n, c, await this.store.notices.appealsOf(c.id));
  }

  async publicCase(ref: string): Promise<PublicCase> {
    const c = await this.store.cases.getByRef(ref);
    const view = c && isPublic(c) ? await this.#public(c) : undefined;
    if (!view) throw new ConveneError('not_found', 'No public notice with this reference.');
    return view;
  }

  async publicCases(): Promise<PublicCase[]> {
    const rows = (await this.store.cases.list({ limit: 1000 })).filter((c) => isPublic(c));
    const views = await Promise.all(rows.map((c) => this.#public(c)));
    return views.filter((v): v is PublicCase => v !== undefined);
  }

  async #public(c: CaseRow): Promise<PublicCase | undefined> {
    const [restrictions, appeals] = await Promise.all([
      this.store.restrictions.byCase(c.id),
      this.store.notices.appealsOf(c.id),
    ]);
    const consented: { meetingTitles?: string[]; hostName?: string } = {};
    if (c.publishTitles || c.publishHostName) {
      const titles: string[] = [];
      let hostName: string | undefined;
      for (const r of restrictions) {
        if (r.scope.kind === 'meeting') {
          const m = await this.store.meetings.get(r.scope.meetingId);
          if (m) titles.push(m.title);
          if (m?.hostAccountId)
            hostName ??= (await this.store.accounts.findById(m.hostAccountId))?.displayName;
        } else {
          hostName ??= (await this.store.accounts.findById(r.scope.hostAccountId))?.displayName;
        }
      }
      consented.meetingTitles = titles;
      if (hostName) consented.hostName = hostName;
    }
    const view = publicCase(c, restrictions, appeals, consented);
    if (!view) return undefined;
    // Where each step of the case sits in the public log, so anyone can find and check it there.
    const steps = await this.store.record.byCase(c.ref);
    view.logEntries = steps.flatMap((r) =>
      r.logIndex === null ? [] : [{ index: r.logIndex, action: r.action, at: r.at.toISOString() }],
    );
    return view;
  }

  /** The public transparency report, from the case tables (app/transparency). */
  /** The report from the tables, with the log size read in the same snapshot (docs/api.md). */
  transparencyReport(query: ReportQuery): Promise<TransparencyReport> {
    return this.store.snapshot(async (tx) => {
      const logSize = await tx.ledger.size();
      return { ...(await reportFromTables(tx, query)), logSize };
    });
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
      const c = await this.#case(tx, ref);
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

  // ---- the decision ----------------------------------------------------------------------------------

  async decide(ref: string, op: Operator, input: DecisionInput): Promise<CaseView> {
    requireRole(op, 'decide');
    const now = new Date();
    if (input.outcome === 'withhold') this.#checkDates(now, input.expiresAt, input.gag?.until);
    const { c, added } = await this.store.transaction(async (tx) => {
      const c = await this.#case(tx, ref);
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
      if (scopes.length === 0)
        throw new ConveneError('bad_request', 'Choose at least one target to withhold.');
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
          r.scope.kind === 'meeting'
            ? 1
            : (await tx.meetings.listByHost(r.scope.hostAccountId, 10_000)).length;
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
      await this.#queueHostNotices(tx, c, added, decision, gag?.until ?? null);
      return { c: { ...c, status: 'decided' as const, decision, gagUntil: gag?.until ?? null }, added };
    });
    if (added.length > 0) {
      await this.bus.publish({
        type: 'restrictionsChanged',
        added: added.map((r) => toBus({ ...r, caseRef: c.ref })),
        lifted: [],
      });
    }
    return this.view(c.ref);
  }

  #checkDates(now: Date, expiresAt: Date, gagUntil: Date | undefined): void {
    if (!(expiresAt > now)) throw new ConveneError('bad_request', 'The expiry must be in the future.');
    if (expiresAt.getTime() - now.getTime() > this.maxRestrictionDays * DAY) {
      throw new ConveneError(
        'bad_request',
        `The expiry can be at most ${this.maxRestrictionDays} days away.`,
      );
    }
    if (gagUntil && !(gagUntil > now && gagUntil.getTime() - now.getTime() <= MAX_GAG_DAYS * DAY)) {
      throw new ConveneError('bad_request', `A gag order must end within ${MAX_GAG_DAYS} days.`);
    }
  }

  /** One notice per host affected; delivered now (CaseClock) or when the gag order ends. */
  async #queueHostNotices(
    tx: Repos,
    c: CaseRow,
    added: readonly RestrictionRow[],
    decision: { decidedAt: string; expiresAt: string | null; reason: string },
    deliverAfter: Date | null,
  ): Promise<void> {
    const byHost = new Map<
      string,
      {
        hostAccountId: string | null;
        meetingId: string | null;
        scope: RestrictionRow['scope']['kind'];
        meetingIds: string[];
      }
    >();
    for (const r of added) {
      if (r.scope.kind === 'host') {
        byHost.set(`a:${r.scope.hostAccountId}`, {
          hostAccountId: r.scope.hostAccountId,
          meetingId: null,
          scope: 'host',
          meetingIds: [],
        });
        continue;
      }
      const m = await tx.meetings.get(r.scope.meetingId);
      if (!m) continue;
      const key = m.hostAccountId ? `a:${m.hostAccountId}` : `m:${m.id}`;
      const entry = byHost.get(key) ?? {
        hostAccountId: m.hostAccountId,
        meetingId: m.hostAccountId ? null : m.id,
        scope: 'meeting' as const,
        meetingIds: [],
      };
      entry.meetingIds.push(m.id);
      byHost.set(key, entry);
    }
    for (const h of byHost.values()) {
      const notice: NoticeRow = {
        id: newId(),
        caseId: c.id,
        hostAccountId: h.hostAccountId,
        meetingId: h.meetingId,
        kind: 'withheld',
        body: {
          scope: { kind: h.scope, meetingIds: h.meetingIds },
          expiresAt: decision.expiresAt,
          decidedAt: decision.decidedAt,
          reason: decision.reason,
          noticePath: noticePath(c.ref),
        },
        deliverAfter,
        deliveredAt: null,
        createdAt: new Date(),
      };
      await tx.notices.create(notice);
    }
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
      const c = await this.#case(tx, ref);
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

  async fileAppeal(
    noticeId: string,
    host: { accountId?: string; meetingId?: string },
    text: string,
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      const n = await tx.notices.get(noticeId);
      const mine =
        n !== undefined &&
        n.deliveredAt !== null &&
        ((host.accountId !== undefined && n.hostAccountId === host.accountId) ||
          (host.meetingId !== undefined && n.meetingId === host.meetingId));
      if (!n || !mine) throw new ConveneError('not_found');
      const c = await tx.cases.getById(n.caseId);
      if (!c || (c.status !== 'decided' && c.status !== 'expired') || c.decision?.outcome === 'rejected') {
        throw new ConveneError('case_state', 'This decision cannot be appealed now.');
      }
      const now = new Date();
      await tx.notices.createAppeal({
        id: newId(),
        caseId: c.id,
        noticeId: n.id,
        text,
        filedAt: now,
        outcome: null,
        decidedBy: null,
        decidedAt: null,
        reason: null,
      });
      await tx.cases.update(c.id, { status: 'appealed' });
      await recordAction(tx, {
        actor: { kind: 'host' },
        action: 'appeal.filed',
        caseRef: c.ref,
        details: { status: 'appealed' },
        private: { text },
      });
    });
  }

  async decideAppeal(
    ref: string,
    op: Operator,
    input: { outcome: 'upheld' | 'reversed'; reason: string },
  ): Promise<CaseView> {
    requireRole(op, 'decide');
    const now = new Date();
    const { c, lifted } = await this.store.transaction(async (tx) => {
      const c = await this.#case(tx, ref);
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

  /** The host agrees (or not) that the public notice names the meeting titles and the host. */
  async consent(
    noticeId: string,
    host: { accountId?: string; meetingId?: string },
    flags: { publishTitles: boolean; publishHostName: boolean },
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      const n = await tx.notices.get(noticeId);
      if (
        !n ||
        n.deliveredAt === null ||
        !(
          (host.accountId && n.hostAccountId === host.accountId) ||
          (host.meetingId && n.meetingId === host.meetingId)
        )
      ) {
        throw new ConveneError('not_found');
      }
      const c = await tx.cases.getById(n.caseId);
      if (!c) throw new ConveneError('not_found');
      await tx.cases.update(c.id, flags);
      await recordAction(tx, {
        actor: { kind: 'host' },
        action: 'notice.consent',
        caseRef: c.ref,
        details: flags,
      });
    });
  }
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

function countKind(targets: readonly CaseTarget[], kind: CaseTarget['kind']): number {
  return targets.filter((t) => t.kind === kind).length;
}
