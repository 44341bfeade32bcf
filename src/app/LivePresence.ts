/**
 * Who may stay in this node's live meetings, moment to moment: the operator's restrictions (kept
 * current from the bus) and each live meeting's bans (loaded when it goes live, kept current by host
 * controls and the bus). It gives the presence predicate (admission.ts) its facts for anyone in a
 * live meeting, runs the sweep after a change, and answers the case process about live meetings
 * (LiveMeetings). Removals go through Meeting.remove, as every removal does.
 */
import type {
  BansAddedEvent,
  BansLiftedEvent,
  BusRestriction,
  RestrictionsChangedEvent,
} from '../bus/types.js';
import type { ConveneError } from '../errors.js';
import { presence, type PresenceFacts } from './admission.js';
import type { LiveMeetings } from './cases/CaseService.js';
import { endBannedSeats } from './HostControls.js';
import type { Meeting } from './Meeting.js';
import { banSubjects, type Participant, type RemovalCause } from './Participant.js';
import { RestrictionIndex, restrictionCovers, type ActiveRestriction } from './restrictions.js';

/** Where withholding removals and refusals are counted (per case, numbers only). */
export interface WithholdingCounts {
  add(caseRef: string, kind: 'removed' | 'refused', n: number): void;
}

export class LivePresence implements LiveMeetings {
  readonly restrictions = new RestrictionIndex();
  /** Bans of each live meeting, by meeting id. */
  readonly #bans = new Map<string, Set<string>>();

  constructor(
    private readonly live: ReadonlyMap<string, Meeting>,
    private readonly counts: WithholdingCounts | undefined,
  ) {}

  /** Loads the restrictions active now (at start; later changes arrive on the bus). */
  loadRestrictions(active: readonly ActiveRestriction[]): void {
    for (const r of active) this.restrictions.put(r);
  }

