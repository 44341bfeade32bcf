/**
 * Join-latency benchmark: with one publisher already sending, a headless subscriber joins, and we time
 * from its WebSocket opening to its first received media packet; 100 sequential joins (argv[2]).
 *
 *   node --import tsx bench/join.ts [joins=100]
 *
 * Convene (with its own Janus) and the subscriber run in this process; the publisher runs in a worker
 * process. Everything runs on this machine. Both are `e2ee: false` headless clients (plaintext synthetic
 * RTP, no MLS), so the numbers stay comparable with those taken before E2EE (BENCHMARKS.md).
 */
import { HeadlessClient } from '../test/support/HeadlessClient.js';
import {
  LoadWorker,
  createMeeting,
  fmt,
  machineSummary,
  percentile,
  printTable,
  sleep,
  startServer,
} from './lib.js';

const JOINS = Number(process.argv[2] ?? 100);
const MEDIA_TIMEOUT_MS = 10_000;
const GLOBAL_TIMEOUT_MS = 15 * 60_000;

interface Sample {
  connectMs: number;
  joinedMs: number;
  offerMs: number;
  answerMs: number;
  iceMs: number;
  connectedMs: number;
  firstMediaMs: number;
  firstAudioMs: number;
  firstVideoMs: number;
  totalFromCallMs: number;
}

async function main(): Promise<void> {
  if (!Number.isInteger(JOINS) || JOINS < 1) throw new Error('usage: bench/join.ts [joins]');
  console.error(`machine: ${machineSummary()}`);
  const server = await startServer();
  const publisher = new LoadWorker('publisher');
  const watchdog = setTimeout(() => {
    console.error('bench:join took too long; stopping');
    void Promise.all([publisher.stop(), server.close()]).finally(() => process.exit(2));
  }, GLOBAL_TIMEOUT_MS);
  const samples: Sample[] = [];
  const failures: string[] = [];
  try {
    const meetingId = await createMeeting(server.url);
    const publisherId = await publisher.joinPublisher(server.url, meetingId);
    await sleep(1000);
    for (let i = 0; i < JOINS; i++) {
      let client: HeadlessClient | undefined;
      const t0 = performance.now();
      try {
        client = await HeadlessClient.join({
          url: server.url,
          meetingId,
          displayName: `joiner${i}`,
          publish: false,
          // Outside the MLS group, like the publisher (bench/worker.ts): this times the SFU path only.
          e2ee: false,
        });
        await client.waitForMediaFrom([publisherId], {
          timeoutMs: MEDIA_TIMEOUT_MS,
          kinds: ['audio', 'video'],
        });
        const t = client.timings;
        if (
          t.wsOpen === undefined ||
          t.joined === undefined ||
          t.firstOffer === undefined ||
          t.firstAnswer === undefined ||
          t.firstMedia === undefined ||
          t.firstAudio === undefined ||
          t.firstVideo === undefined
        ) {
          throw new Error(`missing timings ${JSON.stringify(t)}`);
        }
        samples.push({
          connectMs: t.wsOpen - t0,
          joinedMs: t.joined - t.wsOpen,
          offerMs: t.firstOffer - t.wsOpen,
          answerMs: t.firstAnswer - t.wsOpen,
          iceMs: (t.subscriberIceConnected ?? Number.NaN) - t.wsOpen,
          connectedMs: (t.subscriberConnected ?? Number.NaN) - t.wsOpen,
          firstMediaMs: t.firstMedia - t.wsOpen,
          firstAudioMs: t.firstAudio - t.wsOpen,
          firstVideoMs: t.firstVideo - t.wsOpen,
          totalFromCallMs: t.firstMedia - t0,
        });
      } catch (err) {
        failures.push(`join ${i}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        await client?.leave();
      }
      if ((i + 1) % 10 === 0) console.error(`  ${i + 1}/${JOINS} joins, ${failures.length} failed`);
      await sleep(100);
    }
  } finally {
    clearTimeout(watchdog);
    await publisher.stop();
    await server.close();
  }
  const row = (label: string, pick: (s: Sample) => number) => {
    const v = samples.map(pick).filter(Number.isFinite);
    return [
      label,
      fmt(percentile(v, 50)),
      fmt(percentile(v, 95)),
      fmt(v.length ? Math.max(...v) : Number.NaN),
    ];
  };
  console.log(`\n${samples.length}/${JOINS} joins received media (${failures.length} failed)`);
  printTable(
    ['milestone (ms after WebSocket open)', 'p50', 'p95', 'max'],
    [
      row('joined', (s) => s.joinedMs),
      row('subscribeOffer received', (s) => s.offerMs),
      row('subscribeAnswer sent (after ICE gathering)', (s) => s.answerMs),
      row('subscriber ICE connected', (s) => s.iceMs),
      row('subscriber DTLS connected', (s) => s.connectedMs),
      row('first audio packet', (s) => s.firstAudioMs),
      row('first video packet', (s) => s.firstVideoMs),
      row('**first media packet**', (s) => s.firstMediaMs),
      row('(join() call -> first media, incl. connect)', (s) => s.totalFromCallMs),
    ],
  );
  for (const f of failures.slice(0, 10)) console.log(f);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
