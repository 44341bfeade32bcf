/**
 * The restart drill (issue 9): the real `convene start` is SIGKILLed in the middle of a meeting and
 * started again on the same data directory and port, as a supervisor (systemd `Restart=always`) would.
 *
 * It shows that nothing acknowledged is lost (the meeting, a case and its operator-log entries), that
 * the orphaned Janus of the killed server is stopped, and that clients come back by themselves: the
 * headless clients (the web app's rules, in test/support/headless/Signaling.ts) and the browser client
 * library's own SignalingClient, driven here over `ws`, each reconnect with backoff, are told
 * `resume_expired` (the new process has no seats), join again with a clear state, and media flows again
 * between the new seats.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { SignalingClient } from '../../src/client/SignalingClient.js';
import type { JoinedMessage } from '../../src/protocol/messages.js';
import {
  alive,
  freePort,
  hostWithMeeting,
  runConvene,
  startConvene,
  type ConveneProcess,
} from '../support/conveneProcess.js';
import { HeadlessClient } from '../support/HeadlessClient.js';
import { librarySignaling, until } from '../support/librarySignaling.js';
import { enrolAndSignIn, jsonCall } from '../support/operators.js';

interface CaseView {
  ref: string;
  status: string;
  actions: { seq: number; action: string }[];
}

test(
  'convene start SIGKILLed mid-meeting and restarted: nothing acknowledged is lost and every client rejoins by itself',
  {
    timeout: 240_000,
  },
  async (t) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-drill-'));
    const port = await freePort();
    let server: ConveneProcess | undefined = await startConvene(dataDir, { port });
    const clients: HeadlessClient[] = [];
    let library: SignalingClient | undefined;
    try {
      const url = server.url;
      const { cookie, meetingId } = await hostWithMeeting(url, 'drill-host@example.org');

      // An operator added by the real CLI (through the running server's admin socket) files a case.
      const added = await runConvene([
        'operator',
        'add',
        '--email',
        'intake@operators.example',
        '--role',
        'intake',
        '--data-dir',
        dataDir,
      ]);
      assert.equal(added.code, 0, added.stderr);
      const token = /enrolment token: (\S+)/.exec(added.stdout)?.[1];
      assert.ok(token, added.stdout);
      const operator = await enrolAndSignIn(url, 'intake@operators.example', token);
      const filed = await operator.api<{ ref: string }>('POST', '/api/operator/cases', {
        authority: 'A ministry',
        jurisdiction: 'CN',
        legalBasis: 'A law',
        receivedOn: '2026-06-01',
        demands: ['end_meeting'],
        targets: [{ kind: 'meeting', link: meetingId }],
      });
      assert.equal(filed.status, 201);
      const caseBefore = await operator.api<CaseView>('GET', `/api/operator/cases/${filed.body.ref}`);
      assert.equal(caseBefore.status, 200);
      assert.ok(caseBefore.body.actions.length >= 1, 'the intake is an operator-log entry');

      // The meeting: the host and a guest send media; a third client is the browser library's signaling.
      const host = await HeadlessClient.join({ url, meetingId, displayName: 'Host', cookie });
      clients.push(host);
      const guest = await HeadlessClient.join({ url, meetingId, displayName: 'Guest' });
      clients.push(guest);
      await host.waitForMediaFrom([guest.id], { timeoutMs: 20_000 });
      await guest.waitForMediaFrom([host.id], { timeoutMs: 20_000 });
      const lib = librarySignaling(url);
      library = lib.client;
      const libraryJoined = await library.join(meetingId, 'Library');
      await host.request('react', { reaction: 'thumbsUp' });

      const ids = { host: host.id, guest: guest.id, library: libraryJoined.self.id };
      const rejoined = new Map<string, JoinedMessage>();
      host.events.on('rejoined', (j) => rejoined.set('host', j));
      guest.events.on('rejoined', (j) => rejoined.set('guest', j));
      const janusPid = Number((await readFile(path.join(dataDir, 'janus', 'janus.pid'), 'utf8')).trim());
      assert.ok(alive(janusPid));

      const killedAt = Date.now();
      server.child.kill('SIGKILL');
      await server.exited();
      server = undefined;
      await until(() => library?.state === 'reconnecting', 10_000, 'the library noticed the drop');

      server = await startConvene(dataDir, { port });
      const readyAt = Date.now();
      assert.equal(server.url, url, 'same address');
      assert.equal(alive(janusPid), false, 'the killed server’s Janus was stopped by the new one');

      await until(
        () => rejoined.size === 2 && lib.lastReset() !== undefined,
        60_000,
        'every client rejoined by itself',
      );
      const backAt = Date.now();
      t.diagnostic(
        `restart: ready ${readyAt - killedAt} ms after SIGKILL, every client rejoined ${backAt - killedAt} ms after`,
      );

      // A clear state: new seats (the old ones died with the process), the library reset, no resume.
      assert.notEqual(host.id, ids.host);
      assert.notEqual(guest.id, ids.guest);
      const libraryReset = lib.lastReset();
      assert.ok(libraryReset);
      assert.notEqual(libraryReset.self.id, ids.library);
      assert.equal(libraryReset.resumed, false);
      assert.equal(library.state, 'joined');
      assert.deepEqual(lib.states.slice(0, 3), ['connecting', 'joined', 'reconnecting']);
      assert.equal(host.stats().rejoins, 1);
      assert.equal(guest.stats().rejoins, 1);

      // Everyone sees everyone again, old ids gone, and media flows between the new seats. The library's
      // seat is read each time: a rejoin refused while the server warms up can reset it once more.
      await until(
        () => host.participants().has(guest.id) && host.participants().has(lib.lastReset()?.self.id ?? ''),
        20_000,
        'the host sees both others',
      );
      assert.equal(host.participants().has(ids.guest), false);
      await host.waitForMediaFrom([guest.id], { timeoutMs: 30_000 });
      await guest.waitForMediaFrom([host.id], { timeoutMs: 30_000 });
      await guest.request('react', { reaction: 'heart' });

      // Nothing acknowledged is lost: the meeting, the case and its log entries.
      const meeting = await jsonCall(url, 'GET', `/api/meetings/${meetingId}`, undefined, { cookie });
      assert.equal(meeting.status, 200);
      const caseAfter = await operator.api<CaseView>('GET', `/api/operator/cases/${filed.body.ref}`);
      assert.equal(caseAfter.status, 200);
      assert.deepEqual(caseAfter.body.actions, caseBefore.body.actions);
    } finally {
      library?.leave();
      await Promise.all(clients.map((c) => c.close()));
      await server?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
