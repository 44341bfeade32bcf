/**
 * Unban (issue 9 item 4): a meeting's host lists its bans (what each matches, never the subjects) and
 * lifts one, signed in or with the host key; the live meeting's ban set follows, so a lifted guest
 * admitted from the lobby is seated, not refused as banned. Refusals are typed and change nothing.
 * Real signaling and database, in-memory media (the subject is not media).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryEngine } from '../../src/media/memory/MemoryEngine.js';
import { RawSocket, type Reply } from '../support/RawSocket.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

let server: TestServer;
let owner: TestHost;
let stranger: TestHost;
const sockets: RawSocket[] = [];
let nextAddress = 1;
let rids = 0;

before(async () => {
  server = await startTestServer(
    { geo: { trustedProxies: ['127.0.0.1', '::1'] }, resumeWindowMs: 500 },
    { engine: new MemoryEngine() },
  );
  owner = await server.signUp();
  stranger = await server.signUp();
});
after(async () => {
  for (const s of sockets) s.ws.terminate();
  await server?.close();
});

async function joinAs(meetingId: string, displayName: string, cookie?: string, extra = {}) {
  const s = await RawSocket.open(server.url, {
    'x-forwarded-for': `198.51.100.${nextAddress++}`,
    ...(cookie ? { cookie } : {}),
  });
  sockets.push(s);
  const reply = await s.ask({ type: 'join', rid: `j${++rids}`, meetingId, displayName, ...extra });
  return { s, reply };
}

const selfId = (reply: Reply) => (reply as unknown as { self: { id: string } }).self.id;

interface BanJson {
  id: string;
  label: string | null;
  matches: string[];
  createdAt: string;
}

/** A meeting with a guest seated and then removed with a ban by the host; the host's socket stays. */
async function banGuest(meetingId: string, guestCookie: string, hostCookie?: string, hostKey?: string) {
  const host = await joinAs(meetingId, 'Host', hostCookie, hostKey ? { hostKey } : {});
  assert.equal(host.reply.type, 'joined');
  const guest = await joinAs(meetingId, 'Mallory', guestCookie);
  assert.equal(guest.reply.type, 'joined');
  const ack = await host.s.ask({
    type: 'remove',
    rid: `r${++rids}`,
    participantId: selfId(guest.reply),
    ban: true,
  });
  assert.equal(ack.type, 'ack');
  await guest.s.closed;
  return host.s;
}

describe('bans of a signed-in host', () => {
  const guestCookie = 'convene_guest=unbanguestkey0123456789ab';
  let meetingId = '';
  let hostSocket: RawSocket;

  before(async () => {
    const res = await server.api<{ id: string }>('POST', '/api/meetings', owner, { title: 'Unban' });
    meetingId = res.body.id;
    hostSocket = await banGuest(meetingId, guestCookie, owner.cookie);
    // From now on newcomers wait in the lobby: admission there asks the live ban set.
    const patch = await server.api('PATCH', `/api/meetings/${meetingId}`, owner, {
      settings: { lobby: true },
    });
    assert.equal(patch.status, 200);
  });

  test('the host lists the ban: its label and what it matches, never the guest key', async () => {
    const res = await server.api<{ bans: BanJson[] }>('GET', `/api/meetings/${meetingId}/bans`, owner);
    assert.equal(res.status, 200);
    assert.equal(res.body.bans.length, 1);
    const [ban] = res.body.bans;
    assert.equal(ban?.label, 'Mallory');
    assert.deepEqual(ban?.matches, ['guest']);
    assert.deepEqual(Object.keys(ban ?? {}).sort(), ['createdAt', 'id', 'label', 'matches']);
    assert.ok(!JSON.stringify(res.body).includes('unbanguestkey'), 'the subject is never shown');
    const again = await joinAs(meetingId, 'Mallory', guestCookie);
    assert.equal(again.reply.code, 'banned');
  });

  test('refusals are typed and lift nothing', async () => {
    const path = `/api/meetings/${meetingId}/bans`;
    const [ban] = (await server.api<{ bans: BanJson[] }>('GET', path, owner)).body.bans;
    const id = ban?.id ?? '';
    const code = (r: { body: unknown }) => (r.body as { error: { code: string } }).error.code;
    const cases: Array<[string, string, TestHost | undefined, number, string]> = [
      ['GET', path, stranger, 404, 'not_found'],
      ['GET', path, undefined, 401, 'not_signed_in'],
      ['DELETE', `${path}/${id}`, stranger, 404, 'not_found'],
      ['DELETE', `${path}/${id}`, undefined, 401, 'not_signed_in'],
      ['DELETE', `${path}/00000000-0000-4000-8000-000000000000`, owner, 404, 'not_found'],
      ['DELETE', `${path}/not-a-ban`, owner, 400, 'bad_request'],
    ];
    for (const [method, url, who, status, expected] of cases) {
      const res = await server.api(method, url, who);
      assert.equal(res.status, status, `${method} ${url}`);
      assert.equal(code(res), expected, `${method} ${url}`);
    }
    const hostKeyTry = await server.api('POST', `/api/host-key/bans/${id}/lift`, undefined, {
      meetingId,
      hostKey: 'not-the-host-key',
    });
    assert.equal(hostKeyTry.status, 404);
    assert.equal((await server.store.bans.bans(meetingId)).length, 1, 'still banned');
  });

  test('lifted: the guest comes back through the lobby and is seated', async () => {
    const path = `/api/meetings/${meetingId}/bans`;
    const [ban] = (await server.api<{ bans: BanJson[] }>('GET', path, owner)).body.bans;
    const res = await server.api('DELETE', `${path}/${ban?.id ?? ''}`, owner);
    assert.equal(res.status, 204);
    assert.deepEqual((await server.api<{ bans: BanJson[] }>('GET', path, owner)).body.bans, []);
    const again = await server.api('DELETE', `${path}/${ban?.id ?? ''}`, owner);
    assert.equal(again.status, 404, 'lifted once');

    const s = await RawSocket.open(server.url, { 'x-forwarded-for': '198.51.100.200', cookie: guestCookie });
    sockets.push(s);
    const waiting = await s.ask({ type: 'join', rid: 'back', meetingId, displayName: 'Mallory' });
    assert.equal(waiting.type, 'lobbyWait');
    await hostSocket.until(
      () => hostSocket.messages.some((m) => m.type === 'lobbyAdded'),
      5000,
      'lobbyAdded',
    );
    const admitted = await hostSocket.ask({ type: 'admit', rid: `a${++rids}`, all: true });
    assert.equal(admitted.type, 'ack');
    // Without the live ban set following the lift, admission would refuse the guest as banned.
    await s.until(
      () => s.messages.some((m) => m.type === 'joined' || m.type === 'sessionEnded'),
      5000,
      'seat',
    );
    assert.ok(
      s.messages.some((m) => m.type === 'joined'),
      JSON.stringify(s.messages),
    );
  });
});

