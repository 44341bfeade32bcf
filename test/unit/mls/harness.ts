/**
 * A small in-memory meeting for the MLS tests: one server key (external sender), one validator per
 * member fed with the announced roster, and helpers that move bytes between members as the delivery
 * service would.
 */
import {
  CredentialValidator,
  ExternalSender,
  MlsMember,
  prepareJoin,
  type ParticipantIdentity,
  type PendingCommit,
} from '../../../src/e2ee/mls/index.js';

export const groupId = new TextEncoder().encode('meeting-test-group');

export interface Harness {
  server: ExternalSender;
  announced: ParticipantIdentity[];
  members: Map<string, MlsMember>;
  validators: Map<string, CredentialValidator>;
}

export const who = (id: string): ParticipantIdentity => ({ participantId: id, displayName: `Name ${id}` });

/** Each member keeps its own validator, fed with what the server announced to it. */
export function validatorFor(h: Harness, id: string): CredentialValidator {
  const v = new CredentialValidator(h.server.publicKey, h.announced);
  h.validators.set(id, v);
  return v;
}

export function announce(h: Harness, identity: ParticipantIdentity): void {
  h.announced.push(identity);
  for (const v of h.validators.values()) v.announce(identity);
}

export async function newMeeting(first: string): Promise<Harness> {
  const server = await ExternalSender.generate();
  const h: Harness = { server, announced: [who(first)], members: new Map(), validators: new Map() };
  const join = await prepareJoin(who(first));
  h.members.set(first, await MlsMember.create(groupId, join, validatorFor(h, first)));
  return h;
}

/** Applies a commit everywhere: confirm at the committer, process at every other member. */
export async function deliver(
  h: Harness,
  committer: string,
  pending: PendingCommit,
  skip: readonly string[] = [],
): Promise<void> {
  for (const [id, m] of h.members) {
    if (skip.includes(id)) continue;
    if (id === committer) await m.confirmCommit(pending);
    else if (m.active) await m.processHandshake(pending.commit);
  }
}

/** Announces `ids`, has the server propose their Adds, and `committer` commits them; joiners join. */
export async function admit(h: Harness, committer: string, ids: readonly string[]): Promise<PendingCommit> {
  const joins = await Promise.all(ids.map((id) => prepareJoin(who(id))));
  for (const id of ids) announce(h, who(id));
  // Every member learns of the newcomers from the server before the proposals arrive.
  const c = h.members.get(committer)!;
  for (const j of joins) {
    const proposal = await h.server.proposeAdd(groupId, c.epoch, j.keyPackage);
    for (const m of h.members.values()) await m.processHandshake(proposal);
  }
  const pending = await c.commit();
  await deliver(h, committer, pending);
  for (const j of joins)
    h.members.set(
      j.identity.participantId,
      await MlsMember.join(pending.welcome!, j, validatorFor(h, j.identity.participantId), groupId),
    );
  return pending;
}
