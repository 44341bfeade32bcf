/**
 * Issue 8: the server announces a joiner to the others together with its Add proposal, over the real
 * signaling WebSocket with headless MLS members (test/support/MlsClient.ts; no media, so the in-memory
 * engine). A joiner whose KeyPackage has not come is seated (it got `joined`) but nobody else hears of
 * it: not in `participantJoined`, not in a later joiner's `joined` list. When its KeyPackage comes, every
 * member gets `participantJoined` and, as the very next message, the server's Add naming it, so no
 * client ever holds an announced participant whose Add is not on its way (which showed as `missing`
 * on a loaded machine when the Add came more than 500 ms after the announcement).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { peekServerProposal } from '../../src/e2ee/mls/peek.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { MlsClient } from '../support/MlsClient.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
const clients: MlsClient[] = [];

before(async () => {
  server = await startTestServer(
    {},
    {
      engine: new MemoryEngine(),
      // Long enough that the unannounced seat below is never announced by the wait during the test.
      mlsTimings: { batchMs: 50, commitDeadlineMs: 1500, announceWithoutKeysMs: 120_000 },
    },
  );
});
after(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

const join = async (meetingId: string, displayName: string, uploadKeyPackage = true) => {
  const c = await MlsClient.join({ url: server.url, meetingId, displayName, uploadKeyPackage });
  clients.push(c);
  return c;
};

const joinedOf = (c: MlsClient) =>
  c.messages.find((m): m is Extract<ServerMessage, { type: 'joined' }> => m.type === 'joined');

const converged = (group: MlsClient[]) => MlsClient.converged(group);

test('a joiner is announced to the others with its Add, not when it is seated', async () => {
  const meetingId = await server.createMeeting('Announce');
  const host = await join(meetingId, 'Host');
  const ada = await join(meetingId, 'Ada', false);
  const bo = await join(meetingId, 'Bo');
  await converged([host, bo]);

  // Ada holds a seat but sent no KeyPackage: nobody else hears of her.
  const aboutAda = (c: MlsClient) =>
    c.messages.filter(
      (m) =>
        (m.type === 'participantJoined' || m.type === 'participantUpdated') && m.participant.id === ada.id,
    );
  assert.ok(ada.id, 'Ada is seated');
  assert.deepEqual(aboutAda(host), [], 'the host was not told about Ada');
  assert.deepEqual(aboutAda(bo), []);
  assert.deepEqual(
    joinedOf(bo)?.participants.map((p) => p.displayName),
    ['Host'],
    "Bo's joined lists the host only",
  );
  assert.deepEqual(
    joinedOf(ada)?.participants.map((p) => p.displayName),
    ['Host'],
    'Ada herself was told who is there',
  );
  const preview = await fetch(`${server.url}/api/meetings/${meetingId}/preview`);
  const body = (await preview.json()) as { participants?: { count: number } };
  assert.equal(body.participants?.count, 2, 'the preview counts announced participants');

  // Her KeyPackage comes: each member hears of her and, as the very next message, the Add naming her.
  const reply = await ada.uploadKeyPackage();
  assert.equal(reply.type, 'mlsExternalSender');
  await converged([host, bo, ada]);
  for (const member of [host, bo]) {
    const at = member.messages.findIndex(
      (m) => m.type === 'participantJoined' && m.participant.id === ada.id,
    );
    assert.ok(at >= 0, `${member.opts.displayName} was told about Ada`);
    const next = member.messages[at + 1];
    assert.equal(next?.type, 'mlsHandshake', `${member.opts.displayName}: the Add follows the announcement`);
    const proposal = peekServerProposal(new Uint8Array(Buffer.from(next.message, 'base64')));
    assert.deepEqual(proposal && { type: proposal.type, participantId: proposal.participantId }, {
      type: 'add',
      participantId: ada.id,
    });
  }
});
