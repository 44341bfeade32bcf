/**
 * The MLS group scenario that bench:mls (in Node) and bench:mls-browser (in a Chromium page) both run:
 * one group grown to each size N by the server's external Add proposals, committed by the designated
 * committer (leaf 0) in batches, then at N: add 1 (and the joiner processing its Welcome), remove 1
 * (the server's external Remove, committed by a member) and add 20 in one commit, each commit also
 * processed by one other member (the observer, leaf 1). The other N - 2 leaves are real KeyPackages of
 * participants who never process anything, which costs the two real members exactly what a full group
 * would (MLS work per member depends on the tree, not on the others' CPUs).
 *
 * The ephemeral-key pool (src/e2ee/mls/ephemeralPool.ts) is suspended throughout, except for the
 * removals `pool` says to run with it: before each of those the bench resumes the pool and waits until
 * the committer's pairs are made (what a meeting's seconds between removals give it), measuring that
 * fill's CPU, then times the commit, then suspends the pool again (dropping the pairs left over). So
 * every other column is measured without the pool, and no fill slice runs inside a measured operation.
 * `pool: 'alternate'` runs each repetition's removal twice, once with and once without the pool, the
 * order swapped every repetition.
 *
 * Runs anywhere `src/e2ee/mls` runs: no Node modules. Wall time is `performance.now()`; CPU time comes
 * from the caller's clock (Node: process CPU; the browser driver: the renderer's CPU read from /proc).
 */
import {
  CredentialValidator,
  ExternalSender,
  MlsMember,
  prepareJoin,
  type ParticipantIdentity,
  type PendingCommit,
  type PreparedJoin,
} from '../src/e2ee/mls/index.js';
import { platformEphemeralPool, type EphemeralPool } from '../src/e2ee/mls/ephemeralPool.js';

export interface Sample {
  wall: number;
  cpu: number;
}

export interface OpResult {
  commit: Sample;
  process: Sample;
  commitBytes: number;
  welcomeBytes: number;
  join: Sample | undefined;
  /** For removals: whether the commit drew on a filled pool, and what filling it cost beforehand. */
  pooled?: PoolUse;
}

export interface PoolUse {
  /** The pool's fill before the commit (CPU of the whole process or renderer while it filled). */
  fill: Sample;
  /** Pairs made for it, and pairs the commit took. */
  made: number;
  taken: number;
  /** The longest fill slice so far, ms (how long filling held the event loop at once). */
  longestSliceMs: number;
}

export type PoolMode = 'off' | 'on' | 'alternate';

/** What one size N measured: the growth to N and the single operations at N. */
export interface SizeResult {
  n: number;
  commits: number;
  growSeconds: number;
  lastBatch: OpResult | undefined;
  add1: OpResult[];
  rem1: OpResult[];
  add20: OpResult;
}

export interface ScenarioOptions {
  sizes: number[];
  batch: number;
  reps: number;
  /** CPU milliseconds used so far by whatever runs MLS (only differences are used). */
  cpuMs: () => number | Promise<number>;
  /** Called after each size, e.g. to print progress. */
  onSize?: (result: SizeResult) => void | Promise<void>;
  /** Which removals run with a filled ephemeral-key pool (default 'alternate'). */
  pool?: PoolMode;
  /** Runs each measured operation (e.g. to profile some); `op` is a column title like 'remove 1: commit'. */
  around?: <T>(op: string, fn: () => Promise<T>) => Promise<T>;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const medianSample = (samples: Sample[]): Sample => ({
  wall: median(samples.map((s) => s.wall)),
  cpu: median(samples.map((s) => s.cpu)),
});
const ms = (samples: Sample[]) => {
  const m = medianSample(samples);
  return `${m.wall.toFixed(0)} / ${m.cpu.toFixed(0)}`;
};
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

  constructor(
    readonly server: ExternalSender,
    readonly o: ScenarioOptions,
    readonly pool: EphemeralPool | undefined,
  ) {
    this.validator = new CredentialValidator(server.publicKey);
  }

