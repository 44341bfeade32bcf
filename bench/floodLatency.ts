/**
 * `npm run bench:flood-latency`: what one flooding client costs everyone else (issue 9, fault suite).
 * Builds (as `npm start` does) and starts the real `convene start` with its own Janus and the embedded
 * database, seats CHATTERS clients in one meeting who each send CHAT_RATE chat messages a second (MLS
 * application messages the server relays: bench/mlsGroup.ts), and has one more client join and leave
 * once a second. Then, in ONE run, it alternates quiet phases with flood phases, in which a separate
 * process sends FLOOD_RATE messages a second (`raiseHand`, up and down) from one address (far beyond
 * the limit of 20 a second), and reconnects at once whenever the server closes it.
 *
 * It prints, per condition, the chatters' delivery latency (send to receipt at every other chatter)
 * and the join time, their p95 ratio flood / quiet, and what happened to the flooder. Every client
 * has its own forwarded address (the server trusts 127.0.0.1 as a proxy), as behind a real proxy.
 *
 * Many short alternating rounds, so that other load on the machine falls on both conditions alike.
 *
 * Options (environment): PHASE_SECONDS=10, ROUNDS=8, CHATTERS=10, CHAT_RATE=2, FLOOD_RATE=1000.
 * Internal: `floodLatency.ts flooder <url> <meetingId>` is the flooding process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createMeeting, fmt, machineSummary, percentile, printTable, sleep, spawnConvene } from './lib.js';
import { groupCreator, sealFrames, uploadKeyPackage } from './mlsGroup.js';

const PHASE_SECONDS = Number(process.env.PHASE_SECONDS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const CHATTERS = Number(process.env.CHATTERS ?? 10);
const CHAT_RATE = Number(process.env.CHAT_RATE ?? 2);
const FLOOD_RATE = Number(process.env.FLOOD_RATE ?? 1000);
/**
 * Seats of a closed flooder wait this long for a resume before they leave (and tell everyone); short,
 * so that they are gone before the next quiet phase (the window is no subject here).
 */
const RESUME_WINDOW_MS = 2_000;

type Phase = 'quiet' | 'flood' | 'settle';
interface Msg {
  type: string;
  rid?: string;
  code?: string;
  message?: string;
  self?: { id: string };
}

/** Opens a socket from `address` (X-Forwarded-For) and joins; resolves with the socket once joined. */
function join(url: string, meetingId: string, name: string, address: string, onMsg?: (m: Msg) => void) {
  return new Promise<{ ws: WebSocket; id: string }>((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers: { 'x-forwarded-for': address } });
    ws.on('open', () =>
      ws.send(JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: name })),
    );
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Msg;
      if (msg.rid === 'j') {
        if (msg.type === 'joined') resolve({ ws, id: msg.self?.id ?? '' });
        else {
          ws.terminate();
          reject(new Error(`join refused: ${msg.code ?? msg.type}`));
        }
      } else onMsg?.(msg);
    });
    ws.on('error', reject);
    ws.on('close', () => reject(new Error('closed before joining')));
  });
}

/**
 * The flooding process: on `go` (a line on stdin) it sends FLOOD_RATE messages a second, reconnecting at
 * once whenever it is closed or refused; on `stop` it closes and prints what happened as one JSON line.
 * It is started before anything is measured, so its own start-up (tsx) costs no phase anything.
 */
