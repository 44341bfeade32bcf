/**
 * What a member sends the delivery service with its commit: the MLS bytes plus what it claims the
 * commit changes, so the server can keep its leaf map (participant -> leaf index) without reading the
 * commit. The claims are not trusted for anything secret: every member checks each later Remove from
 * the server against its own tree (`incoming.ts`), so a wrong claim shows as a refused removal.
 */
import type { PendingCommit } from './MlsMember.js';

export interface CommitSubmission {
  readonly commit: Uint8Array;
  readonly welcome?: Uint8Array | undefined;
  /** Participants the commit adds, with the leaf each got. */
  readonly added: readonly { readonly participantId: string; readonly leafIndex: number }[];
  /** Participants the commit removes. */
  readonly removed: readonly string[];
}

export function commitSubmission(pending: PendingCommit): CommitSubmission {
  return {
    commit: pending.commit,
    welcome: pending.welcome,
    added: pending.change.added.map((m) => ({ participantId: m.participantId, leafIndex: m.leafIndex })),
    removed: pending.change.removed.map((m) => m.participantId),
  };
}
