/**
 * SFU fan-out benchmark: one publisher (synthetic Opus ~50 pkt/s + VP8 ~100 pkt/s) and N subscribers
 * that only receive, all joined through Convene's signaling like browsers. For each N: join time and
 * success, then a steady-state window measuring Janus CPU per forwarded packet, Convene CPU, loss,
 * latency and memory.
 *
 *   node --import tsx bench/sfu.ts [N ...] [--window=10] [--workers=K] [--concurrency=20] [--repeat=1] [--full]
 *
 * Convene (with its own Janus) runs in this process; the publisher and the subscribers run in separate
 * worker processes so their CPU is not counted as Convene's. Everything runs on this machine.
 * Of the N subscribers, N-1 are load clients in 'light' receive mode (they count every packet but decrypt
 * only 1 in 25; --full decrypts all) and one is a probe in its own process that decrypts everything and
 * measures latency. Default sizes: 50 100 200 300. All are `e2ee: false` headless clients (plaintext
 * synthetic RTP, outside the MLS group; bench/worker.ts): Janus forwards SFrame frames exactly as it
 * forwards these, and hundreds of MLS members would measure ts-mls instead of the SFU (bench:mls does).
 */
import os from 'node:os';
import {
  LoadWorker,
  MiB,
  createMeeting,
  fmt,
  machineSummary,
  percentile,
  printTable,
  procCpuMicros,
  procRssBytes,
  sleep,
  startServer,
  udpCounters,
  type BenchServer,
} from './lib.js';
import type { WorkerSnapshot } from './worker.js';

interface Args {
  sizes: number[];
  receiveMode: 'full' | 'light';
  windowS: number;
  workers: number | undefined;
  concurrency: number;
  repeat: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    sizes: [],
    receiveMode: 'light',
    windowS: 10,
    workers: undefined,
    concurrency: 20,
    repeat: 1,
  };
  for (const a of argv) {
    if (a === '--full') {
      args.receiveMode = 'full';
      continue;
    }
    const m = /^--(\w+)=(\d+(?:\.\d+)?)$/.exec(a);
    if (m) {
      const value = Number(m[2]);
      if (m[1] === 'window') args.windowS = value;
      else if (m[1] === 'workers') args.workers = value;
      else if (m[1] === 'concurrency') args.concurrency = value;
      else if (m[1] === 'repeat') args.repeat = Math.max(1, Math.min(10, Math.floor(value)));
      else throw new Error(`unknown option ${a}`);
    } else if (/^\d+$/.test(a)) {
      args.sizes.push(Number(a));
    } else {
      throw new Error(`unknown argument ${a}`);
    }
  }
  if (args.sizes.length === 0) args.sizes = [50, 100, 200, 300];
  return args;
}

interface Result {
  n: number;
  workers: number;
  joined: number;
  joinErrors: string[];
  joinTotalS: number;
  joinP50Ms: number;
  joinP95Ms: number;
  receiving: number;
  /** 1-minute load average at the end of the window (other work on the machine shows up here). */
  loadAvg: number;
  forwardedPps: number;
  udpDropsPs: number;
  janusCpuPct: number;
  janusUsPerPkt: number;
  conveneCpuPct: number;
  clientsCpuPct: number;
  clientsLoopP99Ms: number;
  publisherPps: number;
  lossPct: number;
  worstLossPct: number;
  /** Latency at the probe subscriber (its own process, full receive path, lightly loaded). */
  latP50Ms: number;
  latP99Ms: number;
  /** Latency sampled at the load clients (includes their own queueing when they fall behind). */
  loadLatP50Ms: number;
  loadLatP99Ms: number;
  janusRssMiB: number;
  conveneRssMiB: number;
}

const GLOBAL_TIMEOUT_MS = 30 * 60_000;