  async measure<T>(op: string, fn: () => Promise<T>): Promise<[T, Sample]> {
    const run = async (): Promise<[T, Sample]> => {
      const cpu0 = await this.o.cpuMs();
      const t0 = performance.now();
      const result = await fn();
      const wall = performance.now() - t0;
      return [result, { wall, cpu: (await this.o.cpuMs()) - cpu0 }];
    };
    return this.o.around ? this.o.around(op, run) : run();
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

/** Adds `joins` in one commit (`kind` names it); the first joiner processes the Welcome (timed). */
async function addBatch(g: Group, kind: string, joins: PreparedJoin[], joinOne: boolean): Promise<OpResult> {
  const proposals = await Promise.all(
    joins.map((j) => g.server.proposeAdd(groupId, g.committer.epoch, j.keyPackage)),
  );
  await g.propose(proposals);
  const [pending, commit] = await g.measure(`${kind}: commit`, () => g.committer.commit());
  await g.committer.confirmCommit(pending);
  const [, process] = await g.measure(`${kind}: process`, () => g.observer.processHandshake(pending.commit));
  let join: Sample | undefined;
  if (joinOne && pending.welcome) {
    const first = joins[0]!;
    [, join] = await g.measure(`${kind}: join`, () =>
      MlsMember.join(pending.welcome!, first, g.validator, groupId),
    );
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

/** Resumes the pool and waits until it is full, measuring the fill; undefined without a pool. */
async function fillPool(g: Group): Promise<Omit<PoolUse, 'taken'> | undefined> {
  const pool = g.pool;
  if (!pool) return undefined;
  const made = pool.stats.made;
  const [, fill] = await g.measure('pool fill', async () => {
    pool.resume();
    while (pool.filling) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  return { fill, made: pool.stats.made - made, longestSliceMs: pool.stats.longestSliceMs };
}

async function removeOne(g: Group, kind: string, id: string, withPool = false): Promise<OpResult> {
  const leaf = g.committer.roster().find((m) => m.participantId === id)!.leafIndex;
  await g.propose([await g.server.proposeRemove(groupId, g.committer.epoch, leaf, id)]);
  const filled = withPool ? await fillPool(g) : undefined;
  const taken = g.pool?.stats.taken ?? 0;
  const [pending, commit] = await g.measure<PendingCommit>(`${kind}: commit${filled ? ', pooled' : ''}`, () =>
    g.committer.commit(),
  );
  g.pool?.suspend();
  const pooled = filled && { ...filled, taken: (g.pool?.stats.taken ?? 0) - taken };
  await g.committer.confirmCommit(pending);
  const [, process] = await g.measure(`${kind}: process`, () => g.observer.processHandshake(pending.commit));
  g.ids.splice(g.ids.indexOf(id), 1);
  return {
    commit,
    process,
    commitBytes: pending.commit.length,
    welcomeBytes: 0,
    join: undefined,
    ...(pooled ? { pooled } : {}),
  };
}

async function newGroup(o: ScenarioOptions): Promise<Group> {
  const pool = await platformEphemeralPool();
  pool?.suspend();
  const g = new Group(await ExternalSender.generate(), o, pool);
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

/** Runs the scenario for each size in turn (one group grows through them while they increase). */
export async function runMlsScenario(o: ScenarioOptions): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  let g = await newGroup(o);
  for (const n of o.sizes) {
    if (g.ids.length > n) g = await newGroup(o);
    // Grow to N in batches, timing the whole growth.
    const t0 = performance.now();
    let commits = 0;
    let lastBatch: OpResult | undefined;
    while (g.ids.length < n) {
      const k = Math.min(o.batch, n - g.ids.length);
      lastBatch = await addBatch(g, 'grow', await g.prepare(k), false);
      commits++;
    }
    const growSeconds = (performance.now() - t0) / 1000;
    const add1: OpResult[] = [];
    const rem1: OpResult[] = [];
    const mode = o.pool ?? 'alternate';
    for (let r = 0; r < o.reps; r++) {
      // Remove someone who is neither the committer nor the observer, then add one back; with
      // 'alternate', twice: with and without the pool, in turns first.
      const runs = mode === 'alternate' ? (r % 2 === 0 ? [false, true] : [true, false]) : [mode === 'on'];
      for (const withPool of runs) {
        rem1.push(await removeOne(g, 'remove 1', g.ids[g.ids.length - 1]!, withPool));
        add1.push(await addBatch(g, 'add 1', await g.prepare(1), true));
      }
    }
    const add20 = await addBatch(g, 'add 20', await g.prepare(20), true);
    for (let i = 0; i < 20; i++) await removeOne(g, 'cleanup', g.ids[g.ids.length - 1]!);
    const result = { n, commits, growSeconds, lastBatch, add1, rem1, add20 };
    results.push(result);
    await o.onSize?.(result);
  }
  return results;
}

/** The medians that the targets speak of, for side-by-side tables. */
export interface KeyFigures {
  add1Commit: Sample;
  add1Process: Sample;
  join: Sample;
  /** Removal commits without the pool (as before it existed), and with a filled one. */
  rem1Commit: Sample;
  rem1CommitPooled: Sample | undefined;
  rem1Process: Sample;
  add20Commit: Sample;
  add20Process: Sample;
}

export function keyFigures(r: SizeResult): KeyFigures {
  const pick = (xs: OpResult[], f: (o: OpResult) => Sample | undefined) =>
    medianSample(xs.map(f).filter((s): s is Sample => s !== undefined));
  return {
    add1Commit: pick(r.add1, (o) => o.commit),
    add1Process: pick(r.add1, (o) => o.process),
    join: pick(r.add1, (o) => o.join),
    rem1Commit: pick(r.rem1, (o) => (o.pooled ? undefined : o.commit)),
    rem1CommitPooled: r.rem1.some((o) => o.pooled) ? pick(r.rem1, (o) => o.pooled && o.commit) : undefined,
    rem1Process: pick(r.rem1, (o) => o.process),
    add20Commit: r.add20.commit,
    add20Process: r.add20.process,
  };
}

/**
 * The CPU ms of each removal and add commit at one size, in order (the first ones pay for compiling);
 * a removal with the pool is marked P, with its fill's CPU ms and pairs made / taken in brackets.
 */
export function commitSamples(r: SizeResult): string {
  const samples = (xs: OpResult[]) =>
    xs
      .map((o) => {
        const p = o.pooled;
        const fill = p ? `P[fill ${p.fill.cpu.toFixed(0)} ms, ${p.made}/${p.taken} pairs]` : '';
        return `${fill}${o.commit.cpu.toFixed(0)}`;
      })
      .join(', ');
  return `remove 1: ${samples(r.rem1)}; add 1: ${samples(r.add1)}`;
}

/** The pool's side of the removals at one size: commit with and without it, and its fill. */
export function poolSummary(r: SizeResult): string | undefined {
  const pooled = r.rem1.flatMap((o) => (o.pooled ? [o.pooled] : []));
  if (pooled.length === 0) return undefined;
  const f = keyFigures(r);
  const made = pooled.reduce((sum, p) => sum + p.made, 0);
  const fillCpu = pooled.reduce((sum, p) => sum + p.fill.cpu, 0);
  const perPair = made > 0 ? fillCpu / made : NaN;
  const taken = median(pooled.map((p) => p.taken));
  const inline = r.rem1.length - pooled.length;
  return (
    `| ${r.n} | ${inline > 0 ? ms([f.rem1Commit]) : '-'} (${inline}) | ${ms([f.rem1CommitPooled!])} (${pooled.length}) | ` +
    `${median(pooled.map((p) => p.fill.cpu)).toFixed(0)} | ${median(pooled.map((p) => p.made))} | ${taken} | ` +
    `${(perPair * 1000).toFixed(0)} | ${((perPair * taken) | 0).toFixed(0)} | ` +
    `${Math.max(...pooled.map((p) => p.longestSliceMs)).toFixed(1)} |`
  );
}

/** bench:mls's two tables (growth, then single operations at N), as lines. */
export function scenarioTables(results: SizeResult[], batch: number): string[] {
  const lines = [`Growing a group to N by the server's external Adds, committed in batches of ${batch}:\n`];
  lines.push('| N | commits | total s | last batch: commit ms | process ms | commit KiB | Welcome KiB |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|');
  for (const { n, commits, growSeconds, lastBatch } of results) {
    lines.push(
      `| ${n} | ${commits} | ${growSeconds.toFixed(1)} | ${lastBatch ? ms([lastBatch.commit]) : '-'} | ` +
        `${lastBatch ? ms([lastBatch.process]) : '-'} | ${lastBatch ? kb(lastBatch.commitBytes) : '-'} | ` +
        `${lastBatch ? kb(lastBatch.welcomeBytes) : '-'} |`,
    );
  }
  lines.push('\nSingle operations at size N (wall ms / CPU ms):\n');
  lines.push(
    '| N | add 1: commit | add 1: process | add 1: join from Welcome | add 1: commit KiB | add 1: Welcome KiB | ' +
      'remove 1: commit | remove 1: process | remove 1: commit KiB | add 20: commit | add 20: process | add 20: commit KiB | add 20: Welcome KiB |',
  );
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const { n, add1, rem1, add20 } = r;
    const f = keyFigures(r);
    const cell = (s: Sample) => ms([s]);
    lines.push(
      `| ${n} | ${cell(f.add1Commit)} | ${cell(f.add1Process)} | ${cell(f.join)} | ` +
        `${kb(median(add1.map((o) => o.commitBytes)))} | ${kb(median(add1.map((o) => o.welcomeBytes)))} | ` +
        `${cell(f.rem1Commit)} | ${cell(f.rem1Process)} | ${kb(median(rem1.map((o) => o.commitBytes)))} | ` +
        `${cell(f.add20Commit)} | ${cell(f.add20Process)} | ${kb(add20.commitBytes)} | ${kb(add20.welcomeBytes)} |`,
    );
  }
  const pool = results.map(poolSummary).filter((line): line is string => line !== undefined);
  if (pool.length > 0) {
    lines.push(
      '\nRemoval commits with and without the ephemeral-key pool (wall ms / CPU ms, median; commits in brackets), ' +
        'and the pool: fill CPU ms before a pooled commit (median), pairs made, pairs the commit took, CPU us per ' +
        'pair made, fill CPU of the pairs taken, longest fill slice ms:\n',
    );
    lines.push(
      '| N | remove 1: commit, no pool | remove 1: commit, pooled | pool fill CPU ms | pairs made | pairs taken | ' +
        'CPU us per pair | fill CPU of pairs taken, ms | longest slice ms |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    lines.push(...pool);
  }
  return lines;
}
