/**
 * The host's side of a case: notices of decisions that touched their meetings (delivered now or when a
 * gag order ends), appeals, and consent to name meeting titles and the host in the public notice.
 * Hosts are identified by account, or for an anonymous meeting by its id once the host key was checked.
 */
import { ConveneError } from '../../errors.js';
import type { CaseRow, NoticeRow, Repos, RestrictionRow, Store } from '../../store/types.js';
import { newId } from './caseCommon.js';
import { recordAction } from './record.js';
import { noticePath, noticeView, type NoticeView } from './views.js';

export type HostIdentity = { accountId?: string; meetingId?: string };

export class HostNotices {
  constructor(private readonly store: Store) {}

  /** Delivered notices of a host (account), or of an anonymous meeting (its host key already checked). */
  async list(host: HostIdentity): Promise<NoticeView[]> {
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

  async get(id: string): Promise<NoticeView> {
    const n = await this.store.notices.get(id);
    const c = n && (await this.store.cases.getById(n.caseId));
    if (!n || !c) throw new ConveneError('not_found');
    return noticeView(n, c, await this.store.notices.appealsOf(c.id));
  }

  async fileAppeal(noticeId: string, host: HostIdentity, text: string): Promise<void> {
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

  /** The host agrees (or not) that the public notice names the meeting titles and the host. */
  async consent(
    noticeId: string,
    host: HostIdentity,
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

/** One notice per host affected; delivered now (CaseClock) or when the gag order ends. */
export async function queueHostNotices(
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
