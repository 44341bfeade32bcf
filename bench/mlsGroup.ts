/**
 * Chat is an MLS application message (`mlsMessage`) that the server relays to every other member of
 * the meeting's group without reading it. The flood benches fan such messages out from plain sockets:
 * each socket uploads a KeyPackage (all the server needs to relay to it once a member commits its Add),
 * and one real member (test/support/MlsClient.ts) creates the group, commits the Adds and seals the
 * ciphertexts the sockets send. The server checks only the framing, so a socket may send the same
 * ciphertext again and again.
 */
import type WebSocket from 'ws';
import { prepareJoin } from '../src/e2ee/mls/index.js';
import { MlsClient } from '../test/support/MlsClient.js';

/** Joins `meetingId` as the member that creates the group (join it before any other socket uploads). */
export async function groupCreator(url: string, meetingId: string): Promise<MlsClient> {
  const creator = await MlsClient.join({ url, meetingId, displayName: 'creator', forwardedFor: '192.0.2.1' });
  await creator.uploadKeyPackage();
  return creator;
}

/** Uploads a KeyPackage for a joined socket (its participant id and display name, as announced). */
export async function uploadKeyPackage(ws: WebSocket, participantId: string, displayName: string) {
  const join = await prepareJoin({ participantId, displayName });
  const keyPackage = Buffer.from(join.keyPackage).toString('base64');
  ws.send(JSON.stringify({ v: 1, type: 'mlsKeyPackage', keyPackage }));
}

/**
 * Waits until the group has `members` members, then seals each text as an application message of the
 * current epoch and returns the `mlsMessage` frames. The creator's socket is closed afterwards (it
 * would spend the bench's CPU failing to decrypt replayed ciphertexts); its seat waits out the resume
 * window.
 */
export async function sealFrames(creator: MlsClient, members: number, texts: string[]): Promise<string[]> {
  await creator.waitFor(() => creator.member?.roster().length === members, 60_000, `${members} members`);
  const member = creator.member;
  if (!member) throw new Error('the creator is not a member');
  const frames: string[] = [];
  for (const text of texts) {
    const sealed = await member.encryptApplication(new TextEncoder().encode(text));
    frames.push(
      JSON.stringify({ v: 1, type: 'mlsMessage', message: Buffer.from(sealed).toString('base64') }),
    );
  }
  creator.close();
  return frames;
}
