/**
 * The `convene` command. `convene start [--port N] [--host H] [--data-dir DIR] [--public-url URL]`.
 * Flags win over CONVENE_* environment variables; see README.md for the full list.
 */
import { parseArgs } from 'node:util';
import { ConfigError, configFromEnv, loadConfig, type ConfigInput } from './config.js';
import { JanusNotInstalledError } from './media/janus/JanusProcess.js';
import type { startConvene } from './server/main.js';

const USAGE = `Usage: convene start [--port N] [--host ADDRESS] [--data-dir DIR] [--public-url URL]
       convene operator add --email EMAIL --role intake|reviewer|admin [--name NAME] [--data-dir DIR]
       convene operator list [--data-dir DIR]
       convene witness --log <origin>=<verifier-key> [--log ...] --port N --data-dir DIR
       convene audit verify <url-or-dir> [--key VKEY] [--witness VKEY]... [--previous FILE] [--save FILE]

Environment: CONVENE_PORT, CONVENE_HOST, CONVENE_DATA_DIR, CONVENE_PUBLIC_URL, CONVENE_LOG_LEVEL,
CONVENE_JANUS_URLS, CONVENE_JANUS_API_SECRET, CONVENE_JANUS_ADMIN_KEY, CONVENE_JANUS_BINARY,
CONVENE_MEDIA_IP, CONVENE_RTP_PORTS, CONVENE_GEO_DB, CONVENE_GEO_OVERRIDES, CONVENE_TRUSTED_PROXIES,
CONVENE_LOG_CHECKPOINT_MS, CONVENE_WITNESSES.`;

async function main(argv: string[]): Promise<number> {
  // Each command loads only its own modules: `audit verify` and `witness` start in a fraction of the
  // time the whole server (Fastify, the database, Janus, MLS) takes to load.
  if (argv[0] === 'operator') return (await import('./operatorCommand.js')).operatorCommand(argv.slice(1));
  if (argv[0] === 'witness') return (await import('./witness/command.js')).runWitnessCommand(argv.slice(1));
  if (argv[0] === 'audit') return (await import('./audit/command.js')).runAuditCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'start') {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const flags: ConfigInput = {};
  if (values.port !== undefined) flags.port = Number(values.port);
  if (values.host !== undefined) flags.host = values.host;
  if (values['data-dir'] !== undefined) flags.dataDir = values['data-dir'];
  if (values['public-url'] !== undefined) flags.publicUrl = values['public-url'];
  // Validate the merged input once here so a bad flag is reported before anything starts.
  const config = loadConfig(configFromEnv(process.env), flags);
  // Signals are handled from the start, so a stop during start-up still shuts Janus down.
  let stopRequested = false;
  let server: Awaited<ReturnType<typeof startConvene>> | undefined;
  const stop = () => {
    stopRequested = true;
    if (!server) return;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server = await (await import('./server/main.js')).startConvene(config);
  if (stopRequested) {
    stop();
    return -1;
  }
  const base = config.publicUrl ?? server.url;
  process.stdout.write(`Convene is running at ${base}\n`);
  process.stdout.write(`Operator log key: ${server.log.verifierKey} (also at ${base}/log/key)\n`);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof JanusNotInstalledError || err instanceof ConfigError) {
      process.stderr.write(`convene: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(
      `convene: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
