/**
 * Chat as an MLS application message (docs/e2ee.md "Chat"): the payload's UTF-8 JSON, and the rules a
 * receiver applies. The sender is the one MLS authenticated (the leaf whose signature the message
 * carries, named by its credential in the epoch it was sent): a payload whose `from` names anyone else
 * is dropped, so a member cannot put words in another member's mouth, and the name shown is the one in
 * that credential, never a name the server gave.
 */
import type { ParticipantIdentity } from '../../e2ee/mls/index.js';
import type { ChatMessage } from '../types.js';

export const CHAT_VERSION = 1;
const MAX_ID = 64;
const MAX_TEXT = 4000;

export function encodeChat(message: ChatMessage): Uint8Array {
  const payload = {
    v: CHAT_VERSION,
    kind: 'chat',
    id: message.id,
    text: message.text,
    sentAt: message.sentAt,
    from: message.from,
  };
  return new TextEncoder().encode(JSON.stringify(payload));
}

/** The chat entry to show for `data` sent by `sender`, or null if it is not one we accept. */
export function acceptChat(
  data: Uint8Array,
  sender: ParticipantIdentity,
  selfId: string | null,
): ChatMessage | null {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { v, kind, id, text, sentAt, from } = payload as Record<string, unknown>;
  if (v !== CHAT_VERSION || kind !== 'chat') return null;
  if (typeof id !== 'string' || typeof text !== 'string' || typeof from !== 'string') return null;
  if (typeof sentAt !== 'number' || id.length > MAX_ID || text.length > MAX_TEXT) return null;
  if (from !== sender.participantId || from === selfId) return null;
  return { id, from, displayName: sender.displayName, text, sentAt };
}
