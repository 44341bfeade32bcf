/**
 * The roster is the group's membership as this member verified it: one entry per non-blank leaf of
 * its own ratchet tree, with the identity decoded from the leaf's credential. It is compared with what
 * the server announced, and every difference is reported (the "ghost" warning of docs/e2ee.md).
 */
import type { ClientState } from 'ts-mls';
import { decodeIdentity, type ParticipantIdentity } from './credential.js';
import { bytesEqual } from './suite.js';

export interface RosterMember extends ParticipantIdentity {
  readonly leafIndex: number;
  readonly signaturePublicKey: Uint8Array;
}

/**
 * Memos: a member's roster is read several times per epoch, and most leaves are the same objects from
 * one epoch to the next (ts-mls never mutates a state or a leaf), so each credential is decoded once.
 */
const rosters = new WeakMap<ClientState, readonly RosterMember[]>();
type Credential = Parameters<typeof decodeIdentity>[0];
const identities = new WeakMap<Credential, ParticipantIdentity | null>();

function identityOf(credential: Credential): ParticipantIdentity | undefined {
  let identity = identities.get(credential);
  if (identity === undefined) {
    identity = decodeIdentity(credential) ?? null;
    identities.set(credential, identity);
  }
  return identity ?? undefined;
}

export function rosterOf(state: ClientState): RosterMember[] {
  const known = rosters.get(state);
  if (known) return known.slice();
  const members: RosterMember[] = [];
  state.ratchetTree.forEach((node, nodeIndex) => {
    if (node?.nodeType !== 'leaf') return;
    const identity = identityOf(node.leaf.credential);
    // Every leaf passed CredentialValidator when it entered the tree, so this only guards the types.
    if (!identity) return;
    members.push({
      ...identity,
      leafIndex: nodeIndex / 2,
      signaturePublicKey: node.leaf.signaturePublicKey,
    });
  });
  rosters.set(state, members);
  return members.slice();
}

/** The identity in the credential of leaf `leafIndex` of `tree`, if that leaf is a participant's. */
export function leafIdentity(
  tree: ClientState['ratchetTree'],
  leafIndex: number,
): ParticipantIdentity | undefined {
  const node = tree[leafIndex * 2];
  return node?.nodeType === 'leaf' ? identityOf(node.leaf.credential) : undefined;
}

export interface RosterChange {
  readonly added: readonly RosterMember[];
  readonly removed: readonly RosterMember[];
}

/**
 * Members added and removed between two rosters, by leaf: its index, participant and signature key.
 * A member that rejoined (docs/e2ee.md "Recovery") may get its old leaf index back with a new
 * KeyPackage, so it shows as removed and added in the same commit.
 */
export function diffRoster(before: readonly RosterMember[], after: readonly RosterMember[]): RosterChange {
  // By leaf index: linear, and no key strings built (a roster has hundreds of members).
  const same = (a: RosterMember | undefined, b: RosterMember | undefined) =>
    a !== undefined &&
    b !== undefined &&
    a.participantId === b.participantId &&
    (a.signaturePublicKey === b.signaturePublicKey || bytesEqual(a.signaturePublicKey, b.signaturePublicKey));
  const byLeaf = (members: readonly RosterMember[]) => new Map(members.map((m) => [m.leafIndex, m]));
  const was = byLeaf(before);
  const is = byLeaf(after);
  return {
    added: after.filter((m) => !same(was.get(m.leafIndex), m)),
    removed: before.filter((m) => !same(is.get(m.leafIndex), m)),
  };
}

export interface RosterDisagreement {
  /** In the group (can decrypt) but not announced by the server: shown, with a warning. */
  readonly unannounced: readonly RosterMember[];
  /** Announced by the server but not in the group: cannot decrypt, shown as waiting. */
  readonly notInGroup: readonly string[];
}

/** Compares the verified roster with the participant ids the server announced. */
export function compareWithAnnounced(
  roster: readonly RosterMember[],
  announced: Iterable<string>,
): RosterDisagreement {
  const announcedSet = new Set(announced);
  const inGroup = new Set(roster.map((m) => m.participantId));
  return {
    unannounced: roster.filter((m) => !announcedSet.has(m.participantId)),
    notInGroup: [...announcedSet].filter((id) => !inGroup.has(id)),
  };
}
