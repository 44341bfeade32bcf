/**
 * How cases, notices and public notices are shown: the operator's full view, the host's notice and
 * the Lumen-style public notice. Pure functions of stored rows; the public view never carries
 * evidence notes, operator identities or anything about participants beyond counts and the code.
 */
import type {
  AppealRow,
  CaseRow,
  Demand,
  NoticeRow,
  RecordEntry,
  RestrictionRow,
} from '../../store/types.js';

/** Demands Convene has no action for: recorded as demanded and not done. */
export const NO_ACTION_FOR: readonly Demand[] = ['end_meeting', 'suspend_account', 'disclose_data', 'other'];

export const noticePath = (ref: string) => `/transparency/cases/${encodeURIComponent(ref)}`;

export interface CaseView {
  id: string;
  ref: string;
  status: CaseRow['status'];
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: Demand[];
  demandText: string;
  targets: CaseRow['targets'];
  evidenceNotes: string;
  recordedBy: string;
  reviewer: string | null;
  decision: CaseRow['decision'];
  restrictions: Array<{
    id: string;
    jurisdiction: string;
    scope: RestrictionRow['scope'];
    createdAt: string;
    expiresAt: string;
    liftedAt: string | null;
    liftReason: RestrictionRow['liftReason'];
  }>;
  gag: { until: string; reason: string } | null;
  appeals: Array<{
    id: string;
    text: string;
    filedAt: string;
    outcome: AppealRow['outcome'];
    decidedAt: string | null;
    reason: string | null;
  }>;
  counts: { meetingsAffected: number; participantsWithheld: number; joinsRefused: number };
  actions: Array<{
    seq: number;
    at: string;
    action: string;
    operator: string | null;
    details: Record<string, unknown>;
  }>;
  createdAt: string;
}

export function caseView(
  c: CaseRow,
  restrictions: readonly RestrictionRow[],
  appeals: readonly AppealRow[],
  actions: readonly RecordEntry[],
): CaseView {
  return {
    id: c.id,
    ref: c.ref,
    status: c.status,
    authority: c.authority,
    jurisdiction: c.jurisdiction,
    legalBasis: c.legalBasis,
    receivedOn: c.receivedOn,
    demands: c.demands,
    demandText: c.demandText,
    targets: c.targets,
    evidenceNotes: c.evidenceNotes,
    recordedBy: c.recordedBy,
    reviewer: c.reviewer,
    decision: c.decision,
    restrictions: restrictions.map((r) => ({
      id: r.id,
      jurisdiction: r.jurisdiction,
      scope: r.scope,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      liftedAt: r.liftedAt?.toISOString() ?? null,
      liftReason: r.liftReason,
    })),
    gag: c.gagUntil ? { until: c.gagUntil.toISOString(), reason: c.gagReason ?? '' } : null,
    appeals: appeals.map((a) => ({
      id: a.id,
      text: a.text,
      filedAt: a.filedAt.toISOString(),
      outcome: a.outcome,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      reason: a.reason,
    })),
    counts: {
      meetingsAffected: c.meetingsAffected,
      participantsWithheld: c.participantsWithheld,
      joinsRefused: c.joinsRefused,
    },
    actions: actions.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      action: e.action,
      operator: e.actor.startsWith('operator:') ? e.actor.slice('operator:'.length) : null,
      details: e.details,
    })),
    createdAt: c.createdAt.toISOString(),
  };
}

export interface PublicCase {
  ref: string;
  authority: string;
  jurisdiction: string;
  legalBasis: string;
  receivedOn: string;
  demands: Demand[];
  demandText: string;
  status: CaseRow['status'];
  outcome: 'rejected' | 'withheld' | 'partial';
  notDone: Demand[];
  action: {
    kind: 'withhold_in_jurisdiction';
    jurisdiction: string;
    scope: { meetings: number; hosts: number };
  } | null;
  decidedAt: string;
  expiresAt: string | null;
  appeal: { outcome: AppealRow['outcome']; decidedAt: string | null } | null;
  counts: { meetingsAffected: number; participantsWithheld: number; joinsRefused: number };
  meetingTitles?: string[];
  hostName?: string;
  /** This case's entries in the public operator log (docs/transparency.md), oldest first. */
  logEntries?: { index: number; action: string; at: string }[];
}

