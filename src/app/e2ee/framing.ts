/**
 * What the delivery service may read of a group message: its MLS framing (RFC 9420 §6), which is in
 * the clear for PrivateMessages too: group id, epoch and content type. Never the content.
 */
import type { ContentTypeName } from 'ts-mls';
import { decodeMessage, MlsGroupError } from '../../e2ee/mls/index.js';

export interface Framing {
  readonly groupId: Uint8Array;
  readonly epoch: bigint;
  readonly contentType: ContentTypeName;
  /** Sender type for a PublicMessage; undefined for a PrivateMessage (the sender is encrypted). */
  readonly senderType: string | undefined;
}

/** The framing of a PrivateMessage or PublicMessage, or undefined if the bytes are neither. */
export function readFraming(bytes: Uint8Array): Framing | undefined {
  let message: ReturnType<typeof decodeMessage>;
  try {
    message = decodeMessage(bytes);
  } catch (err) {
    if (err instanceof MlsGroupError) return undefined;
    throw err;
  }
  if (message.wireformat === 'mls_private_message') {
    const pm = message.privateMessage;
    return { groupId: pm.groupId, epoch: pm.epoch, contentType: pm.contentType, senderType: undefined };
  }
  if (message.wireformat === 'mls_public_message') {
    const c = message.publicMessage.content;
    return {
      groupId: c.groupId,
      epoch: c.epoch,
      contentType: c.contentType,
      senderType: c.sender.senderType,
    };
  }
  return undefined;
}

/** True if the bytes are a Welcome (its content is encrypted to the joiners; the DS only relays it). */
export function isWelcome(bytes: Uint8Array): boolean {
  try {
    return decodeMessage(bytes).wireformat === 'mls_welcome';
  } catch (err) {
    if (err instanceof MlsGroupError) return false;
    throw err;
  }
}
