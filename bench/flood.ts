/**
 * `npm run bench:flood`: what clients that stop reading cost the server (issue 9, item 2). Builds (as
 * `npm start` does), starts the real `convene start` command in a child process with the embedded
 * database and its own Janus, and joins one meeting with 10 chat senders, each within its rate limit
 * (18 messages a second of 4,000 characters, as MLS application messages: bench/mlsGroup.ts), and 4
 * clients that join the group and then read nothing. After FLOOD_SECONDS (default 20) of chat it prints the Convene process's resident memory before and
 * during the flood, how many messages a reading client got, and how the non-reading clients'
 * sockets ended.
 *
 * Options (environment): FLOOD_SECONDS=20, SENDERS=10, STALLED=4, RATE=18 (messages/s per sender).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createMeeting, fmt, machineSummary, MiB, procRssBytes, sleep, spawnConvene } from './lib.js';
import { groupCreator, sealFrames, uploadKeyPackage } from './mlsGroup.js';

const SECONDS = Number(process.env.FLOOD_SECONDS ?? 20);
const SENDERS = Number(process.env.SENDERS ?? 10);
const STALLED = Number(process.env.STALLED ?? 4);
const RATE = Number(process.env.RATE ?? 18);
const TEXT = 'x'.repeat(4000);

interface Client {
  ws: WebSocket;
  chats: number;
  closedWith: number | undefined;
}

function join(url: string, meetingId: string, name: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    const client: Client = { ws, chats: 0, closedWith: undefined };
    ws.on('open', () =>
      ws.send(JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: name })),
    );
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as {
        type: string;
        rid?: string;
        code?: string;
        self?: { id: string };
      };
      if (msg.rid === 'j') {
        if (msg.type === 'joined' && msg.self)
          void uploadKeyPackage(ws, msg.self.id, name).then(() => resolve(client), reject);
        else reject(new Error(`join refused: ${msg.code ?? msg.type}`));
      } else if (msg.type === 'mlsMessage') client.chats++;
    });
    ws.on('close', (code) => (client.closedWith = code));
    ws.on('error', reject);
  });
}

const rss = (pid: number | undefined) => {
  const bytes = pid === undefined ? undefined : procRssBytes(pid);
  return bytes === undefined ? undefined : bytes / MiB;
};

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-flood-'));
const { child, url } = await spawnConvene(dataDir);
try {
  console.log(
    `bench:flood  ${machineSummary()}; ${SENDERS} senders x ${RATE} msg/s x ${TEXT.length} chars, ` +
      `${STALLED} non-reading clients, ${SECONDS} s`,
  );
  await sleep(3000); // let start-up settle
  const idle = rss(child.pid);
  const meetingId = await createMeeting(url);
  const creator = await groupCreator(url, meetingId);
  const senders: Client[] = [];
  for (let i = 0; i < SENDERS; i++) senders.push(await join(url, meetingId, `sender ${i}`));
  const stalled: Client[] = [];
  for (let i = 0; i < STALLED; i++) stalled.push(await join(url, meetingId, `stalled ${i}`));
  const [frame] = await sealFrames(creator, 1 + SENDERS + STALLED, [TEXT]);
  for (const s of stalled) s.ws.pause();
  const before = rss(child.pid);
  const samples: string[] = [];
  const started = Date.now();
  let sent = 0;
  const timers = senders.map((s) =>
    setInterval(() => {
      if (s.ws.readyState !== WebSocket.OPEN) return;
      s.ws.send(frame ?? '');
      sent++;
    }, 1000 / RATE),
  );
  for (let t = 5; t <= SECONDS; t += 5) {
    await sleep(started + t * 1000 - Date.now());
    samples.push(`${t} s: ${fmt(rss(child.pid), 0)} MiB`);
  }
  for (const t of timers) clearInterval(t);
  await sleep(2000);
  const after = rss(child.pid);
  // Read again: a socket the server shed now sees its end (1013 if the close frame got through,
  // 1006 when only the TCP connection was dropped).
  for (const s of stalled) s.ws.resume();
  await sleep(3000);
  const reader = senders[0];
  console.log(
    `server RSS idle ${fmt(idle, 0)} MiB, joined ${fmt(before, 0)} MiB, after the flood ${fmt(after, 0)} MiB`,
  );
  console.log(`  during: ${samples.join(', ')}`);
  console.log(`  growth during the flood: ${fmt((after ?? NaN) - (before ?? NaN), 0)} MiB`);
  console.log(`  chat messages sent ${sent}, received by a reading sender ${reader?.chats ?? 0}`);
  console.log(
    `  non-reading clients: ${stalled.map((s) => (s.closedWith === undefined ? 'still open' : `closed ${s.closedWith}`)).join(', ')}`,
  );
  console.log(
    `  senders still open: ${senders.filter((s) => s.ws.readyState === WebSocket.OPEN).length} of ${SENDERS}`,
  );
  for (const c of [...senders, ...stalled]) c.ws.terminate();
} finally {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  await rm(dataDir, { recursive: true, force: true });
}
