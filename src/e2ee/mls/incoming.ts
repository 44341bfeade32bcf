/**
 * Checks on an incoming group message before ts-mls processes it: it is for our group, and if the
 * server (the external sender) sent it, it is an Add or a Remove that names, in its authenticated
 * data, the participant it really concerns. The library verifies the server's signature; these rules
 * are ours (RFC 9420 lets an external sender propose more, and ts-mls accepts whatever it proposes).
 */
import type { ClientState, ContentTypeName, IncomingMessageCallback, MLSMessage, Proposal } from 'ts-mls';
import { decodeIdentity, type CredentialValidator } from './credential.js';
import { MlsGroupError } from './errors.js';
import { bytesEqual, decodeProposalSubject } from './suite.js';

/** The server's (external sender's) proposal: an Add or a Remove, and the participant it concerns. */
export interface ExternalProposal {
  readonly type: 'add' | 'remove';
  readonly participantId: string;
}

export interface IncomingInfo {
  readonly epoch: bigint;
  readonly contentType: ContentTypeName;
  /** Set when the server sent it (checked): what it proposes, for whom. */
  readonly external?: ExternalProposal;
}

export function checkIncoming(
  message: MLSMessage,
  state: ClientState,
  validator: CredentialValidator,
): IncomingInfo {
  if (message.wireformat === 'mls_private_message') {
    const pm = message.privateMessage;
    if (!bytesEqual(pm.groupId, state.groupContext.groupId))
      throw MlsGroupError.badMessage('message for another group');
    return { epoch: pm.epoch, contentType: pm.contentType };
  }
  if (message.wireformat !== 'mls_public_message') throw MlsGroupError.badMessage('not a group message');
  const { content } = message.publicMessage;
  if (!bytesEqual(content.groupId, state.groupContext.groupId))
    throw MlsGroupError.badMessage('message for another group');
  const sender = content.sender;
  if (sender.senderType === 'new_member_proposal' || sender.senderType === 'new_member_commit')
    throw MlsGroupError.badExternalProposal('joins go through the server, not external commits');
  if (sender.senderType === 'external') {
    if (sender.senderIndex !== 0) throw MlsGroupError.badExternalProposal('unknown external sender');
    if (content.contentType !== 'proposal')
      throw MlsGroupError.badExternalProposal('the server may only propose');
    const external = checkServerProposal(content.proposal, content.authenticatedData, state, validator);
    return { epoch: content.epoch, contentType: content.contentType, external };
  }
  return { epoch: content.epoch, contentType: content.contentType };
}

function checkServerProposal(
  proposal: Proposal,
  authenticatedData: Uint8Array,
  state: ClientState,
  validator: CredentialValidator,
): ExternalProposal {
  const subject = decodeProposalSubject(authenticatedData);
  if (subject === undefined) throw MlsGroupError.badExternalProposal('no participant named');
  if (proposal.proposalType === 'remove') {
    const node = state.ratchetTree[proposal.remove.removed * 2];
    const identity = node?.nodeType === 'leaf' ? decodeIdentity(node.leaf.credential) : undefined;
    if (identity?.participantId !== subject)
      throw MlsGroupError.badExternalProposal(`Remove of leaf ${proposal.remove.removed} is not ${subject}`);
    return { type: 'remove', participantId: subject };
  }
  if (proposal.proposalType === 'add') {
    const leaf = proposal.add.keyPackage.leafNode;
    const identity = decodeIdentity(leaf.credential);
    if (identity?.participantId !== subject)
      throw MlsGroupError.badExternalProposal(`Add is not for ${subject}`);
    const check = validator.check(leaf.credential, leaf.signaturePublicKey);
    if (!check.ok) throw MlsGroupError.badCredential(`${subject}: ${check.reason}`);
    return { type: 'add', participantId: subject };
  }
  throw MlsGroupError.badExternalProposal(`the server may not propose ${String(proposal.proposalType)}`);
}

/** Whether a commit of the proposals received this epoch plus `extra` would add anyone (and so has a Welcome). */
export function addsSomeone(state: ClientState, extra: readonly Proposal[]): boolean {
  const received = Object.values(state.unappliedProposals).map((p) => p.proposal);
  return [...received, ...extra].some((p) => p.proposalType === 'add');
}

/**
 * Proposal types a Convene group uses: Add, Remove and Update. Everything else (PSK, ReInit, external
 * init, group context extensions, which could replace the external sender) is refused in proposals and
 * commits alike, and so is an Add whose credential is not a participant's (the server's credential may
 * name the external sender, never a leaf).
 */
export const allowedProposals: IncomingMessageCallback = (incoming) => {
  const proposals = incoming.kind === 'commit' ? incoming.proposals : [incoming.proposal];
  const ok = proposals.every(({ proposal: p }) => {
    if (p.proposalType === 'add') return decodeIdentity(p.add.keyPackage.leafNode.credential) !== undefined;
    return p.proposalType === 'remove' || p.proposalType === 'update';
  });
  return ok ? 'accept' : 'reject';
};