async function flooder(url: string, meetingId: string): Promise<void> {
  let stats = { joins: 0, refusedJoins: 0, closes: 0, sent: 0, rateLimited: 0 };
  let flooding = false;
  let ws: WebSocket | undefined;
  const perTick = Math.max(1, Math.round(FLOOD_RATE / 100));
  const timer = setInterval(() => {
    if (!flooding || ws?.readyState !== WebSocket.OPEN) return;
    for (let i = 0; i < perTick; i++)
      ws.send(JSON.stringify({ v: 1, type: 'raiseHand', raised: (stats.sent + i) % 2 === 0 }));
    stats.sent += perTick;
  }, 10);
  const loop = async () => {
    while (flooding) {
      try {
        ws = (
          await join(url, meetingId, 'flooder', '192.0.2.66', (m) => {
            if (m.type === 'error' && m.code === 'rate_limited') stats.rateLimited++;
          })
        ).ws;
      } catch {
        stats.refusedJoins++;
        await sleep(100);
        continue;
      }
      stats.joins++;
      const open = ws;
      if (!flooding) open.terminate();
      await new Promise<void>((resolve) => open.once('close', () => resolve()));
      if (flooding) stats.closes++;
    }
  };
  let running: Promise<void> = Promise.resolve();
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    for (const cmd of chunk.split('\n').filter(Boolean)) {
      if (cmd === 'go') {
        flooding = true;
        running = loop();
      } else if (cmd === 'stop') {
        flooding = false;
        ws?.terminate();
        void running.then(() => {
          process.stdout.write(`${JSON.stringify(stats)}\n`);
          stats = { joins: 0, refusedJoins: 0, closes: 0, sent: 0, rateLimited: 0 };
        });
      }
    }
  });
  process.stdin.on('end', () => {
    clearInterval(timer);
    ws?.terminate();
    process.exit(0);
  });
  process.stdout.write('ready\n');
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-floodlat-'));
  const { child, url } = await spawnConvene(dataDir, {
    CONVENE_TRUSTED_PROXIES: '127.0.0.1, ::1',
    CONVENE_RESUME_WINDOW_MS: String(RESUME_WINDOW_MS),
  });
  let phase: Phase = 'settle';
  const latency: Record<Phase, number[]> = { quiet: [], flood: [], settle: [] };
  const joinMs: Record<Phase, number[]> = { quiet: [], flood: [], settle: [] };
  const failedJoins: Record<Phase, number> = { quiet: 0, flood: 0, settle: 0 };
  const flooderStats: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  let running = true;
  try {
    console.log(
      `bench:flood-latency  ${machineSummary()}; ${CHATTERS} chatters x ${CHAT_RATE} msg/s, one join a ` +
        `second, flooder ${FLOOD_RATE} msg/s; ${ROUNDS} x (${PHASE_SECONDS} s quiet, ${PHASE_SECONDS} s flood)`,
    );
    const meetingId = await createMeeting(url);
    // Each chatter sends its own ciphertext again and again; the server relays each sender's messages
    // in order, so the k-th copy a chatter receives from sender i is sender i's k-th send.
    const sends: Array<Array<{ at: number; phase: Phase }>> = [];
    const received: number[][] = [];
    const senderOf = new Map<string, number>();
    const onChat = (receiver: number, m: Msg) => {
      const sender = m.type === 'mlsMessage' ? senderOf.get(m.message ?? '') : undefined;
      const counts = received[receiver];
      if (sender === undefined || !counts) return;
      const k = (counts[sender] = (counts[sender] ?? 0) + 1) - 1;
      const sent = sends[sender]?.[k];
      if (sent) latency[sent.phase].push(performance.now() - sent.at);
    };
    const creator = await groupCreator(url, meetingId);
    const chatters: WebSocket[] = [];
    for (let i = 0; i < CHATTERS; i++) {
      const name = `chatter ${i}`;
      received.push([]);
      sends.push([]);
      const joined = await join(url, meetingId, name, `203.0.113.${i + 1}`, (m) => onChat(i, m));
      await uploadKeyPackage(joined.ws, joined.id, name);
      chatters.push(joined.ws);
    }
    const frames = await sealFrames(
      creator,
      1 + CHATTERS,
      chatters.map((_, i) => `chat from chatter ${i}`),
    );
    frames.forEach((f, i) => senderOf.set((JSON.parse(f) as { message: string }).message, i));
    for (const [i, ws] of chatters.entries()) {
      // Spread the senders over the interval so they do not all send at once.
      await sleep(1000 / CHAT_RATE / CHATTERS);
      timers.push(
        setInterval(() => {
          if (ws.readyState !== WebSocket.OPEN) return;
          sends[i]?.push({ at: performance.now(), phase });
          ws.send(frames[i] ?? '');
        }, 1000 / CHAT_RATE),
      );
    }
    const joiner = async () => {
      for (let n = 0; running; n++) {
        const at = performance.now();
        const p = phase;
        try {
          const { ws } = await join(url, meetingId, 'joiner', `198.51.100.${(n % 250) + 1}`);
          joinMs[p].push(performance.now() - at);
          ws.send(JSON.stringify({ v: 1, type: 'leave' }));
          ws.close();
        } catch {
          failedJoins[p]++;
        }
        await sleep(Math.max(0, 1000 - (performance.now() - at)));
      }
    };
    const flood = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), 'flooder', url, meetingId],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines: string[] = [];
    let partial = '';
    flood.stdout.on('data', (d) => {
      partial += String(d);
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    const nextLine = async () => {
      const seen = lines.length;
      while (lines.length === seen) await sleep(50);
      return lines[seen] ?? '';
    };
    if ((await nextLine()) !== 'ready') throw new Error('the flooder did not start');
    const joining = joiner();
    await sleep(5000); // warm up
    for (let r = 0; r < ROUNDS; r++) {
      phase = 'quiet';
      await sleep(PHASE_SECONDS * 1000);
      phase = 'flood';
      flood.stdin.write('go\n');
      await sleep(PHASE_SECONDS * 1000);
      phase = 'settle'; // the flooder's dropped seats leave once their resume window has run out
      const reported = nextLine();
      flood.stdin.write('stop\n');
      flooderStats.push(await reported);
      await sleep(RESUME_WINDOW_MS + 2000);
    }
    flood.stdin.end();
    running = false;
    await joining;
    const row = (p: Phase) => [
      p,
      String(latency[p].length),
      fmt(percentile(latency[p], 50)),
      fmt(percentile(latency[p], 95)),
      fmt(percentile(latency[p], 99)),
      String(joinMs[p].length),
      String(failedJoins[p]),
      fmt(percentile(joinMs[p], 50)),
      fmt(percentile(joinMs[p], 95)),
    ];
    printTable(
      ['phase', 'deliveries', 'p50 ms', 'p95 ms', 'p99 ms', 'joins', 'failed', 'join p50 ms', 'join p95 ms'],
      [row('quiet'), row('flood')],
    );
    const ratio = (a: number[], b: number[]) => percentile(a, 95) / percentile(b, 95);
    console.log(
      `p95 ratio flood/quiet: delivery ${fmt(ratio(latency.flood, latency.quiet), 2)}, ` +
        `join ${fmt(ratio(joinMs.flood, joinMs.quiet), 2)} (target < 1.20)`,
    );
    for (const [i, s] of flooderStats.entries()) console.log(`flooder, round ${i + 1}: ${s}`);
  } finally {
    running = false;
    for (const t of timers) clearInterval(t);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'flooder') await flooder(process.argv[3] ?? '', process.argv[4] ?? '');
else {
  await main();
  process.exit(0);
}
