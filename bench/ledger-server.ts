/**
 * The log through the server's real path, on PGlite: what bench:ledger measures without a database.
 *
 *   node --import tsx bench/ledger-server.ts [actions=2000] [auditEntries=100000]
 *
 * 1. `actions` operator actions recorded one per transaction through `recordAction` (record row +
 *    log append + tile writes), with the publisher signing a checkpoint every 100: actions/s.
 * 2. The log filled to `auditEntries` through the batch path (rows recorded before the log existed,
 *    appended 500 per transaction at start-up): entries/s.
 * 3. The real `convene audit verify` command against the real HTTP server over that log: wall time.
 * 4. Bytes stored per entry (tiles and bundles the database keeps after trimming).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { recordAction } from '../src/app/cases/record.js';
import { LogPublisher } from '../src/app/transparency/LogPublisher.js';
import { loadConfig } from '../src/config.js';
import { loadOrCreateLogKey } from '../src/app/transparency/logKey.js';
import { MemoryEngine } from '../src/media/memory/MemoryEngine.js';
import { startConvene } from '../src/server/main.js';
import { openStore } from '../src/store/Store.js';

const ACTIONS = Number(process.argv[2] ?? 2000);
const AUDIT_ENTRIES = Number(process.argv[3] ?? 100_000);
const BIN = new URL('../bin/convene.js', import.meta.url).pathname;
const logger = pino({ level: 'silent' });

/** Case references recorded in step 1; the batch rows of step 2 refer to them. */
const ref = (i: number) => `CVN-2026-${String(i + 1).padStart(4, '0')}`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-ledger-'));
console.log(
  `machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`,
);

// 1. One action per transaction, the production path.
{
  const store = await openStore({ dataDir, logger });
  const { key } = await loadOrCreateLogKey(dataDir, 'bench.example/log');
  const publisher = new LogPublisher(store, key, [], logger, 3_600_000);
  const t0 = performance.now();
  for (let i = 0; i < ACTIONS; i++) {
    await store.transaction((tx) =>
      recordAction(tx, {
        actor: { kind: 'operator', id: `op${i % 5}` },
        action: 'case.recorded',
        caseRef: ref(i),
        details: {
          authority: 'An authority',
          jurisdiction: ['CN', 'HK', 'RU', 'IR', 'TR'][i % 5],
          legalBasis: 'A law',
          receivedOn: `2026-0${1 + (i % 9)}-15`,
          demands: ['remove_participants', 'end_meeting'],
          targets: { meetings: 1, hosts: 0, links: 0 },
        },
        private: { evidenceNotes: `notes ${i}` },
      }),
    );
    if ((i + 1) % 100 === 0) await publisher.checkpointNow();
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `record + append, 1 action per transaction, checkpoint every 100: ${ACTIONS} in ${s.toFixed(1)} s = ${(ACTIONS / s).toFixed(0)} actions/s`,
  );

  // 2. Rows without a log position, appended in batches by the publisher at start-up.
  const missing = AUDIT_ENTRIES - ACTIONS;
  for (let i = 0; i < missing; i += 1000) {
    await store.transaction(async (tx) => {
      for (let k = i; k < Math.min(missing, i + 1000); k++) {
        await tx.record.append({
          at: new Date(Date.UTC(2026, 0, 1) + k * 1000),
          actor: 'system',
          action: 'withholding.enforced',
          caseRef: ref(k % ACTIONS),
          details: { participantsWithheld: k % 50, joinsRefused: k % 7 },
          privateDigest: null,
          logIndex: null,
        });
      }
    });
  }
  const t1 = performance.now();
  await publisher.start();
  await publisher.close();
  const s2 = (performance.now() - t1) / 1000;
  console.log(
    `batch append at start-up (500 per transaction): ${missing} in ${s2.toFixed(1)} s = ${(missing / s2).toFixed(0)} entries/s`,
  );
  const size = await store.ledger.size();
  const stored = await store.ledger.storedBytes();
  console.log(
    `stored: ${stored.count} tiles and bundles, ${(stored.bytes / size).toFixed(1)} B/entry for ${size} entries`,
  );
  await store.close();
}

// 3. The real command against the real server (in-memory media: the subject here is the log).
{
  const server = await startConvene(loadConfig({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn' }), {
    engine: new MemoryEngine(),
    logger,
  });
  const key = (await (await fetch(`${server.url}/log/key`)).text()).trim();
  // bin/convene.js runs the compiled CLI when `npm run build:server` is newer than the sources.
  const built = path.join(path.dirname(BIN), '..', 'dist', 'server', '.built');
  console.log(
    `audit command: ${existsSync(built) ? 'compiled (dist/server, if newer than src/)' : 'from source (tsx)'}`,
  );
  const t0 = performance.now();
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    // CPU time of the command itself, through /usr/bin/time when the machine has it.
    const args = [BIN, 'audit', 'verify', server.url, '--key', key];
    const child = existsSync('/usr/bin/time')
      ? spawn('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args])
      : spawn(process.execPath, args);
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('exit', (c) => resolve({ code: c, out }));
  });
  const s = (performance.now() - t0) / 1000;
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(out);
  const cpuText = cpu ? `, CPU ${(Number(cpu[1]) + Number(cpu[2])).toFixed(2)} s` : '';
  console.log(
    `convene audit verify over HTTP, ${await server.store.ledger.size()} entries: ${s.toFixed(2)} s wall${cpuText} (exit ${code}; target <= 5 s)`,
  );
  if (code !== 0) console.log(out);
  await server.close();
}
await rm(dataDir, { recursive: true, force: true });
