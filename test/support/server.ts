/**
 * Starts a real Convene (with its own real Janus, unless a test whose subject is not media passes the
 * typed in-memory engine) for a test file, in a fresh data directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import type { Logger } from 'pino';
import path from 'node:path';
import { loadConfig, type ConfigInput } from '../../src/config.js';
import type { MlsTimings } from '../../src/app/e2ee/MeetingMls.js';
import type { MediaEngine } from '../../src/media/types.js';
import { startConvene, type ConveneServer } from '../../src/server/main.js';

export interface TestHost {
  email: string;
  /** The Cookie header value carrying the session. */
  cookie: string;
  csrf: string;
}

export interface TestServer extends ConveneServer {
  /** An anonymous meeting (as issue-2 tests and benchmarks create them). */
  createMeeting(title?: string): Promise<string>;
  /** Signs up a new host account. */
  signUp(email?: string): Promise<TestHost>;
  /** A JSON API call as a host; resolves with status and parsed body. */
  api<T = unknown>(
    method: string,
    path: string,
    host?: TestHost,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

let accounts = 0;

export async function startTestServer(
  config: ConfigInput = {},
  options: {
    logger?: Logger;
    keepDataDir?: boolean;
    /** Instead of Janus, when media is not the subject (e.g. `new MemoryEngine()`). */
    engine?: MediaEngine;
    mlsTimings?: Partial<MlsTimings>;
  } = {},
): Promise<TestServer> {
  const dataDir = config.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'convene-test-')));
  const server = await startConvene(
    loadConfig({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn' }, config),
    {
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.mlsTimings ? { mlsTimings: options.mlsTimings } : {}),
    },
  );
  return {
    ...server,
    janusPid: () => server.janusPid(),
    async createMeeting(title?: string) {
      const res = await fetch(`${server.url}/api/meetings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(title ? { title } : {}),
      });
      if (res.status !== 201) throw new Error(`create meeting: HTTP ${res.status}`);
      return ((await res.json()) as { id: string }).id;
    },
    async signUp(email = `host${++accounts}-${Date.now()}@example.org`) {
      const res = await fetch(`${server.url}/api/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery', displayName: email.split('@')[0] }),
      });
      if (res.status !== 202) throw new Error(`sign up: HTTP ${res.status} ${await res.text()}`);
      // Sign-up answers alike for free and taken addresses and starts no session: sign in next.
      const signIn = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'correct horse battery' }),
      });
      if (signIn.status !== 200) throw new Error(`sign in: HTTP ${signIn.status} ${await signIn.text()}`);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      return { email, cookie, csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken };
    },
    async api<T>(method: string, path: string, host?: TestHost, body?: unknown) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(host ? { cookie: host.cookie, 'x-csrf-token': host.csrf } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async close() {
      await server.close();
      if (!options.keepDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
