/**
 * `convene witness --log <origin>=<verifier-key> [--log ...] --port N --data-dir DIR [--host H] [--name NAME]`:
 * runs a tlog-witness for the given logs. On first start it creates its cosigning key in the data
 * directory; it always prints its verifier key, which log operators add to their witness policy.
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import {
  SIG_TYPE_ED25519,
  Witness,
  ed25519Verifier,
  formatVerifierKey,
  parseVerifierKey,
  verifierOf,
  type WitnessedLog,
} from '../ledger/index.js';
import { FileWitnessStore } from './FileWitnessStore.js';
import { loadOrCreateWitnessKey } from './key.js';
import { startWitnessServer, type WitnessServer } from './server.js';

export const WITNESS_USAGE = `Usage: convene witness --log <origin>=<verifier-key> [--log ...] --port N --data-dir DIR
                       [--host ADDRESS (default 127.0.0.1)] [--name KEY-NAME (first start only)]`;

export class WitnessUsageError extends Error {}

export interface WitnessCommandOptions {
  logs: WitnessedLog[];
  port: number;
  host: string;
  dataDir: string;
  name: string;
}

/** Parses the witness flags; the log origin is everything before the first '=' (vkeys may contain '='). */
export function parseWitnessArgs(argv: string[]): WitnessCommandOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      log: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      name: { type: 'string' },
    },
  });
  if (!values.log?.length)
    throw new WitnessUsageError('at least one --log <origin>=<verifier-key> is required');
  if (!values['data-dir']) throw new WitnessUsageError('--data-dir is required');
  const port = Number(values.port);
  if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WitnessUsageError('--port must be a port number');
  }
  const byOrigin = new Map<string, WitnessedLog>();
  for (const spec of values.log) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new WitnessUsageError(`--log ${spec}: expected <origin>=<verifier-key>`);
    const origin = spec.slice(0, eq);
    let key;
    try {
      key = parseVerifierKey(spec.slice(eq + 1));
    } catch (err) {
      throw new WitnessUsageError(`--log ${origin}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (key.type !== SIG_TYPE_ED25519)
      throw new WitnessUsageError(`--log ${origin}: the log key must be Ed25519`);
    const prev = byOrigin.get(origin);
    byOrigin.set(origin, { origin, verifiers: [...(prev?.verifiers ?? []), ed25519Verifier(key)] });
  }
  return {
    logs: [...byOrigin.values()],
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: values['data-dir'],
    name: values.name ?? `${hostname()}/convene-witness`,
  };
}

export async function startWitness(
  opts: WitnessCommandOptions,
): Promise<{ server: WitnessServer; verifierKey: string; created: boolean }> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const { key, created } = await loadOrCreateWitnessKey(opts.dataDir, opts.name);
  const store = await FileWitnessStore.open(opts.dataDir);
  const witness = new Witness({ key, logs: opts.logs, store });
  const server = await startWitnessServer({ witness, port: opts.port, host: opts.host });
  return { server, verifierKey: formatVerifierKey(verifierOf(key)), created };
}

/** Entry point from src/cli.ts; resolves to an exit code, or -1 while the server keeps running. */
export async function runWitnessCommand(argv: string[]): Promise<number> {
  let opts: WitnessCommandOptions;
  try {
    opts = parseWitnessArgs(argv);
  } catch (err) {
    process.stderr.write(
      `convene witness: ${err instanceof Error ? err.message : String(err)}\n${WITNESS_USAGE}\n`,
    );
    return 2;
  }
  const { server, verifierKey, created } = await startWitness(opts);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(
    `${created ? 'Created a new witness key. ' : ''}Witness verifier key: ${verifierKey}\n` +
      `Witnessing ${opts.logs.map((l) => l.origin).join(', ')} at ${server.url}/add-checkpoint\n`,
  );
  return -1;
}
