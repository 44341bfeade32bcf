/**
 * The MLS part of the signaling protocol (issue 8; docs/protocol.md "End-to-end encryption (MLS)"):
 * opaque MLS messages in standard base64. The server reads their framing only (group id, epoch,
 * content type), never their content.
 */
import { Type } from '@sinclair/typebox';
import { Closed, ParticipantId, clientMessage } from './schemaParts.js';

/**
 * The one exception to MAX_MESSAGE_BYTES (messages.ts): an `mlsCommit` frame carries the Welcome, which holds the ratchet tree and grows
 * with the group (about 0.26 KiB per member, docs/e2ee.md), so it may be up to 768 KiB: a Welcome of
 * 512 KiB in base64 (384 KiB of MLS, about 1,400 members) plus a commit of 128 KiB in base64.
 */
export const MAX_MLS_COMMIT_BYTES = 768 * 1024;
/** Client message types whose frames may exceed MAX_MESSAGE_BYTES (up to MAX_MLS_COMMIT_BYTES). */
export const LARGE_MESSAGE_TYPES: ReadonlySet<string> = new Set(['mlsCommit']);

// ---- client -> server
/** Standard base64 (RFC 4648 §4, with padding) of at most `maxLength` characters. */
const Base64 = (maxLength: number) =>
  Type.String({
    minLength: 4,
    maxLength,
    pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
  });
/** After `joined`: this participant's KeyPackage; the server answers with `mlsExternalSender`. */
export const MlsKeyPackageMessage = clientMessage('mlsKeyPackage', { keyPackage: Base64(16_384) });
/**
 * A commit (PrivateMessage) for the current epoch, with the Welcome for those it adds and what it
 * claims to change (so the server can keep its participant -> leaf map). Answered by `mlsCommitResult`.
 */
export const MlsCommitMessage = clientMessage('mlsCommit', {
  commit: Base64(131_072),
  welcome: Type.Optional(Base64(524_288)),
  added: Type.Array(
    Type.Object(
      { participantId: ParticipantId, leafIndex: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
      Closed,
    ),
    { maxItems: 1000 },
  ),
  removed: Type.Array(ParticipantId, { maxItems: 1000 }),
});
/**
 * This participant lost track of the group (it missed a commit or its Welcome, or could not apply a
 * handshake message) and asks to rejoin it with a fresh KeyPackage (never one sent before). The server
 * proposes the Remove of its old leaf and the Add of this KeyPackage; a member commits both and the
 * Welcome follows. Answered by `ack`, or an `error` (`mls_bad_key_package`, `mls_rejoin_refused`,
 * `rate_limited`) that changes nothing.
 */
export const MlsRejoinMessage = clientMessage('mlsRejoin', { keyPackage: Base64(16_384) });
/** An application message (PrivateMessage, e.g. chat) to every other member of the group. */
export const MlsApplicationMessage = clientMessage('mlsMessage', { message: Base64(32_768) });

// ---- MLS, server -> client (docs/protocol.md "End-to-end encryption (MLS)") ----------------------

/** Reply to `mlsKeyPackage`: the server's external-sender key (Ed25519, base64), the only one a group may name. */
export interface MlsExternalSenderMessage {
  v: 1;
  type: 'mlsExternalSender';
  rid?: string;
  publicKey: string;
}
/** You are the group's first member: create the group with this id (base64) at epoch 0. */
export interface MlsCreateGroupMessage {
  v: 1;
  type: 'mlsCreateGroup';
  groupId: string;
}
/** You were added by the commit of `epoch - 1`: join the group from this Welcome. */
export interface MlsWelcomeMessage {
  v: 1;
  type: 'mlsWelcome';
  groupId: string;
  epoch: number;
  welcome: string;
}
/** A proposal (the server's external Add or Remove) or another member's accepted commit for `epoch`, in order. */
export interface MlsHandshakeMessage {
  v: 1;
  type: 'mlsHandshake';
  epoch: number;
  message: string;
}
/** You are the designated committer: proposals are pending for `epoch`; commit them soon. */
export interface MlsCommitRequestMessage {
  v: 1;
  type: 'mlsCommitRequest';
  epoch: number;
}
/** The answer to `mlsCommit`: accepted (apply it; the group is now at `epoch`) or refused (discard it). */
export type MlsCommitResultMessage =
  | { v: 1; type: 'mlsCommitResult'; rid?: string; accepted: true; epoch: number }
  | {
      v: 1;
      type: 'mlsCommitResult';
      rid?: string;
      accepted: false;
      /** `mls_epoch_taken` or `mls_bad_handshake` (docs/errors.md). */
      code: 'mls_epoch_taken' | 'mls_bad_handshake';
      message: string;
    };
/**
 * After a resumed join, in order with the group's messages: where this seat stands in the group.
 * `member`: a member at `epoch` (a client at an older epoch, or with no group state, missed a commit or
 * its Welcome and sends `mlsRejoin`); `joining`: an Add for it waits for a commit (the Welcome follows);
 * `none`: not in the group (it sends `mlsRejoin` with a KeyPackage).
 */
export type MlsStatusMessage =
  | { v: 1; type: 'mlsStatus'; state: 'member' | 'joining'; groupId: string; epoch: number }
  | { v: 1; type: 'mlsStatus'; state: 'none' };
/** Another member's application message, relayed as is (the sender is inside the ciphertext). */
export interface MlsRelayedMessage {
  v: 1;
  type: 'mlsMessage';
  message: string;
}

export type MlsServerMessage =
  | MlsExternalSenderMessage
  | MlsCreateGroupMessage
  | MlsWelcomeMessage
  | MlsHandshakeMessage
  | MlsCommitRequestMessage
  | MlsCommitResultMessage
  | MlsStatusMessage
  | MlsRelayedMessage;