  /** A meeting went live with these bans; they are dropped when it closes. */
  trackBans(meeting: Meeting, subjects: Iterable<string>): void {
    const set = new Set(subjects);
    this.#bans.set(meeting.id, set);
    meeting.once('close', () => {
      if (this.#bans.get(meeting.id) === set) this.#bans.delete(meeting.id);
    });
  }

  /** A host banned these subjects here (the bus tells every node, this one included). */
  addBans(meetingId: string, subjects: Iterable<string>): void {
    const set = this.#bans.get(meetingId);
    for (const s of subjects) set?.add(s);
  }

  /** The presence predicate's answer for someone in a live meeting (seated, waiting or resuming). */
  refusal(meeting: Meeting, p: Participant, jurisdiction = p.jurisdiction): ConveneError | undefined {
    return presence(this.#facts(meeting, p, jurisdiction)) ?? undefined;
  }

  #facts(meeting: Meeting, p: Participant, jurisdiction: string): PresenceFacts {
    const bans = this.#bans.get(meeting.id);
    return {
      jurisdiction,
      isHost: p.isHost,
      banned: !p.isHost && banSubjects(p.identity).some((s) => bans?.has(s) === true),
      restrictions: this.restrictions.forMeeting(meeting.row),
      regionPolicy: meeting.row.settings.regionPolicy,
    };
  }

  /** Counts a withholding removal (a resumed seat refused, a sweep's batch). */
  countRemoved(refusal: ConveneError, n: number): void {
    if (refusal.code === 'withheld') this.counts?.add(refusal.details?.caseRef ?? '', 'removed', n);
  }

  /** Counts a newcomer refused because of a withholding. */
  countRefused(refusal: ConveneError): void {
    if (refusal.code === 'withheld') this.counts?.add(refusal.details?.caseRef ?? '', 'refused', 1);
  }

  /** The live sweep: everyone in the meeting, seated or waiting, against the presence predicate. */
  async sweep(meeting: Meeting): Promise<void> {
    await this.removeRefused(meeting, meeting.everyone());
  }

  /**
   * Those of `people` the presence predicate refuses now leave through the one removal path, one
   * batch per reason; returns who was removed.
   */
  async removeRefused(meeting: Meeting, people: Iterable<Participant>): Promise<Set<Participant>> {
    const groups = new Map<string, { refusal: ConveneError; people: Participant[] }>();
    const removed = new Set<Participant>();
    for (const p of people) {
      const refusal = this.refusal(meeting, p);
      if (!refusal) continue;
      const key = `${refusal.code}:${refusal.message}`;
      const group = groups.get(key) ?? { refusal, people: [] };
      group.people.push(p);
      groups.set(key, group);
      removed.add(p);
    }
    for (const { refusal, people: batch } of groups.values()) {
      this.countRemoved(refusal, batch.length);
      await meeting.remove(batch, removalCause(refusal));
    }
    return removed;
  }

  /** Restrictions added or lifted by an operator decision: the index, then a sweep of the meetings in scope. */
  async onRestrictions(event: RestrictionsChangedEvent): Promise<void> {
    for (const id of event.lifted) this.restrictions.delete(id);
    const added = event.added.map(fromBus);
    for (const r of added) this.restrictions.put(r);
    const inScope = [...this.live.values()].filter((m) => added.some((r) => restrictionCovers(r, m.row)));
    await Promise.all(inScope.map((m) => this.sweep(m)));
  }

  /** Bans added or lifted in a meeting (from any node): the live set, and the seats they now match. */
  async onBans(event: BansAddedEvent | BansLiftedEvent): Promise<void> {
    if (event.type === 'bansLifted') {
      for (const subject of event.subjects) this.#bans.get(event.meetingId)?.delete(subject);
      return;
    }
    const meeting = this.live.get(event.meetingId);
    if (!meeting) return;
    this.addBans(event.meetingId, event.subjects);
    await endBannedSeats(meeting, event.subjects);
  }

  /** Live meetings in a restriction's scope and how many people in them connect from `jurisdiction`. */
  countInScope(
    scope: { kind: 'meeting'; meetingId: string } | { kind: 'host'; hostAccountId: string },
    jurisdiction: string,
  ): { liveMeetings: number; people: number } {
    let liveMeetings = 0;
    let people = 0;
    for (const m of this.live.values()) {
      const covered =
        scope.kind === 'meeting' ? m.id === scope.meetingId : m.row.hostAccountId === scope.hostAccountId;
      if (!covered) continue;
      liveMeetings++;
      for (const p of m.everyone()) if (p.jurisdiction === jurisdiction) people++;
    }
    return { liveMeetings, people };
  }

  /** Tells a host who is in one of their meetings now about a case (the notice is also in My meetings). */
  notifyHost(
    target: { hostAccountId: string | null; meetingId: string | null },
    notice: Record<string, unknown>,
  ): void {
    for (const m of this.live.values()) {
      const theirs =
        (target.hostAccountId !== null && m.row.hostAccountId === target.hostAccountId) ||
        (target.meetingId !== null && m.id === target.meetingId);
      if (!theirs) continue;
      for (const p of m.participants.values()) if (p.isHost) p.send({ type: 'hostNotice', notice });
    }
  }
}

/** How a presence refusal removes someone already in the meeting. */
export function removalCause(refusal: ConveneError): RemovalCause {
  if (refusal.code === 'withheld') {
    const d = refusal.details ?? {};
    return {
      kind: 'withheld',
      notice: {
        jurisdiction: d.jurisdiction ?? '',
        caseRef: d.caseRef ?? '',
        noticePath: d.noticePath ?? '',
      },
      message: refusal.message,
    };
  }
  if (refusal.code === 'banned') return { kind: 'removed', banned: true, code: 'banned' };
  return { kind: 'removed', banned: false, code: refusal.code };
}

function fromBus(r: BusRestriction): ActiveRestriction {
  return { ...r, expiresAt: new Date(r.expiresAt) };
}
