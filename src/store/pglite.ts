/**
 * The embedded back end: PGlite (PostgreSQL compiled to WebAssembly) on the real filesystem, one
 * instance per data directory, made as durable as a PostgreSQL server.
 *
 * Out of the box PGlite is durable only against the process dying: it starts PostgreSQL with `-F`
 * (fsync=off), and Emscripten's NODEFS has no fsync, so a commit returns once its WAL is in the OS page
 * cache, which an OS crash or power loss can lose. We start it with fsync on and
 * wal_sync_method=fsync, and give NODEFS an fsync that calls fsync(2) on the real file: a commit then
 * returns only after its WAL is on disk, and checkpoints flush data files before WAL is recycled.
 *
 * PGlite is a single connection: the Kysely dialect queues callers, so concurrent queries and
 * transactions from many async callers run one after another. Two processes on one data directory
 * would corrupt it, so a lock file (`<dir>.lock`, holding the owner's pid) keeps a second one out.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type FsInit = NodeFS['init'];
type EmscriptenOptions = Parameters<FsInit>[1];
type PostgresModule = Parameters<NonNullable<EmscriptenOptions['preRun']>[number]>[0];

export interface OpenedPGlite {
  pglite: PGlite;
  /** Releases the data directory lock; call after PGlite is closed. */
  unlock(): void;
}

/**
 * PostgreSQL's memory settings, sized for a small meeting server rather than PGlite's defaults
 * (shared_buffers 128 MB, all of it touched at start): idle resident memory fell from ~230 MB to ~150 MB
 * for PGlite with shared_buffers=8MB, and PGlite's resident WebAssembly memory from 23 to 15 MiB more
 * with 2MB and 5 connections (PGlite is one connection), at no query cost this machine could measure
 * (BENCHMARKS.md, footprint).
 */
const MEMORY_PARAMS = [
  '-c',
  'shared_buffers=2MB',
  '-c',
  'max_connections=5',
  '-c',
  'work_mem=2MB',
  '-c',
  'maintenance_work_mem=8MB',
  '-c',
  'temp_buffers=1MB',
  '-c',
  'wal_buffers=256kB',
];

const START_PARAMS = [
  ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
  '-c',
  'fsync=on',
  '-c',
  'wal_sync_method=fsync',
  '-c',
  'synchronous_commit=on',
  ...MEMORY_PARAMS,
];

const createDurable = (dir: string): Promise<PGlite> =>
  PGlite.create({ fs: new DurableNodeFS(dir), relaxedDurability: false, startParams: START_PARAMS });

export async function openPGlite(dir: string): Promise<OpenedPGlite> {
  fs.mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  try {
    // Creating a cluster (initdb inside WebAssembly) grows the process by ~500 MB that WebAssembly
    // never gives back; doing it in a short-lived child process keeps that out of the server.
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await initialiseInChild(dir);
    const pglite = await createDurable(dir);
    try {
      await checkDurable(pglite);
    } catch (err) {
      await pglite.close();
      throw err;
    }
    return { pglite, unlock };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** Creates the cluster in `dir` and flushes it to disk (initdb's files are copied in without fsync). */
export async function initialiseCluster(dir: string): Promise<void> {
  const pglite = await createDurable(dir);
  try {
    await checkDurable(pglite);
  } finally {
    await pglite.close();
  }
  fsyncTree(dir);
  fsyncPath(path.dirname(dir));
}

async function initialiseInChild(dir: string): Promise<void> {
  // The same module kind as this one: compiled JavaScript, or TypeScript through tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./pgliteInit.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const args = [...(fromSource ? ['--import', import.meta.resolve('tsx')] : []), entry, dir];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`PGlite: creating the database in ${dir} failed (exit ${code}): ${stderr}`);
}

class DurableNodeFS extends NodeFS {
  override async init(...args: Parameters<FsInit>): ReturnType<FsInit> {
    const { emscriptenOpts } = await super.init(...args);
    return {
      emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), installFsync] },
    };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Gives Emscripten's NODEFS the fsync it lacks (its absence makes fsync(2) a silent no-op). */
function installFsync(mod: PostgresModule): void {
  const nodefs: unknown = mod.FS.filesystems.NODEFS;
  if (
    !isRecord(nodefs) ||
    !isRecord(nodefs.stream_ops) ||
    typeof nodefs.realPath !== 'function' ||
    typeof nodefs.tryFSOperation !== 'function'
  ) {
    throw new Error('PGlite: unexpected NODEFS internals; cannot enable fsync');
  }
  const realPath = nodefs.realPath as (node: unknown) => string;
  // Turns Node errors into Emscripten errno errors, which PostgreSQL sees as a failed fsync (PANIC).
  const tryFsOperation = nodefs.tryFSOperation as (op: () => void) => void;
  nodefs.stream_ops.fsync = (stream: { nfd?: unknown; node?: unknown }): number => {
    tryFsOperation(() => {
      if (typeof stream.nfd === 'number') {
        fs.fsyncSync(stream.nfd);
        return;
      }
      // Directories are opened without a host descriptor.
      const fd = fs.openSync(realPath(stream.node), 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
    return 0;
  };
}

async function checkDurable(pglite: PGlite): Promise<void> {
  const settings = await pglite.query<{ name: string; setting: string }>(
    `select name, setting from pg_settings where name in ('fsync', 'wal_sync_method', 'synchronous_commit')`,
  );
  const got = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
  if (got.fsync !== 'on' || got.wal_sync_method !== 'fsync' || got.synchronous_commit !== 'on') {
    throw new Error(`PGlite is not durable: ${JSON.stringify(got)}`);
  }
}

function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(p);
    else if (entry.isFile()) fsyncPath(p);
  }
  fsyncPath(dir);
}

const lockedHere = new Set<string>();

/**
 * Takes `<dir>.lock` for this process; a lock left by a process that is gone is taken over. Throws
 * when another live process (or this one) holds it.
 */
function lockDataDir(dir: string): () => void {
  const file = `${path.resolve(dir)}.lock`;
  if (lockedHere.has(file)) throw new Error(`The database in ${dir} is already open in this process.`);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(tmp, file); // atomic: fails if the lock exists
        break;
      } catch (err) {
        if (!isRecord(err) || err.code !== 'EEXIST') throw err;
        const owner = readPid(file);
        if (attempt > 0 || (owner !== undefined && owner !== process.pid && isAlive(owner))) {
          throw new Error(
            `The database in ${dir} is in use by process ${owner ?? '?'}. ` +
              `Stop it first; if no such process exists, delete ${file}.`,
          );
        }
        fs.rmSync(file, { force: true }); // stale: its owner is gone
      }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  lockedHere.add(file);
  return () => {
    if (!lockedHere.delete(file)) return;
    if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
  };
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isRecord(err) && err.code === 'EPERM';
  }
}
