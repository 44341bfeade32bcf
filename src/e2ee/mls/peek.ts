/**
 * A look at an incoming handshake message before it is processed: if it is the server's (external
 * sender's) Add or Remove proposal, which participant it names. Reads only the clear framing of a
 * PublicMessage (RFC 9420 §6: version, wire format, group id, epoch, sender, authenticated data,
 * content type, proposal type), without decoding the rest or checking anything: nothing here is
 * trusted. It tells the roster comparison that a change is on its way while the message still waits
 * behind earlier ones (a client busy with a join storm's proposals), so that a normal join does not
 * show as a warning meanwhile. Processing (MlsMember.processHandshake) checks it like any other.
 */
import type { ExternalProposal } from './incoming.js';
import { decodeProposalSubject } from './suite.js';

const MLS10 = 1;
const PUBLIC_MESSAGE = 1;
const SENDER_MEMBER = 1;
const SENDER_EXTERNAL = 2;
const CONTENT_PROPOSAL = 2;
const PROPOSAL_ADD = 1;
const PROPOSAL_REMOVE = 3;

/** The server's Add or Remove and its subject, or undefined for anything else (or malformed bytes). */
export function peekServerProposal(bytes: Uint8Array): ExternalProposal | undefined {
  let at = 0;
  const u8 = (): number => {
    if (at >= bytes.length) throw new RangeError('short');
    return bytes[at++] ?? 0;
  };
  const u16 = () => (u8() << 8) | u8();
  const skip = (n: number) => {
    if (at + n > bytes.length) throw new RangeError('short');
    at += n;
  };
  /** RFC 9420 §2.1.2 variable-length integer. */
  const varint = (): number => {
    const first = u8();
    const prefix = first >> 6;
    if (prefix === 0) return first & 0x3f;
    if (prefix === 1) return ((first & 0x3f) << 8) | u8();
    if (prefix === 2) return (((first & 0x3f) << 24) | (u8() << 16) | (u8() << 8) | u8()) >>> 0;
    throw new RangeError('bad varint');
  };
  try {
    if (u16() !== MLS10 || u16() !== PUBLIC_MESSAGE) return undefined;
    skip(varint()); // group_id
    skip(8); // epoch
    const senderType = u8();
    if (senderType !== SENDER_EXTERNAL) {
      if (senderType === SENDER_MEMBER) skip(4);
      return undefined;
    }
    skip(4); // sender_index
    const adLength = varint();
    const adStart = at;
    skip(adLength);
    if (u8() !== CONTENT_PROPOSAL) return undefined;
    const proposalType = u16();
    const type =
      proposalType === PROPOSAL_ADD ? 'add' : proposalType === PROPOSAL_REMOVE ? 'remove' : undefined;
    if (!type) return undefined;
    const participantId = decodeProposalSubject(bytes.subarray(adStart, adStart + adLength));
    return participantId === undefined ? undefined : { type, participantId };
  } catch {
    return undefined;
  }
}
