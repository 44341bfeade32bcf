/**
 * bench:mls — MLS group costs on ts-mls 1.6.4 through Convene's wrapper (src/e2ee/mls), suite
 * MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, in Node 20 with WebCrypto (the library's default
 * provider, as in the browser).
 *
 * For each group size N it grows one group to N members by the server's external Add proposals,
 * committed by the designated committer (leaf 0) in batches, and then measures at size N:
 *   - add 1, add 20: the committer's commit, a member processing it, commit and Welcome bytes, and the
 *     joiner processing its Welcome;
 *   - remove 1 (the server's external Remove, committed by a member): commit, process, bytes.
 * Two members run for real (the committer and one observer, leaf 1); the other N - 2 leaves are real
 * KeyPackages of participants who never process anything, which costs the two real members exactly
 * what a full group would (MLS work per member depends on the tree, not on the others' CPUs).
 * Times are wall ms and process CPU ms (WebCrypto work runs on libuv threads and is counted); single
 * operations are repeated and the median printed (the CPU ms of each removal and add commit, in order,
 * go to stderr: the first ones of a process pay for compiling). Prints tables; asserts nothing.
 *
 *   npm run bench:mls [-- --sizes=10,50,200,500 --batch=50 --reps=3]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  CredentialValidator,
  ExternalSender,
  MlsMember,
  prepareJoin,
  type ParticipantIdentity,
  type PendingCommit,
  type PreparedJoin,
} from '../src/e2ee/mls/index.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const sizes = arg('sizes', '10,50,200,500').split(',').map(Number);
const batch = Number(arg('batch', '50'));
const reps = Number(arg('reps', '3'));

interface Sample {
  wall: number;
  cpu: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<[T, Sample]> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return [result, { wall, cpu: (cpu.user + cpu.system) / 1000 }];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (samples: Sample[]) =>
  `${median(samples.map((s) => s.wall)).toFixed(0)} / ${median(samples.map((s) => s.cpu)).toFixed(0)}`;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

const groupId = new TextEncoder().encode('bench-group');
const who = (i: number): ParticipantIdentity => ({ participantId: `p${i}`, displayName: `Person ${i}` });

class Group {
  next = 0;
  readonly validator: CredentialValidator;
  committer!: MlsMember;
  observer!: MlsMember;
  /** Participant ids in the group, by leaf order of joining. */
  readonly ids: string[] = [];

  constructor(readonly server: ExternalSender) {
    this.validator = new CredentialValidator(server.publicKey);
  }

  async prepare(n: number): Promise<PreparedJoin[]> {
    const joins: PreparedJoin[] = [];
    for (let i = 0; i < n; i++) {
      const id = who(this.next++);
      this.validator.announce(id);
      joins.push(await prepareJoin(id));
    }
    return joins;
  }

  /** The server's proposals reach both real members. */
  async propose(messages: Uint8Array[]): Promise<void> {
    for (const m of messages) {
      await this.committer.processHandshake(m);
      await this.observer.processHandshake(m);
    }
  }
}

interface OpResult {
  commit: Sample;
  process: Sample;
  commitBytes: number;
  welcomeBytes: number;
  join: Sample | undefined;
}

/** Adds `joins` in one commit; the first joiner processes the Welcome (timed). */
async function addBatch(g: Group, joins: PreparedJoin[], joinOne: boolean): Promise<OpResult> {
  const proposals = await Promise.all(
    joins.map((j) => g.server.proposeAdd(groupId, g.committer.epoch, j.keyPackage)),
  );
  await g.propose(proposals);
  const [pending, commit] = await measure(() => g.committer.commit());
  await g.committer.confirmCommit(pending);
  const [, process] = await measure(() => g.observer.processHandshake(pending.commit));
  let join: Sample | undefined;
  if (joinOne && pending.welcome) {
    const first = joins[0]!;
    [, join] = await measure(() => MlsMember.join(pending.welcome!, first, g.validator, groupId));
  }
  for (const j of joins) g.ids.push(j.identity.participantId);
  return {
    commit,
    process,
    commitBytes: pending.commit.length,
    welcomeBytes: pending.welcome?.length ?? 0,
    join,
  };
}

async function removeOne(g: Group, id: string): Promise<OpResult> {
  const leaf = g.committer.roster().find((m) => m.participantId === id)!.leafIndex;
  await g.propose([await g.server.proposeRemove(groupId, g.committer.epoch, leaf, id)]);
  const [pending, commit] = await measure<PendingCommit>(() => g.committer.commit());
  await g.committer.confirmCommit(pending);
  const [, process] = await measure(() => g.observer.processHandshake(pending.commit));
  g.ids.splice(g.ids.indexOf(id), 1);
  return { commit, process, commitBytes: pending.commit.length, welcomeBytes: 0, join: undefined };
}

