/**
 * The designated committer rule: pending proposals (the server's Adds and Removes) are committed by
 * the member with the lowest leaf index that is not itself being removed and has not been passed over
 * (it left, or the delivery service saw it stay silent past the commit window). Every member and the
 * delivery service compute it from the same inputs, so exactly one member is expected to commit; if
 * two do, the delivery service keeps the first (first valid commit of an epoch wins).
 *
 * Lowest leaf, not "longest present": MLS reuses the leftmost blank leaf, so a newcomer can sit left of
 * older members. The rule only needs to be deterministic and shared; leaf indices are in every member's
 * tree and in the delivery service's leaf map.
 */
export interface CommitterCandidate {
  readonly leafIndex: number;
  readonly participantId: string;
}

export function designatedCommitter(
  members: Iterable<CommitterCandidate>,
  passedOver: ReadonlySet<string> = new Set(),
): CommitterCandidate | undefined {
  let best: CommitterCandidate | undefined;
  for (const m of members) {
    if (passedOver.has(m.participantId)) continue;
    if (!best || m.leafIndex < best.leafIndex) best = m;
  }
  return best;
}

/**
 * How many members, counted from the designated committer, keep an ephemeral-key pool filled
 * (ephemeralPool.ts): the committer, and the next in line, who commits the committer's own removal
 * (when it leaves, is removed or withheld) and whatever the committer is passed over for.
 */
export const EPHEMERAL_POOL_RANKS = 2;

/**
 * A member's place in line to commit: the number of members with a lower leaf index (0 for the
 * designated committer). Pass-overs are known to the delivery service only, so this is the rule's
 * order before any: a member passed over still keeps its pool, and the member after it does too.
 */
export function committerRank(leafIndices: Iterable<number>, mine: number): number {
  let rank = 0;
  for (const leaf of leafIndices) if (leaf < mine) rank++;
  return rank;
}

/** Pairs beyond one per member: a commit's Welcome seals once per joiner it adds. */
const JOINERS_MARGIN = 32;

/**
 * How many ephemeral pairs the member at leaf `mine` of a group with these leaves wants ready: enough
 * for a removal commit (one seal per node of its copath resolution, at most one per other member, plus
 * a batch of joiners' Welcome seals) while it is within EPHEMERAL_POOL_RANKS of the committer, else 0.
 */
export function ephemeralPairsWanted(leafIndices: readonly number[], mine: number): number {
  return committerRank(leafIndices, mine) < EPHEMERAL_POOL_RANKS ? leafIndices.length + JOINERS_MARGIN : 0;
}
