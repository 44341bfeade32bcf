/**
 * Lobby, passcode, host controls and their authorisation, through the real signaling, a real Janus and
 * a real database. Clients appear to come from different places through X-Forwarded-For from the
 * (trusted) loopback proxy, which also gives each its own rate-limit key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { HeadlessClient, SignalingError, type HeadlessClientOptions } from '../support/HeadlessClient.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

let server: TestServer;
let host: TestHost;
const clients: HeadlessClient[] = [];
let addresses = 10;

before(async () => {
  server = await startTestServer({ geo: { trustedProxies: ['127.0.0.1', '::1'] }, resumeWindowMs: 2000 });
  host = await server.signUp();
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
});

async function hostedMeeting(settings: Record<string, unknown> = {}): Promise<string> {
  const res = await server.api<{ id: string }>('POST', '/api/meetings', host, { title: 'Vigil', settings });
  assert.equal(res.status, 201);
  return res.body.id;
}

/** A client from its own documentation-range address (jurisdiction ZZ) unless told otherwise. */
async function join(
  meetingId: string,
  displayName: string,
  options: Partial<HeadlessClientOptions> = {},
): Promise<HeadlessClient> {
  const c = await HeadlessClient.join({
    url: server.url,
    meetingId,
    displayName,
    forwardedFor: `203.0.113.${addresses++}`,
    videoPps: 30,
    ...options,
  });
  clients.push(c);
  return c;
}

const errorCode = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof SignalingError) return err.code;
    if (err instanceof Error && 'code' in err) return String((err as { code: unknown }).code);
    if (err instanceof Error) return `message: ${err.message}`;
    throw err;
  }
  return 'no error';
};

function nextMessage<T extends ServerMessage['type']>(
  c: HeadlessClient,
  type: T,
): Promise<Extract<ServerMessage, { type: T }>> {
  return new Promise((resolve) => {
    const off = c.events.on('message', (m) => {
      if (m.type === type) {
        off();
        resolve(m as Extract<ServerMessage, { type: T }>);
      }
    });
  });
}

describe('passcodes never reveal whether a meeting exists', () => {
  test('a wrong passcode and a made-up meeting id get the same answer; failures are rate-limited', async () => {
    const id = await hostedMeeting({ passcode: 'open-sesame' });
    const from = '198.51.100.7';
    const wrong = await errorCode(join(id, 'guess', { passcode: 'nope', forwardedFor: from }));
    const missing = await errorCode(join(id, 'guess', { forwardedFor: from }));
    const madeUp = await errorCode(
      join('ZZZZZZZZZZZZZZZZZZZZZZ', 'guess', { passcode: 'open-sesame', forwardedFor: from }),
    );
    assert.deepEqual(
      [wrong, missing, madeUp],
      ['meeting_not_found', 'meeting_not_found', 'meeting_not_found'],
    );
    for (let i = 0; i < 8; i++) await errorCode(join(id, 'guess', { passcode: `x${i}`, forwardedFor: from }));
    assert.equal(
      await errorCode(join(id, 'guess', { passcode: 'open-sesame', forwardedFor: from })),
      'rate_limited',
    );
    // Another client is unaffected, and the right passcode works.
    const ok = await join(id, 'invited', { passcode: 'open-sesame' });
    assert.equal(ok.joinedMessage?.self.role, 'participant');
  });
});

