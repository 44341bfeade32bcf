/**
 * Operator restrictions (jurisdiction-scoped withholding) as the live meetings see them: an in-memory
 * index of the active ones, filled from the store at start and kept current from bus events, so the
 * presence predicate gets every restriction in scope of a meeting without a database round trip.
 *
 * Scope rules (docs/withholding.md): a restriction names one jurisdiction and either one meeting or
 * one host account (all of its meetings, present and future). It is active from its creation until
 * it expires or is lifted. `ZZ` (unknown location) is never in scope.
 */
import type { MeetingRow } from '../store/types.js';

export const UNKNOWN_JURISDICTION = 'ZZ';

export type RestrictionScope =
  { kind: 'meeting'; meetingId: string } | { kind: 'host'; hostAccountId: string };

export interface ActiveRestriction {
  id: string;
  caseId: string;
  caseRef: string;
  jurisdiction: string;
  scope: RestrictionScope;
  expiresAt: Date;
}

export function restrictionCovers(
  r: ActiveRestriction,
  meeting: Pick<MeetingRow, 'id' | 'hostAccountId'>,
): boolean {
  return r.scope.kind === 'meeting'
    ? r.scope.meetingId === meeting.id
    : meeting.hostAccountId !== null && r.scope.hostAccountId === meeting.hostAccountId;
}

export class RestrictionIndex {
  readonly #byId = new Map<string, ActiveRestriction>();
  readonly #byMeeting = new Map<string, Set<ActiveRestriction>>();
  readonly #byHost = new Map<string, Set<ActiveRestriction>>();

  get size(): number {
    return this.#byId.size;
  }

  all(): ActiveRestriction[] {
    return [...this.#byId.values()];
  }

  /** Adds or replaces a restriction. */
  put(r: ActiveRestriction): void {
    this.delete(r.id);
    this.#byId.set(r.id, r);
    const [map, key] =
      r.scope.kind === 'meeting'
        ? [this.#byMeeting, r.scope.meetingId]
        : [this.#byHost, r.scope.hostAccountId];
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(r);
  }

  delete(id: string): ActiveRestriction | undefined {
    const r = this.#byId.get(id);
    if (!r) return undefined;
    this.#byId.delete(id);
    const [map, key] =
      r.scope.kind === 'meeting'
        ? [this.#byMeeting, r.scope.meetingId]
        : [this.#byHost, r.scope.hostAccountId];
    const set = map.get(key);
    set?.delete(r);
    if (set?.size === 0) map.delete(key);
    return r;
  }

  /** Restrictions in scope of this meeting that are active at `now` (expired ones never count). */
  forMeeting(meeting: Pick<MeetingRow, 'id' | 'hostAccountId'>, now = new Date()): ActiveRestriction[] {
    const out: ActiveRestriction[] = [];
    for (const r of this.#byMeeting.get(meeting.id) ?? []) if (r.expiresAt > now) out.push(r);
    if (meeting.hostAccountId !== null) {
      for (const r of this.#byHost.get(meeting.hostAccountId) ?? []) if (r.expiresAt > now) out.push(r);
    }
    return out;
  }
}
