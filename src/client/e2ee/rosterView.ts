/**
 * Pure: the roster part of `E2eeView` from the MLS group this client verified and the participants the
 * server announced (docs/e2ee.md "Roster vs MLS"). The group is the list shown; the server's roster is
 * only compared with it:
 * - `unannounced`: in the group (can decrypt), not announced by the server: shown, flagged, warning.
 * - `missing`: announced by the server but not in the group once its grace ends: warning.
 *
 * A disagreement is forgiven only while the change that would end it is on its way, and for a bounded
 * time. An announced participant outside the group, or one the server says left who is still in it,
 * gets `graceMs` (the delay between the server's announcement and its Add or Remove proposal); once this
 * client has itself received that Add (E2eeController: on arrival) or processed that Remove, it gets
 * `proposedGraceMs` (until a member commits it). The
 * clock starts when the server said so, or when this client first held an epoch if that is later (it
 * sees no proposal before it is a member).
 */
import { compareWithAnnounced, type RosterMember } from '../../e2ee/mls/index.js';
import type { E2eeMember } from './view.js';

export interface AnnouncedParticipant {
  readonly displayName: string;
  readonly signedIn: boolean;
  /** When this client first heard of them (its own clock, ms). */
  readonly since: number;
  /** When the server said they left (its own clock, ms), or null while they are announced. */
  readonly leftAt: number | null;
}

/** What the server proposed for a participant: an Add this client received, a Remove it processed (not committed yet). */
export type ProposedChange = 'add' | 'remove';

export interface RosterTimings {
  /** Announcement (or leave) with no matching proposal seen yet (ms). */
  readonly graceMs: number;
  /** Announcement whose Add arrived (or leave whose Remove this client processed) (ms). */
  readonly proposedGraceMs: number;
}

/**
 * The short grace is what the 1 s promise leaves after delivery and rendering; what it cost, measured in
 * real Chromium, is in docs/e2ee.md "Roster vs MLS" (a leave's Remove follows its announcement within
 * 200 ms; a join's Add can take longer on a loaded machine). Ten seconds covers a committer passed over
 * after its 5 s deadline plus the next one's commit.
 */
export const ROSTER_TIMINGS: RosterTimings = { graceMs: 500, proposedGraceMs: 10_000 };

export interface RosterInput {
  readonly group: readonly RosterMember[];
  readonly announced: ReadonlyMap<string, AnnouncedParticipant>;
  readonly selfId: string;
  /** Participants whose Add from the server arrived, or whose Remove this client processed, not yet applied. */
  readonly proposed: ReadonlyMap<string, ProposedChange>;
  /** When this client first held an epoch of the group (its own clock, ms). */
  readonly memberSince: number;
  readonly now: number;
  readonly timings?: RosterTimings;
}

export interface RosterComparison {
  readonly members: E2eeMember[];
  readonly unannounced: string[];
  readonly missing: string[];
  /**
   * The earliest time (ms) at which the comparison can change without a new message (an announced
   * participant still outside the group becomes `missing`, or one who left but is still in it becomes
   * `unannounced`), or null.
   */
  readonly nextCheck: number | null;
}

export function compareRoster(input: RosterInput): RosterComparison {
  const { group, announced, selfId, proposed, memberSince, now } = input;
  const timings = input.timings ?? ROSTER_TIMINGS;
  /** When a disagreement that started at `at` stops being forgiven. */
  const deadline = (id: string, at: number, change: ProposedChange) =>
    Math.max(at, memberSince) + (proposed.get(id) === change ? timings.proposedGraceMs : timings.graceMs);
  let nextCheck: number | null = null;
  const due = (at: number) => (nextCheck = nextCheck === null ? at : Math.min(nextCheck, at));

  const inGroup = new Set(group.map((m) => m.participantId));
  // Still counted as announced: ourselves, and whoever left but whose Remove may still be on its way.
  const counted: string[] = [selfId];
  for (const [id, p] of announced) {
    if (p.leftAt === null) counted.push(id);
    else if (inGroup.has(id)) {
      const end = deadline(id, p.leftAt, 'remove');
      if (now < end) {
        counted.push(id);
        due(end);
      }
    }
  }
  const disagreement = compareWithAnnounced(group, counted);
  const ghosts = new Set(disagreement.unannounced.map((m) => m.participantId));

  const missing: string[] = [];
  for (const id of disagreement.notInGroup) {
    const p = announced.get(id);
    if (!p || p.leftAt !== null || id === selfId) continue; // we wait for our own Welcome
    const end = deadline(id, p.since, 'add');
    if (now >= end) missing.push(id);
    else due(end);
  }

  const names = new Map<string, number>();
  for (const leaf of group) names.set(leaf.displayName, (names.get(leaf.displayName) ?? 0) + 1);
  const members = group.map((leaf): E2eeMember => ({
    participantId: leaf.participantId,
    displayName: leaf.displayName,
    identity: announced.get(leaf.participantId)?.signedIn ? 'account' : 'guest',
    isLocal: leaf.participantId === selfId,
    unannounced: ghosts.has(leaf.participantId),
    duplicateName: (names.get(leaf.displayName) ?? 0) > 1,
  }));
  return { members, unannounced: [...ghosts], missing: missing.sort(), nextCheck };
}
