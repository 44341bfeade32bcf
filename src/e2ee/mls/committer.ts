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
