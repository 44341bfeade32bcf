/** Starts a real Convene (with its own real Janus) for a test file, in a fresh data directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ConfigInput } from '../../src/config.js';
import { startConvene, type ConveneServer } from '../../src/server/main.js';

export interface TestServer extends ConveneServer {
  createMeeting(title?: string): Promise<string>;
}

export async function startTestServer(config: ConfigInput = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-test-'));
  const server = await startConvene({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'warn', ...config });
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
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
