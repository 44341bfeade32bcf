/**
 * Starts and supervises a local Janus: writes its configuration into the data directory (random API
 * secret and videoroom admin key, WebSocket API on 127.0.0.1 only, media on a real interface address
 * because Janus ignores loopback for ICE, event_loops from the core count), restarts it when it dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { TypedEmitter } from '../../util/TypedEmitter.js';

export interface JanusProcessOptions {
  binary: string;
  /** Where the generated configuration lives: <dataDir>/janus. */
  dataDir: string;
  mediaIp: string;
  rtpPortRange: string;
  eventLoops: number;
  logger: Logger;
}

export class JanusNotInstalledError extends Error {
  override name = 'JanusNotInstalledError';
  constructor(binary: string) {
    super(
      `Janus was not found at ${binary}. Install it with "sudo apt-get install -y janus" ` +
        '(Debian/Ubuntu), set CONVENE_JANUS_BINARY to its path, or point Convene at running Janus nodes ' +
        'with CONVENE_JANUS_URLS=ws://host:8188.',
    );
  }
}

const PLUGIN_DIR = '/usr/lib/x86_64-linux-gnu/janus';
const UNUSED_PLUGINS = [
  'audiobridge',
  'duktape',
  'echotest',
  'lua',
  'nosip',
  'recordplay',
  'sip',
  'streaming',
  'textroom',
  'videocall',
  'voicemail',
].map((p) => `libjanus_${p}.so`);
const UNUSED_TRANSPORTS = ['http', 'mqtt', 'nanomsg', 'pfunix', 'rabbitmq'].map((p) => `libjanus_${p}.so`);

/** The first non-internal IPv4 address of this machine, for Janus's ICE candidates. */
export function defaultMediaIp(): string | undefined {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class JanusProcess extends TypedEmitter<{
  exit: [code: number | null, signal: string | null];
  spawn: [];
}> {
  readonly apiSecret = randomBytes(24).toString('base64url');
  readonly adminKey = randomBytes(24).toString('base64url');
  readonly #options: JanusProcessOptions;
  #child: ChildProcess | undefined;
  #wsPort = 0;
  #closed = false;
  #restarts = 0;
  #lastStart = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #tail: string[] = [];

  constructor(options: JanusProcessOptions) {
    super();
    this.#options = options;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#wsPort}`;
  }
  get pid(): number | undefined {
    return this.#child?.pid;
  }
  get restarts(): number {
    return this.#restarts;
  }
  /** The last lines Janus printed, for error messages. */
  get recentOutput(): string {
    return this.#tail.join('\n');
  }

  async start(): Promise<void> {
    try {
      await access(this.#options.binary, constants.X_OK);
    } catch {
      throw new JanusNotInstalledError(this.#options.binary);
    }
    await this.#reapStale();
    this.#wsPort = await freePort();
    await this.#writeConfig();
    this.#spawn();
  }

  get #dir(): string {
    return path.join(this.#options.dataDir, 'janus');
  }

  /**
   * A Janus left behind by a Convene that was killed outright (no chance to stop its child) still holds
   * ports and CPU: stop it, but only if its command line shows it is ours (same configuration file).
   */
  async #reapStale(): Promise<void> {
    const pidFile = path.join(this.#dir, 'janus.pid');
    const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
    if (!Number.isInteger(pid) || pid <= 1) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(path.join(this.#dir, 'janus.jcfg'))) {
      this.#options.logger.warn({ pid }, 'stopping a janus left over from an earlier run');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await rm(pidFile, { force: true });
  }

  async #writeConfig(): Promise<void> {
    const dir = path.join(this.#options.dataDir, 'janus');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const o = this.#options;
    const janus = `general: {
  configs_folder = "${dir}"
  plugins_folder = "${PLUGIN_DIR}/plugins"
  transports_folder = "${PLUGIN_DIR}/transports"
  events_folder = "${PLUGIN_DIR}/events"
  loggers_folder = "${PLUGIN_DIR}/loggers"
  debug_level = 3
  log_to_stdout = true
  api_secret = "${this.apiSecret}"
  session_timeout = 60
  event_loops = ${o.eventLoops}
  server_name = "convene-janus"
}
media: {
  rtp_port_range = "${o.rtpPortRange}"
}
nat: {
  nice_debug = false
  full_trickle = false
  ice_enforce_list = "${o.mediaIp}"
}
plugins: {
  disable = "${UNUSED_PLUGINS.join(',')}"
}
transports: {
  disable = "${UNUSED_TRANSPORTS.join(',')}"
}
events: {
  broadcast = false
}
`;
    const websockets = `general: {
  json = "plain"
  ws = true
  ws_port = ${this.#wsPort}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
}
`;
    const videoroom = `general: {
  admin_key = "${this.adminKey}"
  string_ids = false
}
`;
    await writeFile(path.join(dir, 'janus.jcfg'), janus, { mode: 0o600 });
    await writeFile(path.join(dir, 'janus.transport.websockets.jcfg'), websockets, { mode: 0o600 });
    await writeFile(path.join(dir, 'janus.plugin.videoroom.jcfg'), videoroom, { mode: 0o600 });
  }

  #spawn(): void {
    const dir = path.join(this.#options.dataDir, 'janus');
    const child = spawn(this.#options.binary, ['-C', path.join(dir, 'janus.jcfg'), '-F', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own working directory, so anything Janus writes there (a core dump after a crash) stays in
      // the data directory instead of wherever Convene was started.
      cwd: dir,
    });
    this.#child = child;
    this.#lastStart = Date.now();
    const log = this.#options.logger;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        this.#tail.push(line);
        if (this.#tail.length > 40) this.#tail.shift();
        // Janus may name peers' addresses (ICE candidates, errors); logs never carry addresses.
        log.trace({ janus: scrubAddresses(line) }, 'janus output');
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('spawn', () => {
      log.info({ pid: child.pid, url: this.url }, 'janus started');
      writeFile(path.join(dir, 'janus.pid'), String(child.pid)).catch(() => undefined);
      this.emit('spawn');
    });
    child.once('error', (err) => log.error({ err }, 'janus could not be spawned'));
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      this.emit('exit', code, signal);
      if (this.#closed) return;
      log.warn({ code, signal, output: this.#tail.slice(-5) }, 'janus exited; restarting');
      // Back off when Janus keeps dying right after start, so a broken install does not spin.
      const quick = Date.now() - this.#lastStart < 5000;
      const delay = quick ? Math.min(5000, 250 * 2 ** Math.min(this.#restarts, 5)) : 100;
      this.#restarts++;
      this.#restartTimer = setTimeout(() => this.#spawn(), delay);
    });
  }

  /** Stops Janus for good; resolves when the process has exited. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** The line with IPv4 and IPv6 addresses replaced, so Janus's output cannot put a peer's address in a log. */
export function scrubAddresses(line: string): string {
  return line
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '[address]')
    .replace(/\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b/gi, '[address]');
}