async function runOne(server: BenchServer, n: number, args: Args): Promise<Result> {
  const workerCount = args.workers ?? Math.min(4, Math.max(1, Math.ceil(n / 100)));
  const meetingId = await createMeeting(server.url);
  const pubWorker = new LoadWorker('publisher');
  // N subscribers: N-1 load clients spread over `workerCount` processes, plus one probe subscriber in its
  // own process that decrypts every packet and measures latency without the load clients' backlog.
  const loadWorkers = Array.from({ length: workerCount }, (_, i) => new LoadWorker(`subscribers-${i}`));
  const probeWorker = new LoadWorker('probe');
  const subWorkers = [...loadWorkers, probeWorker];
  const loadCount = n - 1;
  try {
    const publisherId = await pubWorker.joinPublisher(server.url, meetingId);

    // Join the subscribers, `concurrency` at a time in total.
    const perWorker = loadWorkers.map(
      (_, i) => Math.floor(loadCount / workerCount) + (i < loadCount % workerCount ? 1 : 0),
    );
    const perWorkerConcurrency = Math.max(1, Math.ceil(args.concurrency / workerCount));
    // Keep a few thousand latency samples per second overall ('light' mode decrypts 1 packet in 25).
    const latencyEvery =
      args.receiveMode === 'light' ? Math.max(1, Math.ceil(n / 200)) : Math.max(1, Math.ceil(n / 50));
    const t0 = performance.now();
    const reports = await Promise.all([
      ...loadWorkers.map((w, i) =>
        w.call({
          cmd: 'join',
          url: server.url,
          meetingId,
          count: perWorker[i] ?? 0,
          namePrefix: `sub${i}-`,
          concurrency: perWorkerConcurrency,
          publish: false,
          latencySampleEvery: latencyEvery,
          receiveMode: args.receiveMode,
          lightDecryptEvery: 25,
        }),
      ),
      probeWorker.call({
        cmd: 'join',
        url: server.url,
        meetingId,
        count: 1,
        namePrefix: 'probe',
        concurrency: 1,
        publish: false,
        latencySampleEvery: 1,
        receiveMode: 'full',
      }),
    ]);
    const joinTotalS = (performance.now() - t0) / 1000;
    const joined = reports.reduce((s, r) => s + r.ok, 0);
    const joinMs = reports.flatMap((r) => r.joinMs);
    const joinErrors = [...new Set(reports.flatMap((r) => r.errors))];
    console.error(
      `  N=${n}: ${joined}/${n} joined in ${fmt(joinTotalS)} s${joinErrors.length ? `; errors: ${joinErrors.join('; ')}` : ''}`,
    );

    const media = await Promise.all(
      subWorkers.map((w) => w.call({ cmd: 'waitMedia', from: publisherId, timeoutMs: 30_000 })),
    );
    const receiving = media.reduce((s, m) => s + m.ready, 0);
    console.error(`  N=${n}: ${receiving}/${joined} receiving media`);
    const stuck = media.flatMap((m) => m.notReadyStates);
    if (stuck.length) console.error(`  not receiving (first few): ${stuck.join(' ')}`);
    await sleep(2000); // settle (keyframe requests, NACKs, RTCP) before measuring

    const snapAll = async () => {
      const pid = server.janusPid();
      const [pubSnap, ...subSnaps] = await Promise.all([
        pubWorker.call({ cmd: 'snapshot', from: publisherId }),
        ...subWorkers.map((w) => w.call({ cmd: 'snapshot', from: publisherId })),
      ]);
      const cpu = process.cpuUsage();
      return {
        at: performance.now(),
        udp: udpCounters(),
        janusPid: pid,
        janusCpu: pid === undefined ? undefined : procCpuMicros(pid),
        conveneCpu: cpu.user + cpu.system,
        pub: pubSnap as WorkerSnapshot,
        subs: subSnaps,
      };
    };
    await Promise.all(subWorkers.map((w) => w.call({ cmd: 'takeLatency' })));
    const a = await snapAll();
    await sleep(args.windowS * 1000);
    const b = await snapAll();
    const latency = await probeWorker.call({ cmd: 'takeLatency' });
    const loadLatency = (await Promise.all(loadWorkers.map((w) => w.call({ cmd: 'takeLatency' })))).flat();
    const windowS = (b.at - a.at) / 1000;

    const sent = b.pub.audioSent + b.pub.videoSent - (a.pub.audioSent + a.pub.videoSent);
    let forwarded = 0;
    let expected = 0;
    let worstLoss = 0;
    let clientsCpu = 0;
    let loopP99 = 0;
    subWorkers.forEach((_, w) => {
      const sa = a.subs[w];
      const sb = b.subs[w];
      if (!sa || !sb) return;
      clientsCpu += sb.cpuMicros - sa.cpuMicros;
      loopP99 = Math.max(loopP99, sb.loopDelayP99Ms);
      sb.clients.forEach((cb, i) => {
        const ca = sa.clients[i];
        if (!ca) return;
        const got = cb.audio + cb.video - (ca.audio + ca.video);
        forwarded += got;
        expected += sent;
        if (sent > 0) worstLoss = Math.max(worstLoss, 1 - got / sent);
      });
    });
    const janusCpu =
      a.janusCpu !== undefined && b.janusCpu !== undefined && a.janusPid === b.janusPid
        ? b.janusCpu - a.janusCpu
        : Number.NaN;
    const janusPid = server.janusPid();
    const udpDrops = a.udp && b.udp ? b.udp.rcvbufErrors - a.udp.rcvbufErrors : Number.NaN;
    return {
      n,
      workers: workerCount,
      joined,
      joinErrors,
      joinTotalS,
      joinP50Ms: percentile(joinMs, 50),
      joinP95Ms: percentile(joinMs, 95),
      receiving,
      loadAvg: os.loadavg()[0] ?? Number.NaN,
      forwardedPps: forwarded / windowS,
      udpDropsPs: udpDrops / windowS,
      janusCpuPct: (janusCpu / (windowS * 1e6)) * 100,
      // Janus did the work for packets the kernel then dropped at a full client socket, too.
      janusUsPerPkt: janusCpu / (forwarded + (Number.isFinite(udpDrops) ? udpDrops : 0)),
      conveneCpuPct: ((b.conveneCpu - a.conveneCpu) / (windowS * 1e6)) * 100,
      clientsCpuPct: (clientsCpu / (windowS * 1e6)) * 100,
      clientsLoopP99Ms: loopP99,
      publisherPps: sent / windowS,
      lossPct: expected > 0 ? Math.max(0, (1 - forwarded / expected) * 100) : Number.NaN,
      worstLossPct: Math.max(0, worstLoss * 100),
      latP50Ms: percentile(latency, 50),
      latP99Ms: percentile(latency, 99),
      loadLatP50Ms: percentile(loadLatency, 50),
      loadLatP99Ms: percentile(loadLatency, 99),
      janusRssMiB: (janusPid === undefined ? Number.NaN : (procRssBytes(janusPid) ?? Number.NaN)) / MiB,
      conveneRssMiB: process.memoryUsage().rss / MiB,
    };
  } finally {
    await Promise.all([pubWorker.stop(), ...subWorkers.map((w) => w.stop())]);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.error(`machine: ${machineSummary()}`);
  console.error(
    `sizes: ${args.sizes.join(', ')}; window ${args.windowS} s; ${args.receiveMode} receive mode`,
  );
  const server = await startServer();
  const results: Result[] = [];
  const watchdog = setTimeout(() => {
    console.error(`bench:sfu exceeded ${GLOBAL_TIMEOUT_MS / 60_000} min; stopping`);
    void server.close().finally(() => process.exit(2));
  }, GLOBAL_TIMEOUT_MS);
  try {
    console.error(`convene at ${server.url}, janus pid ${server.janusPid() ?? '?'}`);
    const runs = Array.from({ length: args.repeat }, () => args.sizes).flat();
    for (const n of runs) {
      console.error(`N=${n}: starting`);
      const r = await runOne(server, n, args);
      results.push(r);
      console.error(
        `N=${n}: ${fmt(r.forwardedPps, 0)} pkt/s forwarded, janus ${fmt(r.janusCpuPct)}% (${fmt(r.janusUsPerPkt, 2)} µs/pkt), ` +
          `convene ${fmt(r.conveneCpuPct)}%, clients ${fmt(r.clientsCpuPct)}%, loss ${fmt(r.lossPct, 2)}%, ` +
          `probe latency p50 ${fmt(r.latP50Ms, 2)} / p99 ${fmt(r.latP99Ms, 2)} ms, ` +
          `load-client latency p50 ${fmt(r.loadLatP50Ms, 1)} / p99 ${fmt(r.loadLatP99Ms, 1)} ms`,
      );
      await sleep(3000); // let the server forget the previous meeting's participants
    }
  } finally {
    clearTimeout(watchdog);
    await server.close();
  }
  printTable(
    [
      'N',
      'joined',
      'join total s',
      'join p50/p95 ms',
      'receiving',
      'fwd pkt/s',
      'UDP drops/s',
      'Janus CPU %',
      'Janus µs/pkt',
      'Convene CPU %',
      'clients CPU % (procs)',
      'loss % (worst)',
      'probe latency p50/p99 ms',
      'load-client latency p50/p99 ms',
      'Janus RSS MiB',
      'Convene RSS MiB',
    ],
    results.map((r) => [
      String(r.n),
      `${r.joined}/${r.n}`,
      fmt(r.joinTotalS),
      `${fmt(r.joinP50Ms, 0)}/${fmt(r.joinP95Ms, 0)}`,
      String(r.receiving),
      fmt(r.forwardedPps, 0),
      fmt(r.udpDropsPs, 0),
      fmt(r.janusCpuPct),
      fmt(r.janusUsPerPkt, 2),
      fmt(r.conveneCpuPct),
      `${fmt(r.clientsCpuPct)} (${r.workers})`,
      `${fmt(r.lossPct, 2)} (${fmt(r.worstLossPct, 1)})`,
      `${fmt(r.latP50Ms, 2)}/${fmt(r.latP99Ms, 2)}`,
      `${fmt(r.loadLatP50Ms, 1)}/${fmt(r.loadLatP99Ms, 1)}`,
      fmt(r.janusRssMiB),
      fmt(r.conveneRssMiB),
    ]),
  );
  console.log(`\n1-min load average after each window: ${results.map((r) => fmt(r.loadAvg)).join(', ')}`);
  console.log(
    `publisher sent ${results.map((r) => fmt(r.publisherPps, 0)).join(', ')} pkt/s; client event-loop p99 ${results.map((r) => fmt(r.clientsLoopP99Ms)).join(', ')} ms`,
  );
  for (const r of results)
    if (r.joinErrors.length) console.log(`N=${r.n} join errors: ${r.joinErrors.join('; ')}`);
  console.log(`\n${JSON.stringify(results)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
