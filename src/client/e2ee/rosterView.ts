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
  group: readonly RosterMember[],
  announced: ReadonlyMap<string, AnnouncedParticipant>,
  selfId: string,
  now: number,
  graceMs = MISSING_GRACE_MS,
): RosterComparison {
  const names = new Map<string, number>();
  for (const leaf of group) names.set(leaf.displayName, (names.get(leaf.displayName) ?? 0) + 1);
  // Still counted as announced: ourselves, and whoever the server says left less than `graceMs` ago.
  const counted = [...announced]
    .filter(([, p]) => p.leftAt === null || now - p.leftAt < graceMs)
    .map(([id]) => id);
  const disagreement = compareWithAnnounced(group, [selfId, ...counted]);
  const ghosts = new Set(disagreement.unannounced.map((m) => m.participantId));
  const members = group.map((leaf): E2eeMember => ({
    participantId: leaf.participantId,
    displayName: leaf.displayName,
    identity: announced.get(leaf.participantId)?.signedIn ? 'account' : 'guest',
    isLocal: leaf.participantId === selfId,
    unannounced: ghosts.has(leaf.participantId),
    duplicateName: (names.get(leaf.displayName) ?? 0) > 1,
  }));
  const missing: string[] = [];
  let nextCheck: number | null = null;
  const due = (at: number) => (nextCheck = nextCheck === null ? at : Math.min(nextCheck, at));
  for (const id of disagreement.notInGroup) {
    const p = announced.get(id);
    if (!p || p.leftAt !== null || id === selfId) continue; // we wait for our own Welcome
    if (now - p.since >= graceMs) missing.push(id);
    else due(p.since + graceMs);
  }
  // A leaver still in the group becomes a ghost when its grace ends.
  for (const [id, p] of announced)
    if (p.leftAt !== null && !ghosts.has(id) && group.some((m) => m.participantId === id))
      due(p.leftAt + graceMs);
  return {
    members,
    unannounced: [...ghosts],
    missing: missing.sort(),
    nextCheck,
  };
}