async function newGroup(): Promise<Group> {
  const g = new Group(await ExternalSender.generate());
  const [first, second] = await g.prepare(2);
  g.committer = await MlsMember.create(groupId, first!, g.validator);
  g.ids.push(first!.identity.participantId);
  const add = await g.server.proposeAdd(groupId, 0n, second!.keyPackage);
  await g.committer.processHandshake(add);
  const pending = await g.committer.commit();
  await g.committer.confirmCommit(pending);
  g.observer = await MlsMember.join(pending.welcome!, second!, g.validator, groupId);
  g.ids.push(second!.identity.participantId);
  return g;
}

async function main(): Promise<void> {
  console.log(
    `bench:mls  ts-mls 1.6.4, MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, Node ${process.version}, ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `batch ${batch}, ${reps} repetitions per single operation; cells are wall ms / CPU ms (median)\n`,
  );
  const growRows: string[] = [];
  const opRows: string[] = [];
  let g = await newGroup();
  for (const n of sizes) {
    if (g.ids.length > n) g = await newGroup();
    // Grow to N in batches, timing the whole growth.
    const t0 = performance.now();
    let commits = 0;
    let lastBatch: OpResult | undefined;
    while (g.ids.length < n) {
      const k = Math.min(batch, n - g.ids.length);
      lastBatch = await addBatch(g, await g.prepare(k), false);
      commits++;
    }
    const growSeconds = (performance.now() - t0) / 1000;
    growRows.push(
      `| ${n} | ${commits} | ${growSeconds.toFixed(1)} | ${lastBatch ? ms([lastBatch.commit]) : '-'} | ` +
        `${lastBatch ? ms([lastBatch.process]) : '-'} | ${lastBatch ? kb(lastBatch.commitBytes) : '-'} | ` +
        `${lastBatch ? kb(lastBatch.welcomeBytes) : '-'} |`,
    );
    const add1: OpResult[] = [];
    const rem1: OpResult[] = [];
    for (let r = 0; r < reps; r++) {
      // Remove someone who is neither the committer nor the observer, then add one back.
      rem1.push(await removeOne(g, g.ids[g.ids.length - 1]!));
      add1.push(await addBatch(g, await g.prepare(1), true));
    }
    const add20 = await addBatch(g, await g.prepare(20), true);
    for (let i = 0; i < 20; i++) await removeOne(g, g.ids[g.ids.length - 1]!);
    const pick = (xs: OpResult[], f: (o: OpResult) => Sample | undefined) =>
      ms(xs.map(f).filter((s): s is Sample => s !== undefined));
    opRows.push(
      `| ${n} | ${pick(add1, (o) => o.commit)} | ${pick(add1, (o) => o.process)} | ${pick(add1, (o) => o.join)} | ` +
        `${kb(median(add1.map((o) => o.commitBytes)))} | ${kb(median(add1.map((o) => o.welcomeBytes)))} | ` +
        `${pick(rem1, (o) => o.commit)} | ${pick(rem1, (o) => o.process)} | ${kb(median(rem1.map((o) => o.commitBytes)))} | ` +
        `${ms([add20.commit])} | ${ms([add20.process])} | ${kb(add20.commitBytes)} | ${kb(add20.welcomeBytes)} |`,
    );
    const samples = (xs: OpResult[]) => xs.map((o) => o.commit.cpu.toFixed(0)).join(', ');
    console.error(
      `  N=${n} done (load ${os.loadavg()[0]!.toFixed(1)}); CPU ms of each commit in order: ` +
        `remove 1: ${samples(rem1)}; add 1: ${samples(add1)}`,
    );
  }
  console.log(`Growing a group to N by the server's external Adds, committed in batches of ${batch}:\n`);
  console.log('| N | commits | total s | last batch: commit ms | process ms | commit KiB | Welcome KiB |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of growRows) console.log(r);
  console.log('\nSingle operations at size N (wall ms / CPU ms):\n');
  console.log(
    '| N | add 1: commit | add 1: process | add 1: join from Welcome | add 1: commit KiB | add 1: Welcome KiB | ' +
      'remove 1: commit | remove 1: process | remove 1: commit KiB | add 20: commit | add 20: process | add 20: commit KiB | add 20: Welcome KiB |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of opRows) console.log(r);
  console.log(`\nload average after: ${os.loadavg()[0]!.toFixed(1)}`);
}

await main();
