/**
 * Found by bench:mls-storm: on a client busy with a join storm, the server's Add for a newcomer waits
 * in the MLS session's queue behind earlier proposals, longer than the short grace, and the newcomer
 * showed as `missing` (a warning) during a normal join. The Add now counts from its arrival (read from
 * its clear framing, `peekServerProposal`), a Remove still only once processed (rosterView.ts's rule).
 *
 * The real E2eeController and MlsSession in Node (RTCRtpScriptTransform stubbed, no SFrame worker),
 * the test playing the server with the real DeliveryService. With a short grace of 0 ms the newcomer
 * is `missing` as soon as it is announced, until the client holds its Add: the view right after the
 * Add is handed over (before it can have been processed) shows whether its arrival counted.
 */
import assert from 'node:assert/strict';
import { participantInfo } from '../support/participants.js';
import { test } from 'node:test';
import { DeliveryService } from '../../src/app/e2ee/DeliveryService.js';
import { E2eeController } from '../../src/client/e2ee/E2eeController.js';
import { MlsSession } from '../../src/client/e2ee/MlsSession.js';
import type { E2eeView } from '../../src/client/e2ee/view.js';
import { ExternalSender, prepareJoin } from '../../src/e2ee/mls/index.js';
import type { ParticipantInfo } from '../../src/protocol/messages.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const person = (id: string): ParticipantInfo => participantInfo(id, { displayName: `Name ${id}` });

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

test('MlsSession tells of an arriving server Add before it is processed', async () => {
  const server = await ExternalSender.generate();
  const me = await prepareJoin({ participantId: 'me', displayName: 'Me' });
  const x = await prepareJoin({ participantId: 'x', displayName: 'X' });
  const events: string[] = [];
  const session = new MlsSession(me.identity, [x.identity], () => undefined);
  session.on('arriving', (p) => events.push(`arriving ${p.type} ${p.participantId}`));
  session.on('proposal', (p) => events.push(`proposal ${p.type} ${p.participantId}`));
  const groupId = new Uint8Array(16).fill(1);
  void session.handle({ v: 1, type: 'mlsExternalSender', publicKey: b64(server.publicKey) });
  void session.handle({ v: 1, type: 'mlsCreateGroup', groupId: b64(groupId) });
  const add = await server.proposeAdd(groupId, 0n, x.keyPackage);
  const handled = session.handle({ v: 1, type: 'mlsHandshake', epoch: 0, message: b64(add) });
  assert.deepEqual(events, ['arriving add x'], 'told on arrival, before processing');
  await handled;
  assert.deepEqual(events, ['arriving add x', 'proposal add x']);
  session.close();
});

test('a newcomer whose Add has arrived is not a warning while the Add waits to be processed', async () => {
  const g = globalThis as { RTCRtpScriptTransform?: unknown };
  g.RTCRtpScriptTransform ??= class {};
  const sender = await ExternalSender.generate();
  const ds = new DeliveryService({ externalSender: sender });
  const views: E2eeView[] = [];
  const keyPackages: string[] = [];
  const controller = new E2eeController(
    {
      setView: (view) => views.push(view),
      chat: () => undefined,
      send: (type, payload) => {
        if (type === 'mlsKeyPackage')
          keyPackages.push((payload as unknown as { keyPackage: string }).keyPackage);
      },
    },
    {
      createWorker: () => ({ postMessage() {}, addEventListener() {}, terminate() {} }) as unknown as Worker,
      rosterTimings: { graceMs: 0, proposedGraceMs: 60_000 },
    },
  );
  const last = () => views.at(-1);
  try {
    controller.start(person('me'), []);
    await until('our KeyPackage', () => keyPackages.length === 1);
    const created = await ds.admit('me', Buffer.from(keyPackages[0]!, 'base64'));
    const groupId = ds.groupId;
    assert.ok(created[0]?.message.type === 'createGroup' && groupId);
    controller.handle({ v: 1, type: 'mlsExternalSender', publicKey: b64(sender.publicKey) });
    controller.handle({ v: 1, type: 'mlsCreateGroup', groupId: b64(groupId) });
    await until('our first epoch', () => last()?.status === 'encrypted');

    const x = await prepareJoin({ participantId: 'x', displayName: 'Name x' });
    controller.announce(person('x'));
    assert.deepEqual(last()?.missing, ['x'], 'announced, no Add yet: missing at once (grace 0)');
    const [proposal] = await ds.admit('x', x.keyPackage);
    assert.ok(proposal?.message.type === 'handshake');
    controller.handle({
      v: 1,
      type: 'mlsHandshake',
      epoch: Number(proposal.message.epoch),
      message: b64(proposal.message.bytes),
    });
    // Synchronously after the hand-over: the Add cannot have been processed yet.
    assert.deepEqual(last()?.missing, [], 'its Add arrived: within the longer grace');
    assert.equal(last()?.status, 'encrypted');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(last()?.missing, [], 'and once processed');
  } finally {
    controller.close();
  }
});
