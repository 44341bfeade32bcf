/**
 * A load-client process for the benchmarks: hosts many HeadlessClients and answers commands from the
 * parent over the IPC channel. Running the clients in their own processes keeps their CPU (SRTP and RTP
 * handling in JavaScript) out of the Convene process that is being measured.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HeadlessClient } from '../test/support/HeadlessClient.js';

export type WorkerCommand =
  | {
      cmd: 'join';
      url: string;
      meetingId: string;
      count: number;
      namePrefix: string;
      concurrency: number;
      publish: boolean;
      latencySampleEvery: number;
      receiveMode?: 'full' | 'light';
      lightDecryptEvery?: number;
      /** MLS members with SFrame (default false: the benchmarks measure the SFU, BENCHMARKS.md says why). */
      e2ee?: boolean;
    }
  | { cmd: 'waitMedia'; from: string; timeoutMs: number }
  | { cmd: 'snapshot'; from: string }
  | { cmd: 'takeLatency' }
  | { cmd: 'close' };

export interface JoinReport {
  ok: number;
  failed: number;
  errors: string[];
  ids: string[];
  joinMs: number[];
}
export interface MediaReport {
  ready: number;
  notReady: number;
  /** debugState() of a few clients that received nothing. */
  notReadyStates: string[];
}
export interface ClientSnapshot {
  audio: number;
  video: number;
  audioHighest: number;
  videoHighest: number;
  bytes: number;
}
export interface WorkerSnapshot {
  cpuMicros: number;
  rssBytes: number;
  loopDelayP99Ms: number;
  clients: ClientSnapshot[];
  audioSent: number;
  videoSent: number;
  reconnects: number;
  mediaRestarts: number;
}
export type WorkerReply = JoinReport | MediaReport | WorkerSnapshot | number[] | null;

interface Envelope {
  id: number;
  command: WorkerCommand;
}

const clients: HeadlessClient[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

async function join(c: Extract<WorkerCommand, { cmd: 'join' }>): Promise<JoinReport> {
  const report: JoinReport = { ok: 0, failed: 0, errors: [], ids: [], joinMs: [] };
  let next = 0;
  const one = async () => {
    while (next < c.count) {
      const i = next++;
      const t0 = performance.now();
      try {
        const client = await HeadlessClient.join({
          url: c.url,
          meetingId: c.meetingId,
          displayName: `${c.namePrefix}${i}`,
          publish: c.publish,
          latencySampleEvery: c.latencySampleEvery,
          receiveMode: c.receiveMode ?? 'full',
          lightDecryptEvery: c.lightDecryptEvery ?? 25,
          maxLatencySamples: 20_000,
          e2ee: c.e2ee ?? false,
        });
        client.events.on('error', () => undefined);
        clients.push(client);
        report.ok++;
        report.ids.push(client.id);
        report.joinMs.push(performance.now() - t0);
      } catch (err) {
        report.failed++;
        const text = err instanceof Error ? err.message : String(err);
        if (report.errors.length < 5 && !report.errors.includes(text)) report.errors.push(text);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, c.concurrency) }, one));
  return report;
}

async function waitMedia(from: string, timeoutMs: number): Promise<MediaReport> {
  const results = await Promise.allSettled(clients.map((cl) => cl.waitForMediaFrom([from], { timeoutMs })));
  const ready = results.filter((r) => r.status === 'fulfilled').length;
  const notReadyStates = clients
    .filter((_, i) => results[i]?.status === 'rejected')
    .slice(0, 5)
    .map((cl) => JSON.stringify(cl.debugState()));
  return { ready, notReady: results.length - ready, notReadyStates };
}

function snapshot(from: string): WorkerSnapshot {
  const cpu = process.cpuUsage();
  const snap: WorkerSnapshot = {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: process.memoryUsage().rss,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    clients: [],
    audioSent: 0,
    videoSent: 0,
    reconnects: 0,
    mediaRestarts: 0,
  };
  loopDelay.reset();
  for (const cl of clients) {
    const a = cl.received(from, 'audio');
    const v = cl.received(from, 'video');
    snap.clients.push({
      audio: a.packets,
      video: v.packets,
      audioHighest: a.highestCounter ?? -1,
      videoHighest: v.highestCounter ?? -1,
      bytes: a.bytes + v.bytes,
    });
    const s = cl.stats();
    snap.audioSent += s.audioSent;
    snap.videoSent += s.videoSent;
    snap.reconnects += s.reconnects;
    snap.mediaRestarts += s.mediaRestarts;
  }
  return snap;
}

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.cmd) {
    case 'join':
      return join(command);
    case 'waitMedia':
      return waitMedia(command.from, command.timeoutMs);
    case 'snapshot':
      return snapshot(command.from);
    case 'takeLatency':
      return clients.flatMap((cl) => cl.takeLatencySamples());
    case 'close':
      await Promise.allSettled(clients.map((cl) => cl.leave()));
      clients.length = 0;
      return null;
  }
}

process.on('message', (raw) => {
  const { id, command } = raw as Envelope;
  handle(command).then(
    (reply) => process.send?.({ id, ok: true, reply }),
    (err: unknown) =>
      process.send?.({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
// The parent went away: do not linger.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
