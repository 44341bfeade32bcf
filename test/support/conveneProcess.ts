/**
 * The real `convene` command in a child process, for tests about the process itself (restarts, kills,
 * the CLI). Always spawned asynchronously: a test process that also hosts servers must never block in
 * spawnSync.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { jsonCall } from './operators.js';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

export interface ConveneProcess {
  child: ChildProcess;
  url: string;
  /** stderr so far (for failure messages). */
  stderr(): string;
  /** Resolves when the process has exited, however it ended. */
  exited(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * `convene start --port <port> --data-dir <dataDir>` with CONVENE_LOG_LEVEL=warn and the given extra
 * environment; resolves once it prints its address, rejects if it exits first.
 */
export function startConvene(
  dataDir: string,
  opts: { port?: number; env?: Record<string, string> } = {},
): Promise<ConveneProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--port', String(opts.port ?? 0), '--data-dir', dataDir],
    {
      env: { ...process.env, CONVENE_LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => (err += String(d)));
  const exited = (): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1])
        resolve({
          child,
          url: m[1],
          stderr: () => err,
          exited,
          stop: async () => {
            child.kill('SIGTERM');
            await exited();
          },
        });
    });
    child.once('exit', (code) =>
      reject(new Error(`convene exited (${code}) before it was ready: ${err.slice(-1000)}`)),
    );
  });
}

/** Runs a `convene` subcommand to its end (asynchronously) and returns its exit code and output. */
export function runConvene(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Whether a process runs (a zombie, killed but not yet reaped by its new parent, does not). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A TCP port that was free a moment ago (for restarting a server on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Signs up and in as a new account that creates one meeting: its session cookie, CSRF token and the meeting. */
export async function hostWithMeeting(
  url: string,
  email: string,
): Promise<{ cookie: string; csrf: string; meetingId: string }> {
  const password = 'correct horse battery';
  const signUp = await jsonCall(url, 'POST', '/api/accounts', { email, password, displayName: 'Host' });
  if (signUp.status !== 202) throw new Error(`sign up: ${signUp.status}`);
  const signIn = await jsonCall<{ csrfToken: string }>(url, 'POST', '/api/session', { email, password });
  if (signIn.status !== 200) throw new Error(`sign in: ${signIn.status}`);
  const cookie = (signIn.setCookie ?? '').split(';')[0] ?? '';
  const csrf = signIn.body.csrfToken;
  const created = await jsonCall<{ id: string }>(
    url,
    'POST',
    '/api/meetings',
    { title: 'A meeting' },
    { cookie, 'x-csrf-token': csrf },
  );
  if (created.status !== 201) throw new Error(`create meeting: ${created.status}`);
  return { cookie, csrf, meetingId: created.body.id };
}