describe('bans of an anonymous meeting, by host key', () => {
  test('listed and lifted with the host key; a wrong key is not_found and lifts nothing', async () => {
    const created = await server.api<{ id: string; hostKey: string }>('POST', '/api/meetings', undefined, {});
    const { id: meetingId, hostKey } = created.body;
    await banGuest(meetingId, 'convene_guest=anonguestkey0123456789abcd', undefined, hostKey);
    const wrong = await server.api('POST', '/api/host-key/bans', undefined, {
      meetingId,
      hostKey: 'x'.repeat(32),
    });
    assert.equal(wrong.status, 404);
    const list = await server.api<{ bans: BanJson[] }>('POST', '/api/host-key/bans', undefined, {
      meetingId,
      hostKey,
    });
    assert.equal(list.status, 200);
    assert.equal(list.body.bans.length, 1);
    const id = list.body.bans[0]?.id ?? '';
    const lifted = await server.api('POST', `/api/host-key/bans/${id}/lift`, undefined, {
      meetingId,
      hostKey,
    });
    assert.equal(lifted.status, 204);
    assert.deepEqual(await server.store.bans.bans(meetingId), []);
    const back = await joinAs(meetingId, 'Mallory', 'convene_guest=anonguestkey0123456789abcd');
    assert.equal(back.reply.type, 'joined');
  });
});

describe('a ban made on another node', () => {
  test(
    'arrives over the bus and ends the matching seat and lobby wait here, not the others',
    { timeout: 15_000 },
    async () => {
      const res = await server.api<{ id: string }>('POST', '/api/meetings', owner, { title: 'Bus ban' });
      const meetingId = res.body.id;
      const host = await joinAs(meetingId, 'Host', owner.cookie);
      assert.equal(host.reply.type, 'joined');
      const cookie = 'convene_guest=busbanguestkey0123456789a';
      const seated = await joinAs(meetingId, 'Mallory', cookie);
      const other = await joinAs(meetingId, 'Olga', 'convene_guest=busbanotherkey0123456789ab');
      for (const j of [seated, other]) assert.equal(j.reply.type, 'joined');
      const patch = await server.api('PATCH', `/api/meetings/${meetingId}`, owner, {
        settings: { lobby: true },
      });
      assert.equal(patch.status, 200);
      const waiting = await joinAs(meetingId, 'Mallory again', cookie);
      assert.equal(waiting.reply.type, 'lobbyWait');
      const live = server.service.liveMeeting(meetingId);
      const mallory = [...(live?.participants.values() ?? [])].find((p) => p.displayName === 'Mallory');
      assert.ok(mallory, 'Mallory is seated');
      // What the node where the host pressed "ban" publishes after storing the ban (MeetingService).
      await server.bus.publish({
        type: 'bansAdded',
        meetingId,
        subjects: [`guest:${mallory.identity.guestKey}`],
      });
      await Promise.all([seated.s.closed, waiting.s.closed]);
      for (const s of [seated.s, waiting.s]) {
        const ended = s.messages.find((m) => m.type === 'sessionEnded') as { banned?: boolean } | undefined;
        assert.equal(ended?.banned, true);
      }
      assert.deepEqual([...(live?.participants.values() ?? [])].map((p) => p.displayName).sort(), [
        'Host',
        'Olga',
      ]);
      assert.equal(live?.lobby.size, 0);
    },
  );
});