describe('a meeting with a lobby', () => {
  let meetingId: string;
  let hostClient: HeadlessClient;
  let guest: HeadlessClient;
  let other: HeadlessClient;
  let late: HeadlessClient;
  const guestCookie = 'convene_guest=guestbrowserkey0123456789';

  test('the host skips the lobby; a guest waits, is admitted, and media flows both ways', async () => {
    meetingId = await hostedMeeting({ lobby: true });
    hostClient = await join(meetingId, 'Host', { cookie: host.cookie });
    assert.equal(hostClient.joinedMessage?.self.role, 'host');
    const lobbyUpdate = nextMessage(hostClient, 'lobbyAdded');
    const guestJoining = join(meetingId, 'Guest', { cookie: guestCookie });
    const { entries: lobby } = await lobbyUpdate;
    assert.equal(lobby.length, 1);
    assert.equal(lobby[0]?.displayName, 'Guest');
    assert.equal(hostClient.participants().size, 0, 'a waiting guest is not in the meeting');
    await hostClient.request('admit', { participantIds: [lobby[0]?.id ?? ''] });
    guest = await guestJoining;
    assert.equal(guest.joinedMessage?.self.role, 'participant');
    await guest.waitForMediaFrom([hostClient.id], { timeoutMs: 15_000 });
    await hostClient.waitForMediaFrom([guest.id], { timeoutMs: 15_000 });
  });

  test('a denied guest is told so and never enters', async () => {
    const lobbyUpdate = nextMessage(hostClient, 'lobbyAdded');
    const denied = join(meetingId, 'Unwanted');
    const { entries: lobby } = await lobbyUpdate;
    await hostClient.request('deny', { all: true });
    // The server says sessionEnded {denied} and closes with 4006; the client's join fails, for good.
    assert.equal(await errorCode(denied), 'message: socket closed');
    assert.ok(![...hostClient.participants().values()].some((p) => p.displayName === 'Unwanted'));
    assert.equal(lobby.length, 1);
  });

  test('a participant sending any host control gets not_allowed and nothing changes', async () => {
    const otherJoining = join(meetingId, 'Other');
    const { entries: lobby } = await nextMessage(hostClient, 'lobbyAdded');
    await hostClient.request('admit', { participantIds: lobby.map((l) => l.id) });
    other = await otherJoining;
    const attempts: Array<[Parameters<HeadlessClient['request']>[0], object]> = [
      ['admit', { all: true }],
      ['deny', { all: true }],
      ['remove', { participantId: other.id, ban: true }],
      ['remove', { participantId: hostClient.id, ban: false }],
      ['mute', { all: true }],
      ['askUnmute', { participantId: other.id }],
      ['lowerHand', { all: true }],
      ['lock', { locked: true }],
      ['endMeeting', {}],
      ['setRole', { participantId: guest.id, role: 'cohost' }],
    ];
    for (const [type, payload] of attempts) {
      assert.equal(await errorCode(guest.request(type, payload as never)), 'not_allowed', type);
    }
    const state = await server.store.meetings.get(meetingId);
    assert.equal(state?.locked, false);
    assert.equal(state?.endedAt, null);
    assert.equal(guest.participants().size, 2, 'nobody was removed');
    assert.equal(guest.joinedMessage?.self.role, 'participant');
    await other.waitForMediaFrom([hostClient.id], { timeoutMs: 10_000 });
  });

  test('a co-host can mute (enforced at the media server), a co-host cannot end the meeting', async () => {
    await hostClient.request('setRole', { participantId: other.id, role: 'cohost' });
    await other.waitFor(() => other.participants().get(guest.id) !== undefined, 1000);
    const forced = nextMessage(guest, 'forceMute');
    await other.request('mute', { participantIds: [guest.id] });
    await forced;
    // The headless guest ignores forceMute and keeps sending: the SFU must stop forwarding its audio.
    await new Promise((r) => setTimeout(r, 300));
    const before = hostClient.received(guest.id, 'audio').packets;
    await new Promise((r) => setTimeout(r, 1000));
    const afterMute = hostClient.received(guest.id, 'audio').packets;
    assert.ok(
      afterMute - before <= 2,
      `audio stopped at the media server (${afterMute - before} packets in 1 s)`,
    );
    const video = hostClient.received(guest.id, 'video').packets;
    // Video still flows (waited for: a loaded machine may pause a sender for longer than a fixed wait).
    await hostClient.waitFor(() => hostClient.received(guest.id, 'video').packets > video, 5000);
    assert.equal(await errorCode(other.request('endMeeting', {})), 'not_allowed');
    assert.equal(
      await errorCode(other.request('setRole', { participantId: guest.id, role: 'cohost' })),
      'not_allowed',
    );
    // Unmuting yourself lifts the mute at the media server.
    await guest.setMediaState({ audioMuted: false, videoMuted: false, screenSharing: false });
    const lifted = hostClient.received(guest.id, 'audio').packets;
    await hostClient.waitFor(() => hostClient.received(guest.id, 'audio').packets > lifted + 10, 5000);
  });

  test('hands go up and a co-host lowers them', async () => {
    await guest.request('raiseHand', { raised: true });
    await hostClient.waitFor(() => hostClient.participants().get(guest.id)?.handRaised === true, 2000);
    await other.request('lowerHand', { participantIds: [guest.id] });
    await hostClient.waitFor(() => hostClient.participants().get(guest.id)?.handRaised === false, 2000);
  });

  test('removed and barred: the same browser cannot come back; the removal sticks at the media layer', async () => {
    const ended = nextMessage(guest, 'sessionEnded');
    await hostClient.request('remove', { participantId: guest.id, ban: true });
    const msg = await ended;
    assert.equal(msg.reason, 'removed');
    assert.equal(msg.banned, true);
    await hostClient.waitFor(() => !hostClient.participants().has(guest.id), 3000);
    const count =
      hostClient.received(guest.id, 'audio').packets + hostClient.received(guest.id, 'video').packets;
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(
      hostClient.received(guest.id, 'audio').packets + hostClient.received(guest.id, 'video').packets,
      count,
      'no media from a removed participant',
    );
    const again = join(meetingId, 'Guest again', { cookie: guestCookie });
    const lobbyOrBan = await errorCode(again);
    assert.equal(lobbyOrBan, 'banned');
  });

  test('a locked meeting refuses newcomers; unlocked it takes them again', async () => {
    await hostClient.request('lock', { locked: true });
    assert.equal(await errorCode(join(meetingId, 'Late')), 'meeting_locked');
    await hostClient.request('lock', { locked: false });
    const lobbyUpdate = nextMessage(hostClient, 'lobbyAdded');
    const lateJoining = join(meetingId, 'Late');
    await lobbyUpdate;
    await hostClient.request('admit', { all: true });
    late = await lateJoining;
    assert.equal(late.joinedMessage?.meeting.locked, false);
  });

  test('the host ends the meeting for everyone; it cannot be joined again', async () => {
    const present = [hostClient, other, late];
    const ends = present.map((c) => nextMessage(c, 'sessionEnded'));
    const ack = await hostClient.request('endMeeting', {});
    assert.equal(ack.type, 'ack', 'the host is answered before being disconnected');
    const messages = await Promise.race([
      Promise.all(ends),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no sessionEnded')), 5000)),
    ]);
    assert.deepEqual(
      messages.map((m) => m.reason),
      ['ended', 'ended', 'ended'],
    );
    assert.ok((await server.store.meetings.get(meetingId))?.endedAt, 'recorded as ended');
    assert.equal(await errorCode(join(meetingId, 'After', { cookie: host.cookie })), 'meeting_not_found');
  });
});

describe('host region settings', () => {
  test('changing them re-checks live participants: only those from the named country leave', async () => {
    const id = await hostedMeeting();
    const hostClient = await join(id, 'Host', { cookie: host.cookie });
    const fromCN = await join(id, 'Mainland', { forwardedFor: '114.114.114.114' });
    const fromHK = await join(id, 'Island', { forwardedFor: '202.45.84.1' });
    await hostClient.waitFor(() => hostClient.participants().size === 2, 5000);
    const removed = nextMessage(fromCN, 'sessionEnded');
    const res = await server.api('PATCH', `/api/meetings/${id}`, host, {
      settings: { regionPolicy: { mode: 'deny', jurisdictions: ['CN'] } },
    });
    assert.equal(res.status, 200);
    const notice = await removed;
    assert.equal(notice.reason, 'removed');
    assert.equal(notice.code, 'region_not_allowed', 'the notice says why');
    await hostClient.waitFor(() => !hostClient.participants().has(fromCN.id), 3000);
    assert.ok(hostClient.participants().has(fromHK.id), 'others stay');
    assert.equal(
      await errorCode(join(id, 'Mainland again', { forwardedFor: '114.114.114.114' })),
      'region_not_allowed',
    );
  });
});
