/**
 * Webinar mode at the scale of the 2020 vigil: one panelist (the host) and 200 headless attendees in
 * one meeting, through the real signaling and a real Janus. Attendees only receive; the server refuses
 * their attempts to publish; a promoted attendee becomes a panelist and is heard by everyone.
 *
 * The MLS group holds the panelist, the promoted speaker and the first five attendees (headless MLS
 * members: SFrame on everything they send and receive). The other attendees are load clients outside
 * the group (`e2ee: false`): 200 JavaScript MLS members in one test process would each process every
 * commit (about 200 x 30 ms of CPU per join here), which measures ts-mls, not webinar mode.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HeadlessClient, SignalingError } from '../support/HeadlessClient.js';
import { startTestServer, type TestHost, type TestServer } from '../support/server.js';

const ATTENDEES = 200;
let server: TestServer;
let host: TestHost;
let meetingId: string;
let panelist: HeadlessClient;
const attendees: HeadlessClient[] = [];

before(async () => {
  // Every attendee connects from 127.0.0.1: one client key, so its socket and seat caps are raised.
  server = await startTestServer({ maxSocketsPerClient: 1000, maxSeatsPerClient: 1000 });
  host = await server.signUp();
  const res = await server.api<{ id: string }>('POST', '/api/meetings', host, {
    title: 'Vigil',
    settings: { webinar: true },
  });
  meetingId = res.body.id;
});
after(async () => {
  // Leave in small groups, so the teardown itself does not become a storm.
  for (let i = 0; i < attendees.length; i += 25)
    await Promise.all(attendees.slice(i, i + 25).map((a) => a.close()));
  await panelist?.close();
  await server?.close();
});

test(`one panelist and ${ATTENDEES} attendees: every attendee receives the panelist`, async () => {
  // A light stream keeps 200 JavaScript receivers in one test process within the machine's means.
  panelist = await HeadlessClient.join({
    url: server.url,
    meetingId,
    displayName: 'Panelist',
    cookie: host.cookie,
    audioPps: 10,
    videoPps: 20,
  });
  assert.equal(panelist.joinedMessage?.self.role, 'host');
  for (let i = 0; i < ATTENDEES; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, ATTENDEES - i) }, (_, k) =>
        HeadlessClient.join({
          url: server.url,
          meetingId,
          displayName: `attendee ${i + k}`,
          publish: false,
          receiveMode: 'light',
          requestTimeoutMs: 30_000,
          e2ee: i + k < 5,
        }),
      ),
    );
    attendees.push(...batch);
  }
  assert.equal(attendees.length, ATTENDEES);
  for (const a of attendees) assert.equal(a.joinedMessage?.self.role, 'attendee');
  for (const a of attendees) await a.waitForMediaFrom([panelist.id], { timeoutMs: 60_000 });
  const missing = attendees.filter(
    (a) => a.received(panelist.id, 'audio').packets === 0 || a.received(panelist.id, 'video').packets === 0,
  );
  assert.equal(missing.length, 0, 'every attendee received audio and video');
  await panelist.waitFor(() => panelist.participants().size === ATTENDEES, 10_000);
});

test('an attendee who tries to publish is refused with not_allowed, and nothing is forwarded', async () => {
  const a = attendees[0] as HeadlessClient;
  let code = 'no error';
  try {
    await a.request('publish', {
      jsep: { type: 'offer', sdp: 'v=0\r\n' },
      tracks: [{ mid: '0', source: 'mic' }],
    });
  } catch (err) {
    code = err instanceof SignalingError ? err.code : String(err);
  }
  assert.equal(code, 'not_allowed');
  assert.equal(panelist.received(a.id, 'audio').packets, 0);
});

test('a promoted attendee can publish and reaches the others; demoted, it stops', async () => {
  const speaker = await HeadlessClient.join({
    url: server.url,
    meetingId,
    displayName: 'Invited speaker',
    publish: false,
    audioPps: 10,
    videoPps: 20,
  });
  attendees.push(speaker);
  assert.equal(speaker.joinedMessage?.self.role, 'attendee');
  await panelist.waitFor(() => panelist.participants().has(speaker.id), 10_000);
  await panelist.request('setRole', { participantId: speaker.id, role: 'panelist' });
  await speaker.waitFor(() => speaker.joinedMessage !== undefined, 1000);
  await speaker.startPublishing();
  const listeners = attendees.slice(0, 5);
  await panelist.waitForMediaFrom([speaker.id], { timeoutMs: 15_000 });
  for (const l of listeners) await l.waitForMediaFrom([speaker.id], { timeoutMs: 15_000 });
  await panelist.request('setRole', { participantId: speaker.id, role: 'attendee' });
  await panelist.waitFor(() => panelist.participants().get(speaker.id)?.role === 'attendee', 3000);
  await new Promise((r) => setTimeout(r, 500));
  const frozen = panelist.received(speaker.id, 'audio').packets;
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(
    panelist.received(speaker.id, 'audio').packets - frozen <= 2,
    'a demoted panelist is no longer forwarded',
  );
});