/** Whether the public may see a case now: decided, and no gag order delays it. */
export function isPublic(c: CaseRow, now = new Date()): boolean {
  return c.decision !== null && (c.gagUntil === null || c.gagUntil <= now);
}

export function publicCase(
  c: CaseRow,
  restrictions: readonly RestrictionRow[],
  appeals: readonly AppealRow[],
  consented: { meetingTitles?: string[]; hostName?: string } = {},
): PublicCase | undefined {
  const d = c.decision;
  if (!d) return undefined;
  const last = appeals.at(-1);
  return {
    ref: c.ref,
    authority: c.authority,
    jurisdiction: c.jurisdiction,
    legalBasis: c.legalBasis,
    receivedOn: c.receivedOn,
    demands: c.demands,
    demandText: c.demandText,
    status: c.status,
    outcome: d.outcome,
    notDone: d.notDone,
    action:
      d.outcome === 'rejected'
        ? null
        : {
            kind: 'withhold_in_jurisdiction',
            jurisdiction: c.jurisdiction,
            scope: {
              meetings: restrictions.filter((r) => r.scope.kind === 'meeting').length,
              hosts: restrictions.filter((r) => r.scope.kind === 'host').length,
            },
          },
    decidedAt: d.decidedAt,
    expiresAt: d.expiresAt,
    appeal: last ? { outcome: last.outcome, decidedAt: last.decidedAt?.toISOString() ?? null } : null,
    counts: {
      meetingsAffected: c.meetingsAffected,
      participantsWithheld: c.participantsWithheld,
      joinsRefused: c.joinsRefused,
    },
    ...(c.publishTitles && consented.meetingTitles ? { meetingTitles: consented.meetingTitles } : {}),
    ...(c.publishHostName && consented.hostName ? { hostName: consented.hostName } : {}),
  };
}

export interface NoticeView {
  id: string;
  caseRef: string;
  kind: NoticeRow['kind'];
  jurisdiction: string;
  legalBasis: string;
  authority: string;
  scope: { kind: 'meeting' | 'host'; meetingIds: string[] };
  expiresAt: string | null;
  decidedAt: string | null;
  reason: string;
  appeal: null | {
    text: string;
    filedAt: string;
    outcome: AppealRow['outcome'];
    decidedAt: string | null;
    reason: string | null;
  };
  publishTitles: boolean;
  publishHostName: boolean;
  noticePath: string;
  createdAt: string;
}

export function noticeView(n: NoticeRow, c: CaseRow, appeals: readonly AppealRow[]): NoticeView {
  const body = n.body as {
    scope?: { kind: 'meeting' | 'host'; meetingIds: string[] };
    expiresAt?: string | null;
    decidedAt?: string | null;
    reason?: string;
    /** On an `appeal_decided` notice: the notice the appeal was filed from. */
    appealNoticeId?: string;
  };
  // Only this host's own appeal: a case that covers several hosts has one appeal per notice.
  const appeal = appeals.find((a) => a.noticeId === n.id || a.noticeId === body.appealNoticeId);
  return {
    id: n.id,
    caseRef: c.ref,
    kind: n.kind,
    jurisdiction: c.jurisdiction,
    legalBasis: c.legalBasis,
    authority: c.authority,
    scope: body.scope ?? { kind: 'meeting', meetingIds: [] },
    expiresAt: body.expiresAt ?? null,
    decidedAt: body.decidedAt ?? null,
    reason: body.reason ?? '',
    appeal: appeal
      ? {
          text: appeal.text,
          filedAt: appeal.filedAt.toISOString(),
          outcome: appeal.outcome,
          decidedAt: appeal.decidedAt?.toISOString() ?? null,
          reason: appeal.reason,
        }
      : null,
    publishTitles: c.publishTitles,
    publishHostName: c.publishHostName,
    noticePath: noticePath(c.ref),
    createdAt: n.createdAt.toISOString(),
  };
}
