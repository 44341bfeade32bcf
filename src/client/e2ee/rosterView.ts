/**
 * Pure: the roster part of `E2eeView` from the MLS group this client verified and the participants the
 * server announced (docs/e2ee.md "Roster vs MLS"). The group is the list shown; the server's roster is
 * only compared with it:
 * - `unannounced`: in the group (can decrypt), never announced by the server: shown, flagged, warning.
 * - `missing`: announced by the server for longer than `graceMs` but not in the group: warning. The
 *   grace covers the normal delay between the server's announcement and the commit that adds them.
 * A participant the server says has left stays announced for `graceMs` (the commit removing them
 * follows the announcement), so a normal leave is never shown as a ghost.
 */
import type { E2eeMember } from './view.js';

export interface GroupLeaf {
  readonly participantId: string;
  readonly displayName: string;
}

export interface AnnouncedParticipant {
  readonly displayName: string;
  readonly signedIn: boolean;
  /** When this client first heard of them (its own clock, ms). */
  readonly since: number;
  /** When the server said they left (its own clock, ms), or null while they are announced. */
  readonly leftAt: number | null;
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

/** How long an announced participant may be absent from the group before it counts as `missing`. */
export const MISSING_GRACE_MS = 2_000;

export function compareRoster(
  group: readonly GroupLeaf[],
  announced: ReadonlyMap<string, AnnouncedParticipant>,
  selfId: string,
  now: number,
  graceMs = MISSING_GRACE_MS,
): RosterComparison {
  const names = new Map<string, number>();
  for (const leaf of group) names.set(leaf.displayName, (names.get(leaf.displayName) ?? 0) + 1);
  const inGroup = new Set(group.map((leaf) => leaf.participantId));
  const members = group.map((leaf): E2eeMember => {
    const known = announced.get(leaf.participantId);
    const isLocal = leaf.participantId === selfId;
    const stale = known !== undefined && known.leftAt !== null && now - known.leftAt >= graceMs;
    return {
      participantId: leaf.participantId,
      displayName: leaf.displayName,
      identity: known?.signedIn ? 'account' : 'guest',
      isLocal,
      unannounced: !isLocal && (known === undefined || stale),
      duplicateName: (names.get(leaf.displayName) ?? 0) > 1,
    };
  });
  const missing: string[] = [];
  let nextCheck: number | null = null;
  for (const [id, p] of announced) {
    // Only two cases can change with time: announced but not in the group, or left but still in it.
    if (id === selfId || inGroup.has(id) === (p.leftAt === null)) continue;
    const due = (p.leftAt ?? p.since) + graceMs;
    if (due > now) nextCheck = nextCheck === null ? due : Math.min(nextCheck, due);
    else if (p.leftAt === null) missing.push(id);
  }
  return {
    members,
    unannounced: members.filter((m) => m.unannounced).map((m) => m.participantId),
    missing: missing.sort(),
    nextCheck,
  };
}
